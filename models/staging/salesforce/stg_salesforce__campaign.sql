with source as (

    select * from {{ ref('base_salesforce__campaign') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as campaign_id,
        cast(parent_id as {{ dbt.type_string() }}) as parent_campaign_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as campaign_name,
        cast(trim(type) as {{ dbt.type_string() }}) as campaign_type,
        cast(trim(status) as {{ dbt.type_string() }}) as campaign_status,

        -- numerics, in the corporate currency as Salesforce keeps them
        cast(budgeted_cost as {{ dbt.type_numeric() }}) as budgeted_cost,
        cast(actual_cost as {{ dbt.type_numeric() }}) as actual_cost,

        -- dates
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date

    from source

)

select * from renamed
