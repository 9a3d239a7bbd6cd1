{#- A double rounded to `digits` decimals: PostgreSQL's round(x, n) exists for numeric only. -#}
{% macro round_to(value, digits) -%}
    {{ return(adapter.dispatch('round_to', 'b2b_kpi')(value, digits)) }}
{%- endmacro %}

{% macro default__round_to(value, digits) -%}
    round(cast({{ value }} as {{ dbt.type_numeric() }}), {{ digits }})
{%- endmacro %}

{% macro duckdb__round_to(value, digits) -%}
    round({{ value }}, {{ digits }})
{%- endmacro %}

{% macro spark__round_to(value, digits) -%}
    round({{ value }}, {{ digits }})
{%- endmacro %}
