with source as (

    select * from {{ ref('base_billing__contracts') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(hubspot_company_id as {{ dbt.type_string() }}) as company_id,

        -- strings
        cast(lower(trim(status)) as {{ dbt.type_string() }}) as contract_status,
        cast(upper(trim(currency)) as {{ dbt.type_string() }}) as currency_code,

        -- numerics
        cast(term_months as {{ dbt.type_int() }}) as contract_term_months,
        cast(annual_value as {{ dbt.type_numeric() }}) as annual_value,

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
