with source as (

    select * from {{ ref('base_hubspot__deal_contact') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as deal_contact_id,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(type_id as {{ dbt.type_int() }}) as association_type_id,

        -- strings
        cast(upper(trim(category)) as {{ dbt.type_string() }}) as association_category

    from source

)

select * from renamed
