{#- The staging model of one HubSpot association table (`<object>_<associated object>`:
    deal_company, deal_contact, engagement_contact, engagement_deal): they share one layout,
    the two ids aside; the deal associations also carry the association's type and category. -#}
{% macro stg_hubspot_association(object_name, associated_object, typed=true) -%}
with source as (

    select * from {{ ref('base_hubspot__' ~ object_name ~ '_' ~ associated_object) }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }})
            as {{ object_name }}_{{ associated_object }}_id,
        cast({{ object_name }}_id as {{ dbt.type_string() }}) as {{ object_name }}_id,
        cast({{ associated_object }}_id as {{ dbt.type_string() }}) as {{ associated_object }}_id
        {%- if typed %},
        cast(type_id as {{ dbt.type_int() }}) as association_type_id,

        -- strings
        cast(upper(trim(category)) as {{ dbt.type_string() }}) as association_category
        {%- endif %}

    from source

)

select * from renamed
{%- endmacro %}
