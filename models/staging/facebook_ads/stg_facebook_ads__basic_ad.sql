with source as (

    select * from {{ ref('base_facebook_ads__basic_ad') }}
    where _row_disposition = 'staged'
    {{- incremental_window('_fivetran_synced', 'synced_at') }}

),

-- Spend is in the ad account's currency: the account's latest version (one row per account),
-- so the join adds no rows.
accounts as (

    select
        account_id,
        currency_code
    from {{ ref('stg_facebook_ads__account_history') }}
    where is_latest_version

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as basic_ad_id,
        cast(ad_id as {{ dbt.type_string() }}) as ad_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- numerics
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(inline_link_clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(reach as {{ dbt.type_bigint() }}) as reach,
        cast(spend as {{ dbt.type_numeric() }}) as spend,

        -- dates
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
