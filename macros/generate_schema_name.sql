{#- Folder schemas (staging, intermediate, marts, seeds) are used as named, without the
    target schema as prefix, so BI tools and users find the marts under `marts`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
