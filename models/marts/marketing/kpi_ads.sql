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

    select
        'ad_impressions' as kpi_id,
        *,
        cast(impressions as {{ type_double() }}) as value,
        cast(impressions as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        'count' as unit
    from aggregated
    union all
    select
        'ad_clicks' as kpi_id,
        *,
        cast(clicks as {{ type_double() }}) as value,
        cast(clicks as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        'count' as unit
    from aggregated
    union all
    select
        'ad_spend' as kpi_id,
        *,
        cast(spend as {{ type_double() }}) as value,
        cast(spend as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        'currency' as unit
    from aggregated
    union all
    select
        'ad_ctr' as kpi_id,
        *,
        {{ safe_divide('clicks', 'impressions') }} as value,
        cast(clicks as {{ type_double() }}) as numerator,
        cast(impressions as {{ type_double() }}) as denominator,
        'ratio' as unit
    from aggregated
    union all
    select
        'ad_cpc' as kpi_id,
        *,
        {{ safe_divide('spend', 'clicks') }} as value,
        cast(spend as {{ type_double() }}) as numerator,
        cast(clicks as {{ type_double() }}) as denominator,
        'currency' as unit
    from aggregated

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
