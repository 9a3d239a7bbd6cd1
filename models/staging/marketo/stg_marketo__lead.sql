with source as (

    select * from {{ ref('base_marketo__lead') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as lead_id,
        cast(sfdc_lead_id as {{ dbt.type_string() }}) as salesforce_lead_id,
        cast(sfdc_contact_id as {{ dbt.type_string() }}) as salesforce_contact_id,
        cast(sfdc_account_id as {{ dbt.type_string() }}) as salesforce_account_id,

        -- strings
        cast(lower(trim(email)) as {{ dbt.type_string() }}) as email,

        -- numerics
        cast(lead_score as {{ dbt.type_int() }}) as lead_score,

        -- booleans
        coalesce(cast(unsubscribed as {{ dbt.type_boolean() }}), false) as is_unsubscribed,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

)

select * from renamed
