with source as (

    select * from {{ ref('base_facebook_ads__ad_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as ad_history_id,
        cast(id as {{ dbt.type_string() }}) as ad_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(ad_set_id as {{ dbt.type_string() }}) as ad_set_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as ad_name,

        -- timestamps
        cast(updated_time as {{ dbt.type_timestamp() }}) as updated_at

    from source

),

versioned as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.ad_id
            order by renamed.updated_at desc
        ) = 1 as is_latest_version
    from renamed

)

select * from versioned
