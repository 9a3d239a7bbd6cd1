with source as (

    select * from {{ ref('base_hubspot__company') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as company_id,
        cast(property_hubspot_owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(property_name as {{ dbt.type_string() }}) as company_name,
        cast(trim(property_industry) as {{ dbt.type_string() }}) as industry,
        cast(trim(property_country) as {{ dbt.type_string() }}) as country,
        cast(upper(trim(property_type)) as {{ dbt.type_string() }}) as company_type,

        -- numerics
        cast(property_numberofemployees as {{ dbt.type_int() }}) as number_of_employees,
        cast(property_annualrevenue as {{ type_double() }}) as annual_revenue,

        -- booleans
        coalesce(
            cast(property_hs_is_target_account as {{ dbt.type_boolean() }}), false
        ) as is_target_account,

        -- timestamps
        cast(property_createdate as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
