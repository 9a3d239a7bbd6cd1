-- HubSpot owners are the reps (users who can own records).
with source as (

    select * from {{ ref('base_hubspot__owner') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(lower(trim(email)) as {{ dbt.type_string() }}) as email,
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(
            {{ dbt.concat(['first_name', "' '", 'last_name']) }} as {{ dbt.type_string() }}
        ) as owner_name,
        cast(upper(trim(type)) as {{ dbt.type_string() }}) as owner_type,

        -- booleans
        coalesce(cast(is_active as {{ dbt.type_boolean() }}), false) as is_active,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

)

select * from renamed
