with source as (

    select * from {{ ref('base_facebook_ads__account_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as account_history_id,
        cast(id as {{ dbt.type_string() }}) as account_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as account_name,
        cast(upper(trim(currency)) as {{ dbt.type_string() }}) as currency_code,
        cast(trim(timezone_name) as {{ dbt.type_string() }}) as timezone_name,

        -- timestamps: the table has no change time; each sync is a version
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source

),

versioned as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.account_id
            order by renamed.synced_at desc
        ) = 1 as is_latest_version
    from renamed

)

select * from versioned
