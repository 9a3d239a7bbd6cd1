with source as (

    select * from {{ ref('base_marketo__campaign') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as campaign_id,
        cast(program_id as {{ dbt.type_bigint() }}) as program_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as campaign_name,
        cast(trim(type) as {{ dbt.type_string() }}) as campaign_type,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
