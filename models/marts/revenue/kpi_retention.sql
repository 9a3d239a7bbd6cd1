-- customer_retention_rate, customer_churn_rate, expansion_rate (month, quarter, year) and
-- net/gross revenue retention (month) by segment and ABM flag.
{%- set year_earlier = dbt.dateadd('month', -12, 'periods.period_start') %}

with account_periods as (

    select * from {{ ref('int_account_periods') }}

),

segments as (

    select * from {{ ref('int_account_segments') }}

),

won as (

    select * from {{ ref('int_won_opportunities') }}

),

periods as (

    select * from {{ ref('int_customer_periods') }}

),

expansions as (

    -- starting customers that won an upsell or cross-sell within the period
    select distinct
        periods.period_grain,
        periods.period_start,
        won.account_id
    from won
    inner join periods
        on cast(won.won_at as date) between periods.period_start and periods.period_end
    where won.opportunity_type in ('upsell', 'cross_sell')

),

customer_rows as (

    select
        account_periods.period_grain,
        account_periods.period_start,
        account_periods.account_id,
        case when account_periods.is_customer_at_start then 1 else 0 end as is_start,
        case
            when account_periods.is_customer_at_start and account_periods.is_customer_at_end
                then 1
            else 0
        end as is_retained,
        case
            when account_periods.is_customer_at_start and not account_periods.is_customer_at_end
                then 1
            else 0
        end as is_lost,
        case
            when account_periods.is_customer_at_start and expansions.account_id is not null
                then 1
            else 0
        end as is_expanded
    from account_periods
    left join expansions
        on
            account_periods.period_grain = expansions.period_grain
            and account_periods.period_start = expansions.period_start
            and account_periods.account_id = expansions.account_id

),

-- revenue retention: the customers at the end of the month a year earlier, with their
-- recurring revenue then and at the end of this month (0 when gone)
revenue_rows as (

    select
        periods.period_start,
        base.account_id,
        base.recurring_revenue_at_end as revenue_then,
        coalesce(now_.recurring_revenue_at_end, 0) as revenue_now
    from periods
    inner join account_periods as base
        on
            base.period_grain = 'month'
            and base.period_start = cast({{ year_earlier }} as date)
            and base.recurring_revenue_at_end > 0
    left join account_periods as now_
        on
            now_.period_grain = 'month'
            and periods.period_start = now_.period_start
            and base.account_id = now_.account_id
    where periods.period_grain = 'month'

),

segmented_customers as (

    select
        customer_rows.*,
        segments.industry,
        segments.company_size_band,
        segments.country,
        segments.abm_target
    from customer_rows
    left join segments
        on customer_rows.account_id = segments.account_id

),

segmented_revenue as (

    select
        revenue_rows.*,
        segments.industry,
        segments.company_size_band,
        segments.country,
        segments.abm_target
    from revenue_rows
    left join segments
        on revenue_rows.account_id = segments.account_id

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
        sum(case when revenue_now < revenue_then then revenue_now else revenue_then end)
            as revenue_now_without_expansion
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
