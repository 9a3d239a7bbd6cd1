{#- The CRM the lifecycle reads (var `crm`): salesforce (default) or hubspot. One place that
    says which values are allowed; an unknown one stops the run at compile time. -#}
{% macro crm() -%}
    {%- set crm = var('crm', 'salesforce') -%}
    {%- if crm not in ['salesforce', 'hubspot'] -%}
        {{- exceptions.raise_compiler_error("var crm must be 'salesforce' or 'hubspot', not '" ~ crm ~ "'") -}}
    {%- endif -%}
    {{- return(crm) -}}
{%- endmacro %}
