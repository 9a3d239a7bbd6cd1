{#- An 8-byte float: dbt.type_float() is a 4-byte FLOAT on DuckDB, too coarse for money. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'b2b_kpi')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    {{ return(dbt.type_float()) }}
{%- endmacro %}

{% macro duckdb__type_double() -%}
    {{ return('double') }}
{%- endmacro %}

{#- dbt-spark's type_float() is a 4-byte float too -#}
{% macro spark__type_double() -%}
    {{ return('double') }}
{%- endmacro %}
