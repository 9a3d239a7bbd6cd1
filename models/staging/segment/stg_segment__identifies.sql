with source as (

    select * from {{ ref('base_segment__identifies') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as identify_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,

        -- strings
        cast(lower(trim(email)) as {{ dbt.type_string() }}) as email,

        -- timestamps
        {{ text_to_utc_timestamp('timestamp') }} as identified_at

    from source

)

select * from renamed
