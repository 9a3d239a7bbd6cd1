{#- The staging model of one Marketo email activity table (send, delivered, bounced, open,
    click, unsubscribe): they share one layout, clicks add the link. -#}
{% macro stg_marketo_email_activity(activity_table, has_link=false) -%}
with source as (

    select * from {{ ref('base_marketo__' ~ activity_table) }}
    where _row_disposition = 'staged'
    {{- incremental_window('_fivetran_synced', 'synced_at') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as activity_id,
        cast(lead_id as {{ dbt.type_bigint() }}) as lead_id,
        cast(campaign_id as {{ dbt.type_bigint() }}) as campaign_id,
        cast(email_template_id as {{ dbt.type_bigint() }}) as email_template_id,
        cast(primary_attribute_value_id as {{ dbt.type_bigint() }}) as primary_attribute_value_id,
        {%- if has_link %}

        -- strings
        cast(trim(link) as {{ dbt.type_string() }}) as link_url,
        {%- endif %}

        -- timestamps
        cast(activity_date as {{ dbt.type_timestamp() }}) as activity_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source

)

select * from renamed
{%- endmacro %}
