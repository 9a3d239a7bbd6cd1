with source as (

    select * from {{ ref('base_segment__tracks') }}
    where _row_disposition = 'staged'
    {{- incremental_window(text_to_utc_timestamp('timestamp'), 'occurred_at') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as track_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,

        -- strings
        cast(trim(event) as {{ dbt.type_string() }}) as event_name,

        -- timestamps
        {{ text_to_utc_timestamp('timestamp') }} as occurred_at

    from source

)

select * from renamed
