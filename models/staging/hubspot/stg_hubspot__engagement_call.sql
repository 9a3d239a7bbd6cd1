with source as (

    select * from {{ ref('base_hubspot__engagement_call') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,

        -- strings
        cast(title as {{ dbt.type_string() }}) as call_title,
        cast(upper(trim(status)) as {{ dbt.type_string() }}) as call_status

    from source

)

select * from renamed
