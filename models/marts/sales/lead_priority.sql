-- lead_priority: the queue of open leads (current stage lead, mql or sql) for sales, best
-- first: by grade (the grade with the higher threshold first, ungraded last), then score,
-- then fit points, then lead id; with a short reason for the place in the queue.
with lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

scores as (

    select * from {{ ref('lead_score') }}

),

grades as (

    select * from {{ ref('lead_grade') }}

),

open_leads as (

    select
        lifecycle.lead_id,
        lifecycle.owner_id,
        lifecycle.current_stage,
        lifecycle.lead_at,
        grades.grade,
        grades.grade_min_fit_points,
        grades.fit_points,
        scores.score,
        scores.top_event_type,
        scores.top_event_count
    from lifecycle
    inner join scores
        on lifecycle.lead_id = scores.lead_id
    inner join grades
        on lifecycle.lead_id = grades.lead_id
    where lifecycle.current_stage in ('lead', 'mql', 'sql')

),

ranked as (

    select
        *,
        row_number() over (
            order by grade_min_fit_points desc nulls last, score desc, fit_points desc, lead_id asc
        ) as priority_rank,
        {{ dbt.concat([
            "coalesce('grade ' || grade, 'ungraded')",
            "', score '",
            "cast(" ~ round_to("score", 1) ~ " as " ~ dbt.type_string() ~ ")",
            "coalesce(': mostly ' || top_event_type || ' (' || cast(top_event_count as "
                ~ dbt.type_string() ~ ") || ' events)', ': no engagement')",
        ]) }} as priority_reason
    from open_leads

)

select
    cast(priority_rank as {{ dbt.type_bigint() }}) as priority_rank,
    lead_id,
    owner_id,
    current_stage,
    lead_at,
    grade,
    fit_points,
    score,
    priority_reason
from ranked
