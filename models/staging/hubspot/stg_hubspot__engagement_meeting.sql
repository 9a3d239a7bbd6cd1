with source as (

    select * from {{ ref('base_hubspot__engagement_meeting') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,

        -- strings
        cast(title as {{ dbt.type_string() }}) as meeting_title,

        -- timestamps
        cast(start_time as {{ dbt.type_timestamp() }}) as started_at,
        cast(end_time as {{ dbt.type_timestamp() }}) as ended_at

    from source

)

select * from renamed
