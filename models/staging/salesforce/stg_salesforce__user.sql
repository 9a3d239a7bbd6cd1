with source as (

    select * from {{ ref('base_salesforce__user') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as user_id,
        cast(manager_id as {{ dbt.type_string() }}) as manager_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as user_name,
        cast(lower(trim(email)) as {{ dbt.type_string() }}) as email,
        cast(trim(department) as {{ dbt.type_string() }}) as department,
        cast(title as {{ dbt.type_string() }}) as title,

        -- booleans
        coalesce(cast(is_active as {{ dbt.type_boolean() }}), false) as is_active,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
