with source as (

    select * from {{ ref('base_google_ads__campaign_stats') }}
    where _row_disposition = 'staged'
    {{- incremental_window('_fivetran_synced', 'synced_at') }}

),

-- Spend is in the ad account's currency. An account's currency cannot change in Google Ads,
-- so the latest account_history version (one row per account) gives it for every day; the
-- join adds no rows.
accounts as (

    select
        account_id,
        currency_code
    from {{ ref('stg_google_ads__account_history') }}
    where is_latest_version

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as campaign_stats_id,
        cast(customer_id as {{ dbt.type_bigint() }}) as account_id,
        cast(id as {{ dbt.type_bigint() }}) as campaign_id,

        -- strings
        cast(trim(ad_network_type) as {{ dbt.type_string() }}) as ad_network_type,
        cast(trim(device) as {{ dbt.type_string() }}) as device,

        -- numerics: cost_micros is the spend x 1,000,000
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(cost_micros as {{ dbt.type_bigint() }}) as cost_micros,
        cast(cost_micros / 1000000.0 as {{ dbt.type_numeric() }}) as spend,
        cast(conversions as {{ dbt.type_numeric() }}) as conversions,
        cast(conversions_value as {{ dbt.type_numeric() }}) as conversions_value,

        -- dates: the day in the ad account's time zone
        cast(date as date) as report_date,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source

),

converted as (

    select
        renamed.*,
        accounts.currency_code,
        '{{ var("reporting_currency") }}' as reporting_currency_code,
        {{ to_reporting_currency('renamed.spend', 'fx') }}
            as spend_in_reporting_currency
    from renamed
    left join accounts
        on renamed.account_id = accounts.account_id
    {{ join_conversion_rates('accounts.currency_code', 'renamed.report_date', 'fx') }}

)

select * from converted
