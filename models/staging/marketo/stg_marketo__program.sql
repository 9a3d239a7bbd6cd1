with source as (

    select * from {{ ref('base_marketo__program') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as program_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as program_name,
        cast(trim(type) as {{ dbt.type_string() }}) as program_type,
        cast(trim(channel) as {{ dbt.type_string() }}) as program_channel,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
