-- HubSpot engagements are the sales activities: calls, emails, tasks and meetings.
with source as (

    select * from {{ ref('base_hubspot__engagement') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as engagement_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(upper(trim(type)) as {{ dbt.type_string() }}) as engagement_type,

        -- timestamps
        cast(timestamp as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(last_updated as {{ dbt.type_timestamp() }}) as updated_at

    from source

)

select * from renamed
