with source as (

    select * from {{ ref('base_google_ads__account_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as account_history_id,
        cast(id as {{ dbt.type_bigint() }}) as account_id,

        -- strings
        cast(descriptive_name as {{ dbt.type_string() }}) as account_name,
        cast(upper(trim(currency_code)) as {{ dbt.type_string() }}) as currency_code,
        cast(trim(time_zone) as {{ dbt.type_string() }}) as timezone_name,

        -- timestamps
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

),

versioned as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.account_id
            order by renamed.updated_at desc
        ) = 1 as is_latest_version
    from renamed

)

select * from versioned
