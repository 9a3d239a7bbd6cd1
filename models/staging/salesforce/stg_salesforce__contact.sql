with source as (

    select * from {{ ref('base_salesforce__contact') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as contact_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(lower(trim(email)) as {{ dbt.type_string() }}) as email,
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(title as {{ dbt.type_string() }}) as title,
        cast(trim(lead_source) as {{ dbt.type_string() }}) as lead_source,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
