{#- Every match of `pattern` in `value` replaced (all three SQL expressions): PostgreSQL and
    DuckDB replace the first match unless given the 'g' flag; Spark always replaces all and
    reads a fourth argument as a position. -#}
{% macro regexp_replace_all(value, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'b2b_kpi')(value, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}
