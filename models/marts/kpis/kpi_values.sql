-- Every KPI in one long table: the shape BI tools, the scorecard and the tests read.
-- Each KPI model is listed with the optional sources it needs: a switched-off source
-- (`<source>_enabled: false`) leaves its KPIs out, never wrong or zero.
{%- set kpi_models = {
    'kpi_funnel_stage_counts': [],
    'kpi_funnel_conversion_rates': [],
    'kpi_mql_rejections': [],
    'kpi_stage_durations': [],
    'kpi_sales_cycle': [],
    'kpi_pipeline': [],
    'kpi_sales_activities': [],
    'kpi_lead_prioritisation': [],
    'kpi_web_sessions': ['segment'],
    'kpi_email': ['marketo'],
    'kpi_social': ['social'],
    'kpi_ads': [],
    'kpi_acquisition_cost': ['finance'],
    'kpi_customer_value': [],
    'kpi_customer_economics': ['finance'],
    'kpi_expansion_campaigns': [],
    'kpi_retention': [],
    'kpi_abm': [],
    'kpi_abm_customers': [],
    'kpi_attribution': ['segment', 'marketo', 'finance'],
    'kpi_enps': ['surveys'],
} %}

with unioned as (

    {% for kpi_model, sources in kpi_models.items() if sources_enabled(sources) %}
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
