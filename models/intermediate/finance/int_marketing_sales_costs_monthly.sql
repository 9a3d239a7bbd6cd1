-- Marketing and sales cost per month and channel, following the catalogue's cost rules:
-- ad spend comes from the ad platforms (the source of truth for ads), so finance 'ads'
-- rows are left out (they only reconcile with the platforms); every other finance
-- marketing category is marketing cost, and the sales cost centre is sales cost.
with ad_spend_daily as (

    select * from {{ ref('int_ad_spend_daily') }}

),

finance_costs as (

    select * from {{ ref('stg_finance__marketing_sales_costs') }}

),

-- Channels by the channel_mapping seed: the platform's for ad spend; the finance row's own
-- channel otherwise, none meaning unallocated.
ad_spend as (

    select
        ad_spend_daily.*,
        {{ map_channel("'ad_platform'", 'ad_spend_daily.platform') }} as channel
    from ad_spend_daily

),

other_finance_costs as (

    select
        finance_costs.*,
        {{ map_channel("'finance_channel'", 'finance_costs.channel', when_missing='null') }}
            as mapped_channel
    from finance_costs

),

ad_costs as (

    select
        {{ month_of('ad_spend.spend_date') }} as cost_month,
        'marketing' as cost_type,
        'ad_platform' as cost_source,
        ad_spend.channel,
        sum(ad_spend.spend_in_reporting_currency) as amount_in_reporting_currency
    from ad_spend
    group by 1, 2, 3, 4

),

other_costs as (

    select
        cost_month,
        cost_center as cost_type,
        'finance' as cost_source,
        mapped_channel as channel,
        sum(amount_in_reporting_currency) as amount_in_reporting_currency
    from other_finance_costs
    where
        cost_center = 'sales'
        or (cost_center = 'marketing' and cost_category != 'ads')
    group by 1, 2, 3, 4

),

unioned as (

    select * from ad_costs
    union all
    select * from other_costs

)

select
    cast(cost_month as date) as cost_month,
    cast(cost_type as {{ dbt.type_string() }}) as cost_type,
    cast(cost_source as {{ dbt.type_string() }}) as cost_source,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(amount_in_reporting_currency as {{ type_double() }}) as amount_in_reporting_currency
from unioned
