with source as (

    select * from {{ ref('base_surveys__enps_responses') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(response_id as {{ dbt.type_string() }}) as enps_response_id,
        cast(survey_id as {{ dbt.type_string() }}) as survey_id,

        -- strings
        cast(trim(team) as {{ dbt.type_string() }}) as team,
        cast(comment as {{ dbt.type_string() }}) as response_comment,

        -- numerics: 0-10, how likely the employee is to recommend the company
        cast(score as {{ dbt.type_int() }}) as score,

        -- dates
        cast(survey_date as date) as survey_date

    from source

)

select * from renamed
