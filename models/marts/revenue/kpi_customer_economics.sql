-- clv_trailing_12m (the customer portfolio's lifetime value over the trailing 12 months)
-- and ltv_to_cac (that value / the month's cac), by month; ltv_to_cac also by channel.
with account_periods as (

    select * from {{ ref('int_account_periods') }}

),

periods as (

    select * from {{ ref('int_customer_periods') }}
    where period_grain = 'month'

),

acquisition_cost as (

    select * from {{ ref('kpi_acquisition_cost') }}
    where kpi_id = 'cac'

),

-- each month's starting customers: lost by the month's end, and their gross margin for
-- the month (a twelfth of the annual value of the contracts covering the first day)
month_customers as (

    select
        period_start,
        sum(
            case when is_customer_at_start and not is_customer_at_end then 1 else 0 end
        ) as lost_customers,
        -- 0 for an account that is not a customer on the first day
        sum(recurring_revenue_at_start) / 12 * {{ var('gross_margin_rate', 0.8) }} as gross_margin
    from account_periods
    where period_grain = 'month'
    group by period_start

),

trailing_year as (

    select
        periods.period_start,
        count(*) as months,
        sum(coalesce(month_customers.lost_customers, 0)) as lost_customers,
        sum(coalesce(month_customers.gross_margin, 0)) as gross_margin
    from periods
    inner join periods as window_months
        on
            window_months.period_start
            between cast({{ dbt.dateadd('month', -11, 'periods.period_start') }} as date)
            and periods.period_start
    left join month_customers
        on window_months.period_start = month_customers.period_start
    group by periods.period_start

),

-- (margin / customer-months) / (lost / customer-months): the customer-months cancel
clv as (

    select
        period_start,
        'all' as dimension_name,
        'all' as dimension_value,
        gross_margin,
        lost_customers,
        {{ safe_divide('gross_margin', 'lost_customers') }} as clv
    from trailing_year
    -- only months with a full trailing year of customer history
    where months = 12

),

ltv_and_cac as (

    select
        clv.period_start,
        acquisition_cost.dimension_name,
        acquisition_cost.dimension_value,
        clv.clv,
        acquisition_cost.value as cac
    from clv
    inner join acquisition_cost
        on clv.period_start = acquisition_cost.period_start

),

kpi_rows as (

    {{ kpi_ratio_rows('clv_trailing_12m', 'clv', 'gross_margin', 'lost_customers',
                      unit='currency', period_grain='month') }}
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
