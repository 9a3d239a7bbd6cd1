with source as (

    select * from {{ ref('base_salesforce__lead_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as lead_history_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,

        -- strings
        cast(trim(field) as {{ dbt.type_string() }}) as field_name,
        cast(trim(old_value) as {{ dbt.type_string() }}) as old_value,
        cast(trim(new_value) as {{ dbt.type_string() }}) as new_value,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as changed_at

    from source

)

select * from renamed
