with source as (

    select * from {{ ref('base_marketo__activity_change_score') }}
    where _row_disposition = 'staged'
    {{- incremental_window('_fivetran_synced', 'synced_at') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as activity_id,
        cast(lead_id as {{ dbt.type_bigint() }}) as lead_id,
        cast(campaign_id as {{ dbt.type_bigint() }}) as campaign_id,

        -- strings
        cast(trim(reason) as {{ dbt.type_string() }}) as change_reason,

        -- numerics
        cast(change_value as {{ dbt.type_int() }}) as score_change,
        cast(old_value as {{ dbt.type_int() }}) as old_score,
        cast(new_value as {{ dbt.type_int() }}) as new_score,

        -- timestamps
        cast(activity_date as {{ dbt.type_timestamp() }}) as activity_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source

)

select * from renamed
