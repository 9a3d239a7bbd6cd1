-- cost_per_lead, cost_per_opportunity, cac (blended), cac_marketing, cac_paid and
-- cac_payback_months by month and channel. Costs count in their month; sales cost and
-- unallocated marketing cost are shared out to the channels by their share of the month's
-- new customers (docs block kpi_acquisition_cost).
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
    where won.is_new_customer
    union all
    select
        {{ month_of('won_at') }} as period_start,
        coalesce(channel, 'unknown') as channel,
        'new_business_amount' as measure,
        amount_in_reporting_currency as amount
    from won
    where is_new_customer

),

dimensioned as (

    {{ by_dimensions('measures', {'all': "'all'", 'channel': 'channel'}) }}

),

-- the finance table is the cost ledger: a month it covers has every channel's cost known
-- (0 without a row); a month it does not cover, or a channel it cannot name, has no cost
finance_months as (

    select distinct cost_month
    from costs
    where cost_source = 'finance'

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
        max(case when measure in ('marketing_cost', 'sales_cost') then 1 else 0 end) = 1
            as has_cost,
        max(case when measure = 'ad_spend' then 1 else 0 end) = 1 as has_ad_spend
    from dimensioned
    group by 1, 2, 3

),

-- the month's cost no channel carries (sales, unallocated marketing) and its new customers
shared as (

    select
        totals.period_start,
        max(
            case
                when totals.dimension_value = 'unallocated'
                    then totals.marketing_cost + totals.sales_cost
            end
        ) as shared_cost,
        max(case when totals.dimension_name = 'all' then totals.new_customers end)
            as month_new_customers
    from totals
    group by 1

),

costed as (

    select
        totals.*,
        finance_months.cost_month is not null
        and (totals.has_cost or totals.dimension_value != 'unknown') as is_cost_known,
        -- a channel's own cost plus its share of the shared cost (none without new customers)
        totals.marketing_cost + totals.sales_cost + case
            when totals.dimension_name = 'all' then 0
            else coalesce(shared.shared_cost * {{ safe_divide(
                'totals.new_customers', 'shared.month_new_customers') }}, 0)
        end as acquisition_cost,
        -- monthly gross margin of the period's new customers: the first year's contract
        -- value (the won amount) over 12 months, times the gross margin rate
        totals.new_business_amount / 12 * {{ var('gross_margin_rate', 0.8) }}
            as new_monthly_gross_margin
    from totals
    left join finance_months
        on totals.period_start = finance_months.cost_month
    left join shared
        on totals.period_start = shared.period_start
    where totals.dimension_name = 'all' or totals.dimension_value != 'unallocated'

),

known as (

    select
        period_start,
        dimension_name,
        dimension_value,
        leads,
        opportunities,
        new_customers,
        paid_new_customers,
        new_monthly_gross_margin,
        has_ad_spend,
        ad_spend,
        case when is_cost_known then marketing_cost end as marketing_cost,
        case when is_cost_known then acquisition_cost end as acquisition_cost
    from costed

),

kpi_rows as (

    {{ kpi_ratio_rows('cost_per_lead', 'known', 'marketing_cost', 'leads',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('cost_per_opportunity', 'known', 'marketing_cost', 'opportunities',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('cac', 'known', 'acquisition_cost', 'new_customers',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('cac_marketing', 'known', 'marketing_cost', 'new_customers',
                      unit='currency', period_grain='month') }}
    union all
    {{ kpi_ratio_rows('cac_paid', 'known', 'ad_spend', 'paid_new_customers',
                      unit='currency', where='has_ad_spend', period_grain='month') }}
    union all
    -- cac / monthly gross margin per new customer = cost / monthly gross margin of all
    {{ kpi_ratio_rows('cac_payback_months', 'known', 'acquisition_cost',
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
