{#- dbt `grants` give the BI role SELECT on each mart; reading them also needs USAGE on the
    marts schema. Called from on-run-end with the schemas the run built; nothing on DuckDB,
    which has no roles. -#}
{% macro grant_marts_usage(role, built_schemas) -%}
    {{ return(adapter.dispatch('grant_marts_usage', 'b2b_kpi')(role, built_schemas)) }}
{%- endmacro %}

{% macro default__grant_marts_usage(role, built_schemas) -%}
    {%- set marts_schema = generate_schema_name('marts', none) -%}
    {%- if role and marts_schema in built_schemas -%}
        grant usage on schema {{ adapter.quote(marts_schema) }} to {{ adapter.quote(role) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__grant_marts_usage(role, built_schemas) -%}
{%- endmacro %}

{#- Spark has no schema usage privilege (a cluster's catalog, such as Unity Catalog, governs
    access) -#}
{% macro spark__grant_marts_usage(role, built_schemas) -%}
{%- endmacro %}
