{#- The staging model of one HubSpot deal association table (deal_company, deal_contact):
    they share one layout, the associated object's id aside. -#}
{% macro stg_hubspot_deal_association(associated_object) -%}
with source as (

    select * from {{ ref('base_hubspot__deal_' ~ associated_object) }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as deal_{{ associated_object }}_id,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast({{ associated_object }}_id as {{ dbt.type_string() }}) as {{ associated_object }}_id,
        cast(type_id as {{ dbt.type_int() }}) as association_type_id,

        -- strings
        cast(upper(trim(category)) as {{ dbt.type_string() }}) as association_category

    from source

)

select * from renamed
{%- endmacro %}
