-- customer_retention_rate, customer_churn_rate, expansion_rate (month, quarter, year) and
-- net/gross revenue retention (month) by segment and ABM flag, over fct_customer_periods.

with customer_periods as (

    select * from {{ ref('fct_customer_periods') }}

),

segmented_customers as (

    select
        period_grain,
        period_start,
        account_id,
        case when is_customer_at_start then 1 else 0 end as is_start,
        case when is_retained then 1 else 0 end as is_retained,
        case when is_lost then 1 else 0 end as is_lost,
        case when is_expanded then 1 else 0 end as is_expanded,
        industry,
        company_size_band,
        country,
        abm_target
    from customer_periods
    where is_customer_at_start or is_customer_at_end

),

-- revenue retention: the customers at the end of the month a year earlier, with their
-- recurring revenue then and at the end of this month (0 when gone)
segmented_revenue as (

    select
        period_start,
        account_id,
        revenue_year_earlier as revenue_then,
        revenue_retained as revenue_now,
        revenue_retained_without_expansion as revenue_now_without_expansion,
        industry,
        company_size_band,
        country,
        abm_target
    from customer_periods
    where is_revenue_retention_base

),

{%- set dimensions = customer_segment_dimensions() %}

customer_dimensioned as (

    {{ by_dimensions('segmented_customers', dimensions) }}

),

revenue_dimensioned as (

    {{ by_dimensions('segmented_revenue', dimensions) }}

),

customer_counts as (

    select
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(is_start) as starting_customers,
        sum(is_retained) as retained_customers,
        sum(is_lost) as lost_customers,
        sum(is_expanded) as expanded_customers
    from customer_dimensioned
    group by 1, 2, 3, 4

),

revenue_sums as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(revenue_then) as revenue_then,
        sum(revenue_now) as revenue_now,
        sum(revenue_now_without_expansion) as revenue_now_without_expansion
    from revenue_dimensioned
    group by 1, 2, 3

),

kpi_rows as (

    {{ kpi_ratio_rows('customer_retention_rate', 'customer_counts', 'retained_customers',
                      'starting_customers') }}
    union all
    {{ kpi_ratio_rows('customer_churn_rate', 'customer_counts', 'lost_customers',
                      'starting_customers') }}
    union all
    {{ kpi_ratio_rows('expansion_rate', 'customer_counts', 'expanded_customers',
                      'starting_customers') }}
    union all
    -- net revenue retention exceeds 1 with expansion: a multiple, not a fraction
    {{ kpi_ratio_rows('net_revenue_retention', 'revenue_sums', 'revenue_now', 'revenue_then',
                      unit='multiple', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('gross_revenue_retention', 'revenue_sums',
                      'revenue_now_without_expansion', 'revenue_then', period_grain='month') }}

)

select
    kpi_id,
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    value,
    numerator,
    denominator,
    unit
from kpi_rows
