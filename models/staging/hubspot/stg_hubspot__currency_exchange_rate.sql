-- HubSpot's exchange rates in the shape of stg_salesforce__dated_conversion_rate (macro
-- conversion_rates): units of each currency per 1 unit of the company currency, valid from a
-- rate's effective day up to the currency's next one. The company currency, which HubSpot
-- gives no rate, holds at 1 throughout.
with source as (

    select * from {{ ref('base_hubspot__currency_exchange_rate') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as conversion_rate_id,
        cast(upper(trim(from_currency_code)) as {{ dbt.type_string() }}) as currency_code,
        cast(upper(trim(to_currency_code)) as {{ dbt.type_string() }}) as company_currency_code,
        1 / cast(conversion_rate as {{ type_double() }}) as conversion_rate,
        cast(effective_at as date) as valid_from
    from source

),

periods as (

    select
        conversion_rate_id,
        currency_code,
        conversion_rate,
        valid_from,
        coalesce(
            lead(valid_from) over (partition by currency_code order by valid_from),
            cast('9999-12-31' as date)
        ) as valid_to
    from renamed

),

company_currencies as (

    select distinct
        cast(company_currency_code as {{ dbt.type_string() }}) as conversion_rate_id,
        company_currency_code as currency_code,
        cast(1 as {{ type_double() }}) as conversion_rate,
        cast('0001-01-01' as date) as valid_from,
        cast('9999-12-31' as date) as valid_to
    from renamed

),

rates as (

    select * from periods
    union all
    select * from company_currencies

)

select * from rates
