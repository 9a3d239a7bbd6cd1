with source as (

    select * from {{ ref('base_salesforce__contract') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as contract_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        cast(trim(status) as {{ dbt.type_string() }}) as contract_status,
        cast(upper(trim(currency_iso_code)) as {{ dbt.type_string() }}) as currency_code,

        -- numerics
        cast(contract_term as {{ dbt.type_int() }}) as contract_term_months,
        cast(annual_value_c as {{ dbt.type_numeric() }}) as annual_value,

        -- dates
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date

    from source

),

converted as (

    select
        renamed.*,
        '{{ var("reporting_currency") }}' as reporting_currency_code,
        {{ to_reporting_currency('renamed.annual_value', 'fx') }}
            as annual_value_in_reporting_currency
    from renamed
    {{ join_conversion_rates('renamed.currency_code', 'renamed.start_date', 'fx') }}

)

select * from converted
