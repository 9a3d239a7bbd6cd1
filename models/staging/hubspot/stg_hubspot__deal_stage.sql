-- Fivetran's history of each deal's pipeline stage: one row per stage entered, valid from
-- _fivetran_start until _fivetran_end (the active row's end, 9999-12-31, becomes null).
with source as (

    select * from {{ ref('base_hubspot__deal_stage') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as deal_stage_id,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(lower(trim(value)) as {{ dbt.type_string() }}) as pipeline_stage_id,

        -- strings
        cast(upper(trim(source)) as {{ dbt.type_string() }}) as change_source,

        -- booleans
        coalesce(cast(_fivetran_active as {{ dbt.type_boolean() }}), false) as is_active,

        -- timestamps
        cast(coalesce(date_entered, _fivetran_start) as {{ dbt.type_timestamp() }}) as entered_at,
        cast(_fivetran_start as {{ dbt.type_timestamp() }}) as valid_from,
        case
            when not coalesce(_fivetran_active, false)
                then cast(_fivetran_end as {{ dbt.type_timestamp() }})
        end as valid_to

    from source

)

select * from renamed
