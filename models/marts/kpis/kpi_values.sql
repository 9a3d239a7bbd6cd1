-- Every KPI in one long table: the shape BI tools, the scorecard and the tests read.
-- The KPI models and the optional sources each needs are listed in macros/kpi_models.sql.
with unioned as (

    {% for kpi_model in built_kpi_models() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select * from {{ ref(kpi_model) }}
    {% endfor %}

)

select
    kpi_id,
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    value,
    numerator,
    denominator,
    unit
from unioned
