-- priority_coverage, lead_score (average) and lead_grade (share per grade) over the open
-- leads of the priority queue, as a snapshot at the lifecycle as-of date.
with queue as (

    select * from {{ ref('lead_priority') }}

),

open_leads as (

    select
        owner_id as rep_id,
        grade,
        score,
        case when score > 0 and grade is not null then 1 else 0 end as is_covered,
        case when grade is not null then 1 else 0 end as is_graded
    from queue

),

rep_dimensions as (

    {{ by_dimensions('open_leads', {'all': "'all'", 'rep': 'rep_id'}) }}

),

by_rep as (

    select
        dimension_name,
        dimension_value,
        sum(is_covered) as covered_count,
        sum(score) as total_score,
        count(*) as open_count
    from rep_dimensions
    group by 1, 2

),

grade_dimensions as (

    {{ by_dimensions('open_leads', {'all': "'all'", 'grade': 'grade'}) }}

),

by_grade as (

    -- the 'all' row counts graded leads; every share is of all open leads
    select
        dimension_name,
        dimension_value,
        sum(case when dimension_name = 'all' then is_graded else 1 end) as graded_count
    from grade_dimensions
    group by 1, 2

),

open_total as (

    select count(*) as open_count from open_leads

),

kpi_rows as (

    select
        'priority_coverage' as kpi_id,
        dimension_name,
        dimension_value,
        {{ safe_divide('covered_count', 'open_count') }} as value,
        covered_count as numerator,
        open_count as denominator,
        'ratio' as unit
    from by_rep
    union all
    select
        'lead_score' as kpi_id,
        dimension_name,
        dimension_value,
        {{ safe_divide('total_score', 'open_count') }} as value,
        total_score as numerator,
        open_count as denominator,
        'score' as unit
    from by_rep
    union all
    select
        'lead_grade' as kpi_id,
        by_grade.dimension_name,
        by_grade.dimension_value,
        {{ safe_divide('by_grade.graded_count', 'open_total.open_count') }} as value,
        by_grade.graded_count as numerator,
        open_total.open_count as denominator,
        'ratio' as unit
    from by_grade
    cross join open_total

)

select
    kpi_id,
    'snapshot' as period_grain,
    cast({{ lifecycle_as_of() }} as date) as period_start,
    dimension_name,
    dimension_value,
    cast(value as {{ type_double() }}) as value,
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator,
    unit
from kpi_rows
