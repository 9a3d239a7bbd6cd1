with source as (

    select * from {{ ref('base_linkedin_ads__account_history') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(_record_key as {{ dbt.type_string() }}) as account_history_id,
        cast(id as {{ dbt.type_bigint() }}) as account_id,

        -- strings
        cast(name as {{ dbt.type_string() }}) as account_name,
        cast(upper(trim(currency)) as {{ dbt.type_string() }}) as currency_code,
        cast(version_tag as {{ dbt.type_string() }}) as version_tag,

        -- timestamps
        cast(created_time as {{ dbt.type_timestamp() }}) as created_at,
        cast(last_modified_time as {{ dbt.type_timestamp() }}) as last_modified_at

    from source

),

versioned as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.account_id
            order by renamed.last_modified_at desc
        ) = 1 as is_latest_version
    from renamed

)

select * from versioned
