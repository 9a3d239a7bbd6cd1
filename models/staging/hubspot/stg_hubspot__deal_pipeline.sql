with source as (

    select * from {{ ref('base_hubspot__deal_pipeline') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(pipeline_id as {{ dbt.type_string() }}) as pipeline_id,

        -- strings
        cast(label as {{ dbt.type_string() }}) as pipeline_label,

        -- numerics
        cast(display_order as {{ dbt.type_int() }}) as display_order,

        -- booleans
        coalesce(cast(active as {{ dbt.type_boolean() }}), false) as is_active

    from source

)

select * from renamed
