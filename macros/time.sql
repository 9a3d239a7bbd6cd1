{#- ISO-8601 text with a UTC offset (Segment exports) to a UTC timestamp without zone.
    Sessions run in UTC (see profiles.yml), so the cast from timestamptz lands in UTC;
    unparsable text becomes null where the adapter has a safe cast. -#}
{% macro text_to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('text_to_utc_timestamp', 'b2b_kpi')(column)) }}
{%- endmacro %}

{% macro default__text_to_utc_timestamp(column) -%}
    cast({{ dbt.safe_cast(column, 'timestamp with time zone') }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Spark's timestamp is an instant and its cast reads the ISO offset; with ANSI mode off (as
    dbt-spark sets it) unparsable text becomes null. -#}
{% macro spark__text_to_utc_timestamp(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}


{#- Exact elapsed time in fractional days (the catalogue's duration unit). -#}
{% macro days_between(earlier, later) -%}
    {{ return(adapter.dispatch('days_between', 'b2b_kpi')(earlier, later)) }}
{%- endmacro %}

{#- extract returns numeric on PostgreSQL 14+: divided exactly, then rounded once to a double -#}
{% macro default__days_between(earlier, later) -%}
    cast(extract(epoch from ({{ later }} - {{ earlier }})) / 86400.0 as {{ type_double() }})
{%- endmacro %}

{% macro duckdb__days_between(earlier, later) -%}
    ((epoch_us({{ later }}) - epoch_us({{ earlier }})) / 86400000000.0)
{%- endmacro %}

{#- the microseconds as a double first: a bigint over a decimal literal is a decimal on Spark,
    rounded to 6 places -#}
{% macro spark__days_between(earlier, later) -%}
    (cast(unix_micros({{ later }}) - unix_micros({{ earlier }}) as double) / 86400000000.0)
{%- endmacro %}


{#- The time open lifecycle spells are aged at: var `lifecycle_as_of` (UTC), else now. -#}
{% macro lifecycle_as_of() -%}
    {%- if var('lifecycle_as_of') -%}
        cast('{{ var("lifecycle_as_of") }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}
