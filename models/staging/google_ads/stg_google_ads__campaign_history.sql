with source as (

    select * from {{ ref('base_google_ads__campaign_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as campaign_history_id,
        cast(id as {{ dbt.type_bigint() }}) as campaign_id,
        cast(customer_id as {{ dbt.type_bigint() }}) as account_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as campaign_name,
        cast(trim(status) as {{ dbt.type_string() }}) as campaign_status,

        -- timestamps
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

),

versioned as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.campaign_id
            order by renamed.updated_at desc
        ) = 1 as is_latest_version
    from renamed

)

select * from versioned
