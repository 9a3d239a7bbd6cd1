{#- The KPI models kpi_values unions, each with the optional sources it needs: a switched-off
    source (`<source>_enabled: false`) leaves its KPIs out, never wrong or zero. dbt resolves
    `ref`s at parse time, before any seed is readable, so the list lives here and the test
    `assert_kpi_registry_matches_kpi_values` holds it equal to the `kpi_model` column of the
    `kpi_registry` seed. -#}
{% macro kpi_models() -%}
    {{- return({
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
    }) -}}
{%- endmacro %}


{#- The names of the KPI models of `kpi_models()` whose optional sources are all switched on. -#}
{% macro built_kpi_models() -%}
    {%- set built = [] -%}
    {%- for kpi_model, sources in kpi_models().items() if sources_enabled(sources) -%}
        {%- do built.append(kpi_model) -%}
    {%- endfor -%}
    {{- return(built) -}}
{%- endmacro %}
