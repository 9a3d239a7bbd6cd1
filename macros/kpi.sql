{#- One copy of `relation`'s rows per dimension, with `dimension_name` and
    `dimension_value`, so one group by computes a KPI for every dimension at once.
    dimensions: {name: column expression}; {'all': "'all'"} gives the total. -#}
{% macro by_dimensions(relation, dimensions) -%}
    {%- for name, column in dimensions.items() %}
    select
        {{ relation }}.*,
        '{{ name }}' as dimension_name,
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'unknown') as dimension_value
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{#- The customer segments the revenue KPIs are cut by (by_dimensions' dimensions), over
    columns industry, company_size_band, country and abm_target. -#}
{% macro customer_segment_dimensions() -%}
    {{ return({
        'all': "'all'",
        'industry': 'industry',
        'company_size': 'company_size_band',
        'country': 'country',
        'abm_target': 'abm_target',
    }) }}
{%- endmacro %}


{#- The UTC calendar month of a timestamp, as a date. -#}
{% macro month_of(column) -%}
    cast({{ dbt.date_trunc('month', column) }} as date)
{%- endmacro %}


{#- Median (interpolated between the two middle values for an even count). -#}
{% macro median(column) -%}
    {{ return(adapter.dispatch('median', 'b2b_kpi')(column)) }}
{%- endmacro %}

{% macro default__median(column) -%}
    percentile_cont(0.5) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__median(column) -%}
    median({{ column }})
{%- endmacro %}

{#- exact, interpolated like percentile_cont -#}
{% macro spark__median(column) -%}
    percentile({{ column }}, 0.5)
{%- endmacro %}


{#- The expected customer lifetime in months of a CLV: 1 / monthly churn rate = customer-months
    / customers lost, capped at var `clv_max_lifetime_months` (default 60, common SaaS
    practice); the cap also when nobody was lost (an unbounded lifetime). -#}
{% macro capped_lifetime_months(customer_months, lost_customers) -%}
    {%- set cap = var('clv_max_lifetime_months', 60) -%}
    case
        when {{ safe_divide(customer_months, lost_customers) }} < {{ cap }}
            then {{ safe_divide(customer_months, lost_customers) }}
        else {{ cap }}
    end
{%- endmacro %}
