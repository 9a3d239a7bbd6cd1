with source as (

    select * from {{ ref('base_social__page_daily_stats') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as page_daily_stats_id,

        -- strings
        cast(lower(trim(network)) as {{ dbt.type_string() }}) as network,

        -- numerics
        cast(followers as {{ dbt.type_bigint() }}) as followers,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(engagements as {{ dbt.type_bigint() }}) as engagements,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(shares as {{ dbt.type_bigint() }}) as share_count,

        -- dates
        cast(date as date) as report_date

    from source

)

select * from renamed
