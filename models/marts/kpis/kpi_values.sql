-- Every KPI in one long table: the shape BI tools, the scorecard and the tests read.
{%- set kpi_models = [
    'kpi_funnel_stage_counts',
    'kpi_funnel_conversion_rates',
    'kpi_mql_rejections',
    'kpi_stage_durations',
    'kpi_sales_cycle',
    'kpi_enps',
] %}

with unioned as (

    {% for kpi_model in kpi_models %}
    select * from {{ ref(kpi_model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
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
