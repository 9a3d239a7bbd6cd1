with source as (

    select * from {{ ref('base_hubspot__deal_pipeline_stage') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(lower(trim(stage_id)) as {{ dbt.type_string() }}) as pipeline_stage_id,
        cast(pipeline_id as {{ dbt.type_string() }}) as pipeline_id,

        -- strings
        cast(label as {{ dbt.type_string() }}) as stage_label,

        -- numerics
        cast(display_order as {{ dbt.type_int() }}) as display_order,
        cast(probability as {{ type_double() }}) as probability,

        -- booleans
        coalesce(cast(closed_won as {{ dbt.type_boolean() }}), false) as is_closed_won,
        coalesce(cast(active as {{ dbt.type_boolean() }}), false) as is_active

    from source

)

select * from renamed
