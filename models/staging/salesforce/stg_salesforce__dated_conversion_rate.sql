with source as (

    select * from {{ ref('base_salesforce__dated_conversion_rate') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as conversion_rate_id,
        cast(upper(trim(iso_code)) as {{ dbt.type_string() }}) as currency_code,

        -- numerics: units of this currency per 1 unit of the corporate currency
        cast(conversion_rate as {{ type_double() }}) as conversion_rate,

        -- dates: the rate holds from valid_from up to, not including, valid_to
        cast(start_date as date) as valid_from,
        cast(coalesce(next_start_date, cast('9999-12-31' as date)) as date) as valid_to

    from source

)

select * from renamed
