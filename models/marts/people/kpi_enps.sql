-- enps: (promoters (9-10) - detractors (0-6)) / responses x 100, per survey quarter, by team
-- and by survey.
with responses as (

    select * from {{ ref('stg_surveys__enps_responses') }}

),

classified as (

    select
        survey_id,
        team,
        cast({{ dbt.date_trunc('quarter', 'survey_date') }} as date) as period_start,
        case
            when score >= 9 then 1
            when score <= 6 then -1
            else 0
        end as promoter_score
    from responses

),

dimensioned as (

    {{ by_dimensions('classified', {'all': "'all'", 'team': 'team', 'survey': 'survey_id'}) }}

),

aggregated as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(promoter_score) as net_promoters,
        count(*) as response_count
    from dimensioned
    group by 1, 2, 3

)

select
    'enps' as kpi_id,
    'quarter' as period_grain,
    period_start,
    dimension_name,
    dimension_value,
    100 * {{ safe_divide('net_promoters', 'response_count') }} as value,
    cast(net_promoters as {{ type_double() }}) as numerator,
    cast(response_count as {{ type_double() }}) as denominator,
    'score' as unit
from aggregated
