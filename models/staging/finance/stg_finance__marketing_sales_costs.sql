with source as (

    select * from {{ ref('base_finance__marketing_sales_costs') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as marketing_sales_cost_id,

        -- strings
        cast(lower(trim(cost_center)) as {{ dbt.type_string() }}) as cost_center,
        cast(lower(trim(category)) as {{ dbt.type_string() }}) as cost_category,
        cast(trim(channel) as {{ dbt.type_string() }}) as channel,
        cast(upper(trim(currency)) as {{ dbt.type_string() }}) as currency_code,

        -- numerics
        cast(amount as {{ dbt.type_numeric() }}) as amount,

        -- dates: the month (however written, see iso_month) as its first day
        cast({{ dbt.concat([iso_month('month'), "'-01'"]) }} as date) as cost_month

    from source

),

converted as (

    select
        renamed.*,
        '{{ var("reporting_currency") }}' as reporting_currency_code,
        {{ to_reporting_currency('renamed.amount', 'fx') }}
            as amount_in_reporting_currency
    from renamed
    {{ join_conversion_rates('renamed.currency_code', 'renamed.cost_month', 'fx') }}

)

select * from converted
