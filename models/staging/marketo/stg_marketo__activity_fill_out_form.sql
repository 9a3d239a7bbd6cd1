with source as (

    select * from {{ ref('base_marketo__activity_fill_out_form') }}
    where _row_disposition = 'staged'
    {{- incremental_window('_fivetran_synced', 'synced_at') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as activity_id,
        cast(lead_id as {{ dbt.type_bigint() }}) as lead_id,
        cast(campaign_id as {{ dbt.type_bigint() }}) as campaign_id,
        cast(webform_id as {{ dbt.type_bigint() }}) as form_id,

        -- strings
        cast(trim(referrer_url) as {{ dbt.type_string() }}) as referrer_url,

        -- timestamps
        cast(activity_date as {{ dbt.type_timestamp() }}) as activity_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source

)

select * from renamed
