-- lead_score: behaviour points per lead at the lifecycle as-of time, the sum of its
-- engagement events' decayed points, with subtotals per source and the event type that
-- contributes most (for the priority queue's reason).
with leads as (

    select * from {{ ref('int_crm_leads') }}

),

events as (

    select * from {{ ref('int_lead_engagement_events') }}

),

by_event_type as (

    select
        lead_id,
        event_type,
        count(*) as event_count,
        sum(decayed_points) as event_points
    from events
    group by lead_id, event_type

),

top_event_types as (

    select
        lead_id,
        event_type,
        event_count,
        event_points,
        row_number() over (
            partition by lead_id order by event_points desc, event_type asc
        ) as event_type_rank
    from by_event_type

),

totals as (

    select
        lead_id,
        sum(decayed_points) as score,
        sum(case when event_source = 'web' then decayed_points else 0 end) as web_points,
        sum(case when event_source = 'email' then decayed_points else 0 end) as email_points,
        sum(case when event_source = 'form' then decayed_points else 0 end) as form_points,
        count(*) as scored_events,
        max(occurred_at) as last_engaged_at
    from events
    group by lead_id

),

scores as (

    select
        leads.lead_id,
        cast(coalesce(totals.score, 0) as {{ type_double() }}) as score,
        cast(coalesce(totals.web_points, 0) as {{ type_double() }}) as web_points,
        cast(coalesce(totals.email_points, 0) as {{ type_double() }}) as email_points,
        cast(coalesce(totals.form_points, 0) as {{ type_double() }}) as form_points,
        cast(coalesce(totals.scored_events, 0) as {{ dbt.type_bigint() }}) as scored_events,
        top_event_types.event_type as top_event_type,
        cast(top_event_types.event_count as {{ dbt.type_bigint() }}) as top_event_count,
        cast(top_event_types.event_points as {{ type_double() }}) as top_event_points,
        totals.last_engaged_at,
        {{ lifecycle_as_of() }} as scored_as_of
    from leads
    left join totals
        on leads.lead_id = totals.lead_id
    left join top_event_types
        on leads.lead_id = top_event_types.lead_id and top_event_types.event_type_rank = 1

)

select
    lead_id,
    score,
    web_points,
    email_points,
    form_points,
    scored_events,
    top_event_type,
    top_event_count,
    top_event_points,
    last_engaged_at,
    scored_as_of
from scores
