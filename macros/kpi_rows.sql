{#- Long-format KPI rows (kpi_values' columns) from an aggregate CTE that has period_grain,
    period_start, dimension_name and dimension_value: a count (value = numerator = the
    column) or a ratio (value = numerator / denominator, null for a zero denominator).
    `where` keeps only some dimensions for this KPI. -#}
{% macro kpi_count_rows(kpi_id, relation, column, unit='count', where=none) -%}
    {{ _kpi_rows(kpi_id, relation,
                 'cast(' ~ column ~ ' as ' ~ type_double() ~ ')', column, none, unit, where) }}
{%- endmacro %}

{% macro kpi_ratio_rows(kpi_id, relation, numerator, denominator, unit='ratio', where=none) -%}
    {{ _kpi_rows(kpi_id, relation, safe_divide(numerator, denominator),
                 numerator, denominator, unit, where) }}
{%- endmacro %}

{% macro _kpi_rows(kpi_id, relation, value, numerator, denominator, unit, where) -%}
    select
        '{{ kpi_id }}' as kpi_id,
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        {{ value }} as value,
        cast({{ numerator }} as {{ type_double() }}) as numerator,
        cast({{ denominator if denominator else 'null' }} as {{ type_double() }}) as denominator,
        '{{ unit }}' as unit
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
{%- endmacro %}
