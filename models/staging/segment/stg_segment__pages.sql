with source as (

    select * from {{ ref('base_segment__pages') }}
    where _row_disposition = 'staged'
    {{- incremental_window('received_at') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as page_view_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,

        -- page
        cast(path as {{ dbt.type_string() }}) as page_path,
        cast(url as {{ dbt.type_string() }}) as page_url,
        cast(title as {{ dbt.type_string() }}) as page_title,
        cast(nullif(trim(referrer), '') as {{ dbt.type_string() }}) as referrer_url,

        -- utm parameters
        cast(
            nullif(lower(trim(context_campaign_source)), '') as {{ dbt.type_string() }}
        ) as utm_source,
        cast(
            nullif(lower(trim(context_campaign_medium)), '') as {{ dbt.type_string() }}
        ) as utm_medium,
        cast(
            nullif(lower(trim(context_campaign_name)), '') as {{ dbt.type_string() }}
        ) as utm_campaign,

        -- context
        cast(trim(context_ip) as {{ dbt.type_string() }}) as ip_address,

        -- timestamps
        {{ text_to_utc_timestamp('timestamp') }} as occurred_at,
        cast(received_at as {{ dbt.type_timestamp() }}) as received_at

    from source

)

select * from renamed
