-- One row per retention period (month, quarter, year: int_customer_periods) and account that
-- counts in it: a customer on the period's first or last day (int_account_periods), or, for
-- months, a customer on the last day of the same month a year earlier (the base of revenue
-- retention). The fact of the retention KPIs (kpi_retention) and of the semantic model
-- customer_periods.
{%- set year_earlier = dbt.dateadd('month', -12, 'periods.period_start') %}

with account_periods as (

    select * from {{ ref('int_account_periods') }}

),

periods as (

    select * from {{ ref('int_customer_periods') }}

),

segments as (

    select * from {{ ref('int_account_segments') }}

),

won as (

    select * from {{ ref('int_won_opportunities') }}

),

expansions as (

    -- accounts that won an expansion (upsell, cross-sell, or New Business on an existing
    -- customer: int_won_opportunities.revenue_type) within the period
    select distinct
        periods.period_grain,
        periods.period_start,
        won.account_id
    from won
    inner join periods
        on cast(won.won_at as date) between periods.period_start and periods.period_end
    where won.revenue_type = 'expansion'

),

-- revenue retention's base: the customers at the end of the month a year earlier, with
-- their recurring revenue then
revenue_base as (

    select
        periods.period_grain,
        periods.period_start,
        base.account_id,
        base.recurring_revenue_at_end as revenue_year_earlier
    from periods
    inner join account_periods as base
        on
            base.period_grain = 'month'
            and base.period_start = cast({{ year_earlier }} as date)
            and base.recurring_revenue_at_end > 0
    where periods.period_grain = 'month'

),

account_keys as (

    select
        period_grain,
        period_start,
        account_id
    from account_periods
    union
    select
        period_grain,
        period_start,
        account_id
    from revenue_base

),

flagged as (

    select
        account_keys.period_grain,
        account_keys.period_start,
        periods.period_end,
        account_keys.account_id,
        coalesce(account_periods.is_customer_at_start, false) as is_customer_at_start,
        coalesce(account_periods.is_customer_at_end, false) as is_customer_at_end,
        expansions.account_id is not null as has_expansion_won,
        coalesce(account_periods.recurring_revenue_at_start, 0) as recurring_revenue_at_start,
        coalesce(account_periods.recurring_revenue_at_end, 0) as recurring_revenue_at_end,
        revenue_base.revenue_year_earlier
    from account_keys
    inner join periods
        on
            account_keys.period_grain = periods.period_grain
            and account_keys.period_start = periods.period_start
    left join account_periods
        on
            account_keys.period_grain = account_periods.period_grain
            and account_keys.period_start = account_periods.period_start
            and account_keys.account_id = account_periods.account_id
    left join expansions
        on
            account_keys.period_grain = expansions.period_grain
            and account_keys.period_start = expansions.period_start
            and account_keys.account_id = expansions.account_id
    left join revenue_base
        on
            account_keys.period_grain = revenue_base.period_grain
            and account_keys.period_start = revenue_base.period_start
            and account_keys.account_id = revenue_base.account_id

),

final as (

    select
        {{ record_key([
            'flagged.period_grain', 'flagged.period_start', 'flagged.account_id',
        ]) }} as customer_period_id,
        flagged.period_grain,
        flagged.period_start,
        flagged.period_end,
        flagged.account_id,
        flagged.is_customer_at_start,
        flagged.is_customer_at_end,
        flagged.is_customer_at_end and not flagged.is_customer_at_start as is_new_in_period,
        flagged.is_customer_at_start and flagged.is_customer_at_end as is_retained,
        flagged.is_customer_at_start and not flagged.is_customer_at_end as is_lost,
        flagged.is_customer_at_start and flagged.has_expansion_won as is_expanded,
        flagged.recurring_revenue_at_start,
        flagged.recurring_revenue_at_end,
        flagged.revenue_year_earlier is not null as is_revenue_retention_base,
        flagged.revenue_year_earlier,
        case
            when flagged.revenue_year_earlier is not null then flagged.recurring_revenue_at_end
        end as revenue_retained,
        case
            when flagged.revenue_year_earlier is null then null
            when flagged.recurring_revenue_at_end < flagged.revenue_year_earlier
                then flagged.recurring_revenue_at_end
            else flagged.revenue_year_earlier
        end as revenue_retained_without_expansion,
        segments.industry,
        segments.company_size_band,
        segments.country,
        segments.abm_target
    from flagged
    left join segments
        on flagged.account_id = segments.account_id

)

select
    cast(customer_period_id as {{ dbt.type_string() }}) as customer_period_id,
    cast(period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(is_customer_at_start as {{ dbt.type_boolean() }}) as is_customer_at_start,
    cast(is_customer_at_end as {{ dbt.type_boolean() }}) as is_customer_at_end,
    cast(is_new_in_period as {{ dbt.type_boolean() }}) as is_new_in_period,
    cast(is_retained as {{ dbt.type_boolean() }}) as is_retained,
    cast(is_lost as {{ dbt.type_boolean() }}) as is_lost,
    cast(is_expanded as {{ dbt.type_boolean() }}) as is_expanded,
    cast(recurring_revenue_at_start as {{ type_double() }}) as recurring_revenue_at_start,
    cast(recurring_revenue_at_end as {{ type_double() }}) as recurring_revenue_at_end,
    cast(is_revenue_retention_base as {{ dbt.type_boolean() }}) as is_revenue_retention_base,
    cast(revenue_year_earlier as {{ type_double() }}) as revenue_year_earlier,
    cast(revenue_retained as {{ type_double() }}) as revenue_retained,
    cast(revenue_retained_without_expansion as {{ type_double() }})
        as revenue_retained_without_expansion,
    cast(industry as {{ dbt.type_string() }}) as industry,
    cast(company_size_band as {{ dbt.type_string() }}) as company_size_band,
    cast(country as {{ dbt.type_string() }}) as country,
    cast(abm_target as {{ dbt.type_string() }}) as abm_target
from final
