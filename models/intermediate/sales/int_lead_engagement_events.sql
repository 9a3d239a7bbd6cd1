-- Every scored engagement event of a Salesforce lead up to the lifecycle as-of time, with
-- its points from the `lead_score_weights` seed decayed to that time:
-- points × 2^(−age_days / half_life_days). Web pages are those of the anonymous ids that
-- belong to the lead (int_visitor_identities); email opens, clicks and form fills are the
-- Marketo activities of the Marketo leads mapped to the lead (int_marketo_people). A
-- switched-off source (segment_enabled, marketo_enabled) contributes no events.
{%- set event_ctes = [] %}
{%- if var('segment_enabled') %}{% do event_ctes.append('web_events') %}{% endif %}
{%- if var('marketo_enabled') %}{% do event_ctes.append('marketo_events') %}{% endif %}
with weights as (

    select * from {{ ref('lead_score_weights') }}

),
{%- if var('segment_enabled') %}

visitors as (

    select * from {{ ref('int_visitor_identities') }}
    where lead_id is not null

),

pages as (

    select * from {{ ref('stg_segment__pages') }}

),

web_events as (

    -- a page with its own weight row is that event type, any other page the default one
    select
        visitors.lead_id,
        pages.page_view_id as event_id,
        coalesce(path_weights.event_type, default_weights.event_type) as event_type,
        pages.occurred_at
    from visitors
    inner join pages
        on visitors.anonymous_id = pages.anonymous_id
    left join weights as path_weights
        on
            path_weights.event_source = 'web'
            and lower(pages.page_path) = lower(path_weights.page_path)
    left join weights as default_weights
        on default_weights.event_source = 'web' and default_weights.page_path is null

),
{%- endif %}
{%- if var('marketo_enabled') %}

marketo_people as (

    select * from {{ ref('int_marketo_people') }}
    where lead_id is not null

),

opens as (

    select * from {{ ref('stg_marketo__activity_open_email') }}

),

clicks as (

    select * from {{ ref('stg_marketo__activity_click_email') }}

),

form_fills as (

    select * from {{ ref('stg_marketo__activity_fill_out_form') }}

),

marketo_activities as (

    select
        lead_id,
        activity_id,
        'email_open' as event_type,
        activity_at
    from opens
    union all
    select
        lead_id,
        activity_id,
        'email_click' as event_type,
        activity_at
    from clicks
    union all
    select
        lead_id,
        activity_id,
        'form_fill' as event_type,
        activity_at
    from form_fills

),

marketo_events as (

    select
        marketo_people.lead_id,
        cast(marketo_activities.activity_id as {{ dbt.type_string() }}) as event_id,
        marketo_activities.event_type,
        marketo_activities.activity_at as occurred_at
    from marketo_activities
    inner join marketo_people
        on marketo_activities.lead_id = marketo_people.marketo_lead_id

),
{%- endif %}

engagement_events as (

    {%- for event_cte in event_ctes %}
    select
        lead_id,
        event_id,
        event_type,
        occurred_at
    from {{ event_cte }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not event_ctes %}
    select
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_timestamp() }}) as occurred_at
    where 1 = 0
    {%- endif %}

),

aged as (

    select
        engagement_events.lead_id,
        engagement_events.event_id,
        weights.event_source,
        engagement_events.event_type,
        engagement_events.occurred_at,
        cast(weights.points as {{ type_double() }}) as points,
        cast(weights.half_life_days as {{ type_double() }}) as half_life_days,
        {{ days_between('engagement_events.occurred_at', lifecycle_as_of()) }} as age_days
    from engagement_events
    inner join weights
        on engagement_events.event_type = weights.event_type
    where engagement_events.occurred_at <= {{ lifecycle_as_of() }}

),

scored as (

    select
        *,
        points * power(2.0, -age_days / half_life_days) as decayed_points
    from aged

)

select * from scored
