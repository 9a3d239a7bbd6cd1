-- Marketing and sales cost per month and channel, following the catalogue's cost rules:
-- ad spend comes from the ad platforms (the source of truth for ads), so finance 'ads'
-- rows are left out (they only reconcile with the platforms); every other finance
-- marketing category is marketing cost, and the sales cost centre is sales cost.
with ad_spend as (

    select * from {{ ref('int_ad_spend_daily') }}

),

finance_costs as (

    select * from {{ ref('stg_finance__marketing_sales_costs') }}

),

platform_channels as (

    select * from {{ ref('ad_platform_channels') }}

),

ad_costs as (

    select
        {{ month_of('ad_spend.spend_date') }} as cost_month,
        'marketing' as cost_type,
        'ad_platform' as cost_source,
        coalesce(platform_channels.channel, 'unknown') as channel,
        sum(ad_spend.spend_in_reporting_currency) as amount_in_reporting_currency
    from ad_spend
    left join platform_channels
        on lower(ad_spend.platform) = lower(platform_channels.platform)
    group by 1, 2, 3, 4

),

other_costs as (

    select
        cost_month,
        cost_center as cost_type,
        'finance' as cost_source,
        channel,
        sum(amount_in_reporting_currency) as amount_in_reporting_currency
    from finance_costs
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
