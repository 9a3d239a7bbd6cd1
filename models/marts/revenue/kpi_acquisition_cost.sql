-- cost_per_lead, cost_per_opportunity, cac, cac_paid and cac_payback_months by month and
-- channel. Costs count in their month; a channel's rows use only the cost booked to it, so
-- sales cost and unallocated marketing cost appear in the 'all' rows only.
with costs as (

    select * from {{ ref('int_marketing_sales_costs_monthly') }}

),

lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

won as (

    select * from {{ ref('int_won_opportunities') }}

),

platform_channels as (

    select * from {{ ref('ad_platform_channels') }}

),

measures as (

    select
        cost_month as period_start,
        coalesce(channel, 'unallocated') as channel,
        case
            when cost_type = 'sales' then 'sales_cost'
            else 'marketing_cost'
        end as measure,
        amount_in_reporting_currency as amount
    from costs
    union all
    select
        cost_month as period_start,
        channel,
        'ad_spend' as measure,
        amount_in_reporting_currency as amount
    from costs
    where cost_source = 'ad_platform'
    union all
    select
        {{ month_of('lead_at') }} as period_start,
        channel,
        'leads' as measure,
        1 as amount
    from lifecycle
    union all
    select
        {{ month_of('opportunity_at') }} as period_start,
        channel,
        'opportunities' as measure,
        1 as amount
    from lifecycle
    where opportunity_at is not null
    union all
    select
        {{ month_of('won.won_at') }} as period_start,
        coalesce(won.channel, 'unknown') as channel,
        case
            when won.channel in (select platform_channels.channel from platform_channels)
                then 'paid_new_customers'
            else 'unpaid_new_customers'
        end as measure,
        1 as amount
    from won
    where won.opportunity_type = 'new_business'
    union all
    select
        {{ month_of('won_at') }} as period_start,
        coalesce(channel, 'unknown') as channel,
        'new_business_amount' as measure,
        amount_in_reporting_currency as amount
    from won
    where opportunity_type = 'new_business'

),

dimensioned as (

    {{ by_dimensions('measures', {'all': "'all'", 'channel': 'channel'}) }}

),

totals as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(case when measure = 'marketing_cost' then amount else 0 end) as marketing_cost,
        sum(case when measure = 'sales_cost' then amount else 0 end) as sales_cost,
        sum(case when measure = 'ad_spend' then amount else 0 end) as ad_spend,
        sum(case when measure = 'leads' then amount else 0 end) as leads,
        sum(case when measure = 'opportunities' then amount else 0 end) as opportunities,
        sum(case when measure = 'paid_new_customers' then amount else 0 end)
            as paid_new_customers,
        sum(
            case
                when measure in ('paid_new_customers', 'unpaid_new_customers') then amount
                else 0
            end
        ) as new_customers,
        sum(case when measure = 'new_business_amount' then amount else 0 end)
            as new_business_amount,
        max(case when measure = 'marketing_cost' then 1 else 0 end) = 1 as has_marketing_cost,
        max(case when measure = 'ad_spend' then 1 else 0 end) = 1 as has_ad_spend
    from dimensioned
    where dimension_name = 'all' or dimension_value != 'unallocated'
    group by 1, 2, 3

),

costed as (

    select
        *,
        case
            when dimension_name = 'all' then marketing_cost + sales_cost
            else marketing_cost
        end as acquisition_cost,
        -- monthly gross margin of the period's new customers: the first year's contract
        -- value (the won amount) over 12 months, times the gross margin rate
        new_business_amount / 12 * {{ var('gross_margin_rate', 0.8) }} as new_monthly_gross_margin
    from totals
    where has_marketing_cost

),

kpi_rows as (

    select
        'cost_per_lead' as kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        marketing_cost as numerator,
        leads as denominator,
        {{ safe_divide('marketing_cost', 'leads') }} as value
    from costed
    union all
    select
        'cost_per_opportunity' as kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        marketing_cost as numerator,
        opportunities as denominator,
        {{ safe_divide('marketing_cost', 'opportunities') }} as value
    from costed
    union all
    select
        'cac' as kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        acquisition_cost as numerator,
        new_customers as denominator,
        {{ safe_divide('acquisition_cost', 'new_customers') }} as value
    from costed
    union all
    select
        'cac_paid' as kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        ad_spend as numerator,
        paid_new_customers as denominator,
        {{ safe_divide('ad_spend', 'paid_new_customers') }} as value
    from costed
    where has_ad_spend
    union all
    -- cac / monthly gross margin per new customer = cost / monthly gross margin of all
    select
        'cac_payback_months' as kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        acquisition_cost as numerator,
        new_monthly_gross_margin as denominator,
        {{ safe_divide('acquisition_cost', 'new_monthly_gross_margin') }} as value
    from costed

)

select
    kpi_id,
    'month' as period_grain,
    period_start,
    dimension_name,
    dimension_value,
    cast(value as {{ type_double() }}) as value,
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator,
    case when kpi_id = 'cac_payback_months' then 'months' else 'currency' end as unit
from kpi_rows
