with source as (

    select * from {{ ref('base_salesforce__task') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as task_id,
        cast(who_id as {{ dbt.type_string() }}) as who_id,
        cast(what_id as {{ dbt.type_string() }}) as what_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(trim(task_subtype) as {{ dbt.type_string() }}) as task_subtype,
        cast(trim(type) as {{ dbt.type_string() }}) as task_type,
        cast(subject as {{ dbt.type_string() }}) as subject,
        cast(trim(status) as {{ dbt.type_string() }}) as task_status,

        -- dates and timestamps
        cast(activity_date as date) as activity_date,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
