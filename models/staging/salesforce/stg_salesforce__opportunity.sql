with source as (

    select * from {{ ref('base_salesforce__opportunity') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as opportunity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as opportunity_name,
        cast(trim(type) as {{ dbt.type_string() }}) as opportunity_type,
        cast(trim(stage_name) as {{ dbt.type_string() }}) as stage_name,
        cast(trim(lead_source) as {{ dbt.type_string() }}) as lead_source,
        cast(trim(loss_reason_c) as {{ dbt.type_string() }}) as loss_reason,
        cast(upper(trim(currency_iso_code)) as {{ dbt.type_string() }}) as currency_code,

        -- numerics
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        cast(probability as {{ type_double() }}) as probability,

        -- booleans
        coalesce(cast(is_closed as {{ dbt.type_boolean() }}), false) as is_closed,
        coalesce(cast(is_won as {{ dbt.type_boolean() }}), false) as is_won,

        -- dates and timestamps
        cast(close_date as date) as close_date,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source

),

converted as (

    select
        renamed.*,
        '{{ var("reporting_currency") }}' as reporting_currency_code,
        {{ to_reporting_currency('renamed.amount', 'fx') }} as amount_in_reporting_currency
    from renamed
    {{ join_conversion_rates('renamed.currency_code', 'renamed.close_date', 'fx') }}

)

select * from converted
