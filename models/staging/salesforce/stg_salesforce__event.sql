with source as (

    select * from {{ ref('base_salesforce__event') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as event_id,
        cast(who_id as {{ dbt.type_string() }}) as who_id,
        cast(what_id as {{ dbt.type_string() }}) as what_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(trim(type) as {{ dbt.type_string() }}) as event_type,

        -- numerics
        cast(duration_in_minutes as {{ dbt.type_int() }}) as duration_minutes,

        -- timestamps
        cast(start_date_time as {{ dbt.type_timestamp() }}) as started_at,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
