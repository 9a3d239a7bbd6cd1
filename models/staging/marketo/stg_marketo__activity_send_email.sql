with source as (

    select * from {{ ref('base_marketo__activity_send_email') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as activity_id,
        cast(lead_id as {{ dbt.type_bigint() }}) as lead_id,
        cast(campaign_id as {{ dbt.type_bigint() }}) as campaign_id,
        cast(email_template_id as {{ dbt.type_bigint() }}) as email_template_id,
        cast(primary_attribute_value_id as {{ dbt.type_bigint() }}) as primary_attribute_value_id,

        -- timestamps
        cast(activity_date as {{ dbt.type_timestamp() }}) as activity_at

    from source

)

select * from renamed
