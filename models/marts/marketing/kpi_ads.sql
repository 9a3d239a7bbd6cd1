-- ad_impressions, ad_clicks, ad_spend (reporting currency), ad_ctr (clicks / impressions)
-- and ad_cpc (spend / clicks) by UTC day and month, per platform and campaign.
with ad_spend as (

    select * from {{ ref('int_ad_spend_daily') }}

),

spend_periods as (

    select
        'day' as period_grain,
        spend_date as period_start,
        platform,
        campaign_name,
        impressions,
        clicks,
        spend_in_reporting_currency
    from ad_spend
    union all
    select
        'month' as period_grain,
        {{ month_of('spend_date') }} as period_start,
        platform,
        campaign_name,
        impressions,
        clicks,
        spend_in_reporting_currency
    from ad_spend

),

dimensioned as (

    {{ by_dimensions('spend_periods', {
        'all': "'all'", 'platform': 'platform', 'campaign': 'campaign_name'}) }}

),

aggregated as (

    select
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_in_reporting_currency) as spend
    from dimensioned
    group by 1, 2, 3, 4

),

kpis as (

    {{ kpi_count_rows('ad_impressions', 'aggregated', 'impressions') }}
    union all
    {{ kpi_count_rows('ad_clicks', 'aggregated', 'clicks') }}
    union all
    {{ kpi_count_rows('ad_spend', 'aggregated', 'spend', unit='currency') }}
    union all
    {{ kpi_ratio_rows('ad_ctr', 'aggregated', 'clicks', 'impressions') }}
    union all
    {{ kpi_ratio_rows('ad_cpc', 'aggregated', 'spend', 'clicks', unit='currency') }}

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
from kpis
