-- clv_trailing_12m (lifetime value over the trailing 12 months, of the whole portfolio and of
-- the customers each channel acquired), clv_trailing_12m_lifetime_months (the capped lifetime
-- it uses) and ltv_to_cac (that value / the same month's cac), by month × all, channel.
with account_periods as (

    select * from {{ ref('int_account_periods') }}
    where period_grain = 'month'

),

periods as (

    select * from {{ ref('int_customer_periods') }}
    where period_grain = 'month'

),

-- the customers from before the data (no new-customer win) have no acquisition: 'unknown'
acquisitions as (

    select * from {{ ref('int_account_acquisitions') }}

),

acquisition_cost as (

    select * from {{ ref('kpi_acquisition_cost') }}
    where kpi_id = 'cac'

),

-- each month's account rows: a starting customer, lost by the month's end, and its gross
-- margin for the month (a twelfth of the annual value of the contracts covering the first day)
account_months as (

    select
        account_periods.period_start,
        acquisitions.acquisition_channel as channel,
        case when account_periods.is_customer_at_start then 1 else 0 end as is_start,
        case
            when account_periods.is_customer_at_start and not account_periods.is_customer_at_end
                then 1
            else 0
        end as is_lost,
        -- 0 for an account that is not a customer on the first day
        account_periods.recurring_revenue_at_start / 12 * {{ var('gross_margin_rate', 0.8) }}
            as gross_margin
    from account_periods
    left join acquisitions
        on account_periods.account_id = acquisitions.account_id

),

dimensioned as (

    {{ by_dimensions('account_months', {'all': "'all'", 'channel': 'channel'}) }}

),

month_customers as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(is_start) as starting_customers,
        sum(is_lost) as lost_customers,
        sum(gross_margin) as gross_margin
    from dimensioned
    group by period_start, dimension_name, dimension_value

),

dimension_values as (

    select distinct
        dimension_name,
        dimension_value
    from month_customers

),

trailing_year as (

    select
        periods.period_start,
        dimension_values.dimension_name,
        dimension_values.dimension_value,
        count(*) as months,
        sum(coalesce(month_customers.starting_customers, 0)) as customer_months,
        sum(coalesce(month_customers.lost_customers, 0)) as lost_customers,
        sum(coalesce(month_customers.gross_margin, 0)) as gross_margin
    from periods
    cross join dimension_values
    inner join periods as window_months
        on
            window_months.period_start
            between cast({{ dbt.dateadd('month', -11, 'periods.period_start') }} as date)
            and periods.period_start
    left join month_customers
        on
            window_months.period_start = month_customers.period_start
            and dimension_values.dimension_name = month_customers.dimension_name
            and dimension_values.dimension_value = month_customers.dimension_value
    group by periods.period_start, dimension_values.dimension_name, dimension_values.dimension_value

),

lifetimes as (

    select
        *,
        {{ capped_lifetime_months('customer_months', 'lost_customers') }} as lifetime_months
    from trailing_year
    -- only months with a full trailing year of customer history; a channel from its first
    -- customers on
    where months = 12 and (dimension_name = 'all' or customer_months > 0)

),

-- (margin / customer-months) × lifetime: numerator margin × lifetime, per customer-month
clv as (

    select
        *,
        gross_margin * lifetime_months as lifetime_gross_margin,
        {{ safe_divide('gross_margin * lifetime_months', 'customer_months') }} as clv
    from lifetimes

),

ltv_and_cac as (

    select
        clv.period_start,
        clv.dimension_name,
        clv.dimension_value,
        clv.clv,
        acquisition_cost.value as cac
    from clv
    inner join acquisition_cost
        on
            clv.period_start = acquisition_cost.period_start
            and clv.dimension_name = acquisition_cost.dimension_name
            and clv.dimension_value = acquisition_cost.dimension_value

),

kpi_rows as (

    {{ kpi_ratio_rows('clv_trailing_12m', 'clv', 'lifetime_gross_margin', 'customer_months',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_count_rows('clv_trailing_12m_lifetime_months', 'clv', 'lifetime_months',
                      unit='months', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('ltv_to_cac', 'ltv_and_cac', 'clv', 'cac',
                      unit='multiple', period_grain='month') }}

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
