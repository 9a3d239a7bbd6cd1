with source as (

    select * from {{ ref('base_linkedin_ads__ad_analytics_by_campaign') }}
    where _row_disposition = 'staged'
    {{- incremental_window('_fivetran_synced', 'synced_at') }}

),

-- Spend is in the ad account's currency: campaign -> account through the latest version of
-- each (one row per id), so the joins add no rows.
campaigns as (

    select
        campaign_id,
        account_id
    from {{ ref('stg_linkedin_ads__campaign_history') }}
    where is_latest_version

),

accounts as (

    select
        account_id,
        currency_code
    from {{ ref('stg_linkedin_ads__account_history') }}
    where is_latest_version

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as ad_analytics_id,
        cast(campaign_id as {{ dbt.type_bigint() }}) as campaign_id,

        -- numerics
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(cost_in_local_currency as {{ dbt.type_numeric() }}) as spend,
        cast(cost_in_usd as {{ dbt.type_numeric() }}) as spend_usd,
        cast(external_website_conversions as {{ dbt.type_bigint() }})
            as external_website_conversions,
        cast(one_click_leads as {{ dbt.type_bigint() }}) as one_click_leads,

        -- dates
        cast(day as date) as report_date,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source

),

converted as (

    select
        renamed.*,
        campaigns.account_id,
        accounts.currency_code,
        '{{ var("reporting_currency") }}' as reporting_currency_code,
        {{ to_reporting_currency('renamed.spend', 'fx') }}
            as spend_in_reporting_currency
    from renamed
    left join campaigns
        on renamed.campaign_id = campaigns.campaign_id
    left join accounts
        on campaigns.account_id = accounts.account_id
    {{ join_conversion_rates('accounts.currency_code', 'renamed.report_date', 'fx') }}

)

select * from converted
