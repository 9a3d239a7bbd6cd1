with source as (

    select * from {{ ref('base_hubspot__deal_company') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as deal_company_id,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(company_id as {{ dbt.type_string() }}) as company_id,
        cast(type_id as {{ dbt.type_int() }}) as association_type_id,

        -- strings
        cast(upper(trim(category)) as {{ dbt.type_string() }}) as association_category

    from source

)

select * from renamed
