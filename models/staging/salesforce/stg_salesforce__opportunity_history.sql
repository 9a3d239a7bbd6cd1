with source as (

    select * from {{ ref('base_salesforce__opportunity_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as opportunity_history_id,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,

        -- strings
        cast(trim(stage_name) as {{ dbt.type_string() }}) as stage_name,

        -- numerics
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        cast(probability as {{ type_double() }}) as probability,

        -- dates and timestamps
        cast(close_date as date) as close_date,
        cast(created_date as {{ dbt.type_timestamp() }}) as changed_at

    from source

)

select * from renamed
