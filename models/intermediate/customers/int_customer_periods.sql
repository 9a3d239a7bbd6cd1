-- The calendar periods retention is measured over: every month, quarter and year from the
-- one holding the first activated contract's start to the last one that has fully passed
-- by the lifecycle as-of time (a period's last day must be before the as-of date).
with contracts as (

    select * from {{ ref('int_crm_contracts') }}
    where lower(contract_status) = 'activated'

),

first_contract as (

    select
        min(start_date) as first_start_date,
        {{ dbt.date_trunc('year', 'min(start_date)') }} as first_year_start
    from contracts

),

-- 600 months (50 years) is more than any contract history; later months are cut below
month_numbers as (

    {{ dbt.generate_series(600) }}

),

months as (

    select cast({{ dbt.dateadd('month', 'month_numbers.generated_number - 1',
        'first_contract.first_year_start') }} as date) as period_start
    from month_numbers
    cross join first_contract

),

periods as (

    select
        'month' as period_grain,
        period_start,
        cast({{ dbt.dateadd('month', 1, 'period_start') }} as date) as next_period_start
    from months
    union all
    select
        'quarter' as period_grain,
        period_start,
        cast({{ dbt.dateadd('month', 3, 'period_start') }} as date) as next_period_start
    from months
    where cast({{ dbt.date_trunc('quarter', 'period_start') }} as date) = period_start
    union all
    select
        'year' as period_grain,
        period_start,
        cast({{ dbt.dateadd('month', 12, 'period_start') }} as date) as next_period_start
    from months
    where cast({{ dbt.date_trunc('year', 'period_start') }} as date) = period_start

),

bounded as (

    select
        periods.period_grain,
        periods.period_start,
        cast({{ dbt.dateadd('day', -1, 'periods.next_period_start') }} as date) as period_end
    from periods
    cross join first_contract
    where
        periods.next_period_start > first_contract.first_start_date
        and periods.next_period_start <= cast({{ lifecycle_as_of() }} as date)

)

select
    cast(period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end
from bounded
