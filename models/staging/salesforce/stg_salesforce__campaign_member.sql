with source as (

    select * from {{ ref('base_salesforce__campaign_member') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as campaign_member_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,

        -- strings
        cast(trim(status) as {{ dbt.type_string() }}) as member_status,

        -- booleans
        coalesce(cast(has_responded as {{ dbt.type_boolean() }}), false) as has_responded,

        -- dates and timestamps
        cast(first_responded_date as date) as first_responded_date,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
