{#- Long-format KPI rows (kpi_values' columns) from an aggregate CTE that has period_start,
    dimension_name and dimension_value, and period_grain unless `period_grain` names the one
    grain of every row: a count (value = numerator = the column) or a ratio (value =
    numerator / denominator, null for a zero denominator). `where` keeps only some rows for
    this KPI. -#}
{% macro kpi_count_rows(kpi_id, relation, column, unit='count', where=none, period_grain=none) -%}
    {{ _kpi_rows(kpi_id, relation, 'cast(' ~ column ~ ' as ' ~ type_double() ~ ')', column, none,
                 unit, where, period_grain) }}
{%- endmacro %}

{% macro kpi_ratio_rows(
    kpi_id, relation, numerator, denominator, unit='ratio', where=none, period_grain=none
) -%}
    {{ _kpi_rows(kpi_id, relation, safe_divide(numerator, denominator),
                 numerator, denominator, unit, where, period_grain) }}
{%- endmacro %}

{% macro _kpi_rows(kpi_id, relation, value, numerator, denominator, unit, where, period_grain) -%}
    select
        '{{ kpi_id }}' as kpi_id,
        {{ "'" ~ period_grain ~ "' as period_grain" if period_grain else 'period_grain' }},
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
