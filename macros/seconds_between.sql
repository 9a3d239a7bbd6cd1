{#- Exact elapsed time in fractional seconds (dbt.datediff counts whole-second boundaries,
    which rounds a 9.9 s visit up or down depending on the milliseconds). -#}
{% macro seconds_between(earlier, later) -%}
    {{ return(adapter.dispatch('seconds_between', 'b2b_kpi')(earlier, later)) }}
{%- endmacro %}

{#- extract returns numeric on PostgreSQL 14+ -#}
{% macro default__seconds_between(earlier, later) -%}
    cast(extract(epoch from ({{ later }} - {{ earlier }})) as {{ type_double() }})
{%- endmacro %}

{% macro duckdb__seconds_between(earlier, later) -%}
    ((epoch_us({{ later }}) - epoch_us({{ earlier }})) / 1000000.0)
{%- endmacro %}

{#- as a double first (see spark__days_between) -#}
{% macro spark__seconds_between(earlier, later) -%}
    (cast(unix_micros({{ later }}) - unix_micros({{ earlier }}) as double) / 1000000.0)
{%- endmacro %}
