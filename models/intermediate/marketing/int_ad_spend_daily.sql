-- Ad spend of Google, LinkedIn and Meta in one shape: one row per day, platform and
-- campaign. The campaign name is the latest version's name, i.e. the UTM campaign of the
-- ads' landing-page links.
{#- Each platform is optional (`<platform>_ads_enabled`); without any, the model is empty. -#}
{%- set platforms = [] -%}
{%- for platform in ['google', 'linkedin', 'facebook'] -%}
{%- if var(platform ~ '_ads_enabled') %}{% do platforms.append(platform) %}{% endif -%}
{%- endfor %}
{%- if platforms %}
with
{% if var('google_ads_enabled') %}
google_stats as (

    select * from {{ ref('stg_google_ads__campaign_stats') }}

),

google_campaigns as (

    select * from {{ ref('stg_google_ads__campaign_history') }}
    where is_latest_version

),

{% endif %}
{% if var('linkedin_ads_enabled') %}
linkedin_stats as (

    select * from {{ ref('stg_linkedin_ads__ad_analytics_by_campaign') }}

),

linkedin_campaigns as (

    select * from {{ ref('stg_linkedin_ads__campaign_history') }}
    where is_latest_version

),

{% endif %}
{% if var('facebook_ads_enabled') %}
facebook_stats as (

    select * from {{ ref('stg_facebook_ads__basic_ad') }}

),

facebook_ads as (

    select * from {{ ref('stg_facebook_ads__ad_history') }}
    where is_latest_version

),

facebook_campaigns as (

    select * from {{ ref('stg_facebook_ads__campaign_history') }}
    where is_latest_version

),

{% endif %}
{% if var('google_ads_enabled') %}
-- Google reports one row per network x device: summed to the campaign and day.
google_daily as (

    select
        google_stats.report_date as spend_date,
        'google_ads' as platform,
        cast(google_stats.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        google_campaigns.campaign_name,
        google_stats.currency_code,
        sum(google_stats.impressions) as impressions,
        sum(google_stats.clicks) as clicks,
        sum(google_stats.spend) as spend,
        sum(google_stats.spend_in_reporting_currency) as spend_in_reporting_currency
    from google_stats
    left join google_campaigns
        on google_stats.campaign_id = google_campaigns.campaign_id
    group by 1, 2, 3, 4, 5

),

{% endif %}
{% if var('linkedin_ads_enabled') %}
linkedin_daily as (

    select
        linkedin_stats.report_date as spend_date,
        'linkedin_ads' as platform,
        cast(linkedin_stats.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        linkedin_campaigns.campaign_name,
        linkedin_stats.currency_code,
        sum(linkedin_stats.impressions) as impressions,
        sum(linkedin_stats.clicks) as clicks,
        sum(linkedin_stats.spend) as spend,
        sum(linkedin_stats.spend_in_reporting_currency) as spend_in_reporting_currency
    from linkedin_stats
    left join linkedin_campaigns
        on linkedin_stats.campaign_id = linkedin_campaigns.campaign_id
    group by 1, 2, 3, 4, 5

),

{% endif %}
{% if var('facebook_ads_enabled') %}
-- Meta reports per ad: the ad's latest version gives its campaign.
facebook_daily as (

    select
        facebook_stats.report_date as spend_date,
        'facebook_ads' as platform,
        facebook_ads.campaign_id,
        facebook_campaigns.campaign_name,
        facebook_stats.currency_code,
        sum(facebook_stats.impressions) as impressions,
        sum(facebook_stats.clicks) as clicks,
        sum(facebook_stats.spend) as spend,
        sum(facebook_stats.spend_in_reporting_currency) as spend_in_reporting_currency
    from facebook_stats
    left join facebook_ads
        on facebook_stats.ad_id = facebook_ads.ad_id
    left join facebook_campaigns
        on facebook_ads.campaign_id = facebook_campaigns.campaign_id
    group by 1, 2, 3, 4, 5

),

{% endif %}
unioned as (
    {%- for platform in platforms %}

    select * from {{ platform }}_daily
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select
    cast(spend_date as date) as spend_date,
    cast(platform as {{ dbt.type_string() }}) as platform,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
    cast(impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(clicks as {{ dbt.type_bigint() }}) as clicks,
    cast(spend as {{ type_double() }}) as spend,
    cast(currency_code as {{ dbt.type_string() }}) as currency_code,
    cast(spend_in_reporting_currency as {{ type_double() }}) as spend_in_reporting_currency
from unioned
{%- else %}
select
    cast(null as date) as spend_date,
    cast(null as {{ dbt.type_string() }}) as platform,
    cast(null as {{ dbt.type_string() }}) as campaign_id,
    cast(null as {{ dbt.type_string() }}) as campaign_name,
    cast(null as {{ dbt.type_bigint() }}) as impressions,
    cast(null as {{ dbt.type_bigint() }}) as clicks,
    cast(null as {{ type_double() }}) as spend,
    cast(null as {{ dbt.type_string() }}) as currency_code,
    cast(null as {{ type_double() }}) as spend_in_reporting_currency
where 1 = 0
{% endif %}
