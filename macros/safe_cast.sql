{#- dbt-duckdb has no safe_cast of its own, so dbt's default (a plain cast) would stop the
    build on one unparsable value instead of letting staging reject the row. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
