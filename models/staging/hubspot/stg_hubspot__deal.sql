-- Amounts stay in the deal's currency: the HubSpot landing has no dated exchange rates yet
-- (docs/hubspot.md).
with source as (

    select * from {{ ref('base_hubspot__deal') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(deal_pipeline_id as {{ dbt.type_string() }}) as pipeline_id,
        cast(lower(trim(deal_pipeline_stage_id)) as {{ dbt.type_string() }}) as pipeline_stage_id,

        -- strings
        cast(property_dealname as {{ dbt.type_string() }}) as deal_name,
        cast(lower(trim(property_dealtype)) as {{ dbt.type_string() }}) as deal_type,
        cast(upper(trim(property_deal_currency_code)) as {{ dbt.type_string() }}) as currency_code,
        cast(trim(property_closed_lost_reason) as {{ dbt.type_string() }}) as closed_lost_reason,

        -- numerics
        cast(property_amount as {{ type_double() }}) as amount,

        -- dates and timestamps
        cast(property_createdate as {{ dbt.type_timestamp() }}) as created_at,
        cast(property_closedate as date) as close_date

    from source

)

select * from renamed
