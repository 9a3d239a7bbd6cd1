with source as (

    select * from {{ ref('base_hubspot__engagement_email') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,

        -- strings
        cast(subject as {{ dbt.type_string() }}) as email_subject

    from source

)

select * from renamed
