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

-- the paid channels: those the channel_mapping seed books ad platforms' spend to
platform_channels as (

    select * from {{ ref('int_channel_mapping') }}
    where source_field = 'ad_platform'

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

    {{ kpi_ratio_rows('cost_per_lead', 'costed', 'marketing_cost', 'leads',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('cost_per_opportunity', 'costed', 'marketing_cost', 'opportunities',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('cac', 'costed', 'acquisition_cost', 'new_customers',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('cac_paid', 'costed', 'ad_spend', 'paid_new_customers',
                      unit='currency', where='has_ad_spend', period_grain='month') }}
    union all
    -- cac / monthly gross margin per new customer = cost / monthly gross margin of all
    {{ kpi_ratio_rows('cac_payback_months', 'costed', 'acquisition_cost',
                      'new_monthly_gross_margin', unit='months', period_grain='month') }}

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
