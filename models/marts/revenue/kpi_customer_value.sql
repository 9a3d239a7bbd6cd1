-- revenue (won amounts by month × revenue type, channel, segment) and clv, clv_historical and
-- clv_lifetime_months (cohorts of new customers by the month of their first new-customer
-- win), by segment.
with won as (

    select * from {{ ref('int_won_opportunities') }}

),

contracts as (

    select * from {{ ref('int_crm_contracts') }}
    where lower(contract_status) = 'activated'

),

churn_dates as (

    select * from {{ ref('int_account_churn_dates') }}

),

segments as (

    select * from {{ ref('int_account_segments') }}

),

cohorts as (

    select
        account_id,
        acquired_at as first_won_at
    from {{ ref('int_account_acquisitions') }}

),

as_of as (

    -- the last day realised so far: the day before the as-of time
    select
        cast({{ dbt.dateadd('day', -1, 'cast(' ~ lifecycle_as_of() ~ ' as date)') }} as date)
            as last_realised_day

),

revenue_rows as (

    select
        {{ month_of('won.won_at') }} as period_start,
        won.revenue_type,
        won.channel,
        won.amount_in_reporting_currency as amount,
        segments.industry,
        segments.company_size_band,
        segments.country,
        segments.abm_target
    from won
    left join segments
        on won.account_id = segments.account_id

),


-- revenue realised since the first win: each activated contract's annual value per day
-- (365 a year) over its days from the win to the day before the as-of time
contract_days as (

    select
        cohorts.account_id,
        contracts.annual_value_in_reporting_currency / 365 as daily_revenue,
        case
            when contracts.start_date > cast(cohorts.first_won_at as date) then contracts.start_date
            else cast(cohorts.first_won_at as date)
        end as first_day,
        case
            when contracts.end_date < as_of.last_realised_day then contracts.end_date
            else as_of.last_realised_day
        end as last_day
    from cohorts
    inner join contracts
        on cohorts.account_id = contracts.account_id
    cross join as_of

),

covered_days as (

    select
        account_id,
        daily_revenue,
        first_day,
        last_day,
        1 + {{ dbt.datediff('first_day', 'last_day', 'day') }}
            as days_covered
    from contract_days
    where last_day >= first_day

),

realised as (

    select
        account_id,
        sum(daily_revenue * days_covered) as realised_revenue
    from covered_days
    group by account_id

),

-- the days an account was a customer since its first win: the union of its covered spans
-- (co-termed contracts overlap), as islands of spans that touch or overlap
spans as (

    select
        account_id,
        first_day,
        last_day,
        max(last_day) over (
            partition by account_id order by first_day, last_day
            rows between unbounded preceding and 1 preceding
        ) as previous_last_day
    from covered_days

),

islands as (

    select
        account_id,
        first_day,
        last_day,
        sum(
            case
                when
                    previous_last_day is null
                    or first_day > cast({{ dbt.dateadd('day', 1, 'previous_last_day') }} as date)
                    then 1
                else 0
            end
        ) over (
            partition by account_id order by first_day, last_day
            rows between unbounded preceding and current row
        ) as island
    from spans

),

island_spans as (

    select
        account_id,
        min(first_day) as first_day,
        max(last_day) as last_day
    from islands
    group by account_id, island

),

customer_days as (

    select
        account_id,
        sum(1 + {{ dbt.datediff('first_day', 'last_day', 'day') }}) as days_as_customer
    from island_spans
    group by account_id

),

churned as (

    select distinct cohorts.account_id
    from cohorts
    inner join churn_dates
        on
            cohorts.account_id = churn_dates.account_id
            and churn_dates.churned_on > cast(cohorts.first_won_at as date)

),

customer_rows as (

    select
        {{ month_of('cohorts.first_won_at') }} as period_start,
        cohorts.account_id,
        coalesce(realised.realised_revenue, 0) * {{ var('gross_margin_rate', 0.8) }}
            as gross_margin,
        -- months of 365 / 12 days, as the daily revenue is a 365th of the annual value (the
        -- days as a double first: on Spark an integer times 12.0 is a decimal, divided to 6
        -- places)
        cast(coalesce(customer_days.days_as_customer, 0) as {{ type_double() }}) * 12 / 365
            as customer_months,
        case when churned.account_id is not null then 1 else 0 end as is_churned,
        segments.industry,
        segments.company_size_band,
        segments.country,
        segments.abm_target
    from cohorts
    left join realised
        on cohorts.account_id = realised.account_id
    left join customer_days
        on cohorts.account_id = customer_days.account_id
    left join churned
        on cohorts.account_id = churned.account_id
    left join segments
        on cohorts.account_id = segments.account_id

),

{%- set segment_dimensions = customer_segment_dimensions() %}
{%- set revenue_dimensions = {'type': 'revenue_type', 'channel': 'channel'} %}
{%- do revenue_dimensions.update(segment_dimensions) %}

revenue_dimensioned as (

    {{ by_dimensions('revenue_rows', revenue_dimensions) }}

),

revenue_typed as (

    -- the type rows also carry the sum over every type as 'all', so the dimension is
    -- complete by itself
    select * from revenue_dimensioned
    union all
    select
        revenue_rows.*,
        'type' as dimension_name,
        'all' as dimension_value
    from revenue_rows

),

customer_dimensioned as (

    {{ by_dimensions('customer_rows', segment_dimensions) }}

),

revenue_sums as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(amount) as amount
    from revenue_typed
    group by period_start, dimension_name, dimension_value

),

cohort_sums as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(gross_margin) as gross_margin,
        sum(customer_months) as customer_months,
        count(*) as customers,
        sum(is_churned) as churned_customers
    from customer_dimensioned
    group by period_start, dimension_name, dimension_value

),

cohort_lifetimes as (

    select
        *,
        {{ capped_lifetime_months('customer_months', 'churned_customers') }} as lifetime_months
    from cohort_sums

),

cohort_values as (

    select
        *,
        gross_margin * lifetime_months as lifetime_gross_margin
    from cohort_lifetimes

),

kpi_rows as (

    {{ kpi_count_rows('revenue', 'revenue_sums', 'amount', unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('clv_historical', 'cohort_values', 'gross_margin', 'customers',
                      unit='currency', period_grain='cohort_month') }}
    union all
    -- (margin / customer-months) × lifetime: numerator margin × lifetime, per customer-month
    {{ kpi_ratio_rows('clv', 'cohort_values', 'lifetime_gross_margin', 'customer_months',
                      unit='currency', period_grain='cohort_month') }}
    union all
    {{ kpi_count_rows('clv_lifetime_months', 'cohort_values', 'lifetime_months',
                      unit='months', period_grain='cohort_month') }}

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
