-- One row per change of a contact property (lead status, lifecycle stage, owner): the value
-- the property took and when.
with source as (

    select * from {{ ref('base_hubspot__contact_property_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as property_change_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(source_id as {{ dbt.type_string() }}) as change_source_id,

        -- strings
        cast(trim(name) as {{ dbt.type_string() }}) as property_name,
        cast(trim(value) as {{ dbt.type_string() }}) as property_value,
        cast(upper(trim(source)) as {{ dbt.type_string() }}) as change_source,

        -- timestamps
        cast(timestamp as {{ dbt.type_timestamp() }}) as changed_at

    from source

)

select * from renamed
