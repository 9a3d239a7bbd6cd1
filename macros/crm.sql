{#- The CRM the lifecycle reads (var `crm`): salesforce (default) or hubspot. One place that
    says which values are allowed; an unknown one stops the run at compile time. -#}
{% macro crm() -%}
    {%- set crm = var('crm', 'salesforce') -%}
    {%- if crm not in ['salesforce', 'hubspot'] -%}
        {{- exceptions.raise_compiler_error("var crm must be 'salesforce' or 'hubspot', not '" ~ crm ~ "'") -}}
    {%- endif -%}
    {{- return(crm) -}}
{%- endmacro %}

{#- The CRM's opportunity stage mapping as (stage_name, lifecycle_stage, is_closed, is_won):
    the opportunity_stage_stages seed for Salesforce's stage names, hubspot_deal_stage_stages
    for HubSpot's pipeline stage ids (int_crm_opportunities' stage_name). -#}
{% macro opportunity_stage_stages() -%}
    {%- if crm() == 'hubspot' -%}
    select
        stage_id as stage_name,
        lifecycle_stage,
        is_closed,
        is_won
    from {{ ref('hubspot_deal_stage_stages') }}
    {%- else -%}
    select
        stage_name,
        lifecycle_stage,
        is_closed,
        is_won
    from {{ ref('opportunity_stage_stages') }}
    {%- endif -%}
{%- endmacro %}
