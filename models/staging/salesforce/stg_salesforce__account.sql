with source as (

    select * from {{ ref('base_salesforce__account') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as account_name,
        cast(trim(industry) as {{ dbt.type_string() }}) as industry,
        cast(trim(billing_country) as {{ dbt.type_string() }}) as billing_country,
        cast(trim(type) as {{ dbt.type_string() }}) as account_type,

        -- numerics
        cast(number_of_employees as {{ dbt.type_int() }}) as number_of_employees,
        cast(annual_revenue as {{ dbt.type_numeric() }}) as annual_revenue,

        -- booleans
        coalesce(cast(abm_target_c as {{ dbt.type_boolean() }}), false) as is_abm_target,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
