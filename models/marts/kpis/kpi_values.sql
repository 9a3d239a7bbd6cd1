-- Every KPI in one long table: the shape BI tools, the scorecard and the tests read.
-- The KPI models and the optional sources each needs are listed in macros/kpi_models.sql.
-- dimension_label is what a BI user reads: the rep's name on rep rows (dim_reps), the
-- dimension's value on every other row.
with reps as (

    select * from {{ ref('dim_reps') }}

),

unioned as (

    {% for kpi_model in built_kpi_models() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select * from {{ ref(kpi_model) }}
    {% endfor %}

),

labelled as (

    select
        unioned.*,
        case
            when unioned.dimension_name = 'rep'
                then coalesce(reps.rep_name, unioned.dimension_value)
            else unioned.dimension_value
        end as dimension_label
    from unioned
    left join reps
        on
            unioned.dimension_name = 'rep'
            and unioned.dimension_value = reps.rep_id

)

select
    kpi_id,
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    dimension_label,
    value,
    numerator,
    denominator,
    unit
from labelled
