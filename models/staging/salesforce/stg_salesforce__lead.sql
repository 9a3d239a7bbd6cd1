with source as (

    select * from {{ ref('base_salesforce__lead') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as lead_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(converted_account_id as {{ dbt.type_string() }}) as converted_account_id,
        cast(converted_contact_id as {{ dbt.type_string() }}) as converted_contact_id,
        cast(converted_opportunity_id as {{ dbt.type_string() }}) as converted_opportunity_id,

        -- strings
        cast(lower(trim(email)) as {{ dbt.type_string() }}) as email,
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(company as {{ dbt.type_string() }}) as company_name,
        cast(title as {{ dbt.type_string() }}) as title,
        cast(trim(industry) as {{ dbt.type_string() }}) as industry,
        cast(trim(country) as {{ dbt.type_string() }}) as country,
        cast(trim(lead_source) as {{ dbt.type_string() }}) as lead_source,
        cast(trim(status) as {{ dbt.type_string() }}) as lead_status,
        cast(trim(disqualification_reason_c) as {{ dbt.type_string() }}) as disqualification_reason,

        -- numerics
        cast(number_of_employees as {{ dbt.type_int() }}) as number_of_employees,

        -- booleans
        coalesce(cast(is_converted as {{ dbt.type_boolean() }}), false) as is_converted,

        -- dates and timestamps
        cast(converted_date as date) as converted_date,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
