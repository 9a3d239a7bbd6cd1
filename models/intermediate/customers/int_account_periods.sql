-- One row per period and account that was a customer on the period's first or last day
-- (catalogue: an 'Activated' contract with start_date <= day <= end_date), with its
-- recurring revenue on both days: the annual value of the contracts covering the day.
with contracts as (

    select * from {{ ref('int_crm_contracts') }}
    where lower(contract_status) = 'activated'

),

periods as (

    select * from {{ ref('int_customer_periods') }}

),

covering as (

    select
        periods.period_grain,
        periods.period_start,
        contracts.account_id,
        contracts.contract_id,
        contracts.annual_value_in_reporting_currency,
        periods.period_start between contracts.start_date and contracts.end_date
            as covers_start,
        periods.period_end between contracts.start_date and contracts.end_date
            as covers_end
    from periods
    inner join contracts
        on
            periods.period_end >= contracts.start_date
            and periods.period_start <= contracts.end_date

),

account_periods as (

    select
        period_grain,
        period_start,
        account_id,
        max(case when covers_start then 1 else 0 end) = 1 as is_customer_at_start,
        max(case when covers_end then 1 else 0 end) = 1 as is_customer_at_end,
        coalesce(sum(case when covers_start then annual_value_in_reporting_currency end), 0)
            as recurring_revenue_at_start,
        coalesce(sum(case when covers_end then annual_value_in_reporting_currency end), 0)
            as recurring_revenue_at_end
    from covering
    group by 1, 2, 3

)

select
    cast(period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(period_start as date) as period_start,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(is_customer_at_start as {{ dbt.type_boolean() }}) as is_customer_at_start,
    cast(is_customer_at_end as {{ dbt.type_boolean() }}) as is_customer_at_end,
    cast(recurring_revenue_at_start as {{ type_double() }}) as recurring_revenue_at_start,
    cast(recurring_revenue_at_end as {{ type_double() }}) as recurring_revenue_at_end
from account_periods
where is_customer_at_start or is_customer_at_end
