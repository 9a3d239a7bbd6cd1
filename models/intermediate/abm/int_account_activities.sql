-- Engagement activities of the accounts' people, one row per activity: web sessions and
-- content downloads of the Segment anonymous ids that belong to a person of an account
-- (int_visitor_identities), email opens and clicks of the Marketo leads mapped to one
-- (int_marketo_people). The person key is the email, else the person id, so that leads
-- converted into one contact are one person. Sources switched off contribute no rows.
{%- set parts = [] %}
{%- if var('segment_enabled') %}
{%- do parts.extend(['web_sessions', 'content_downloads']) %}
{%- endif %}
{%- if var('marketo_enabled') %}
{%- do parts.extend(['email_opens', 'email_clicks']) %}
{%- endif %}
with people as (

    select
        person_id,
        coalesce(email, person_id) as person_key
    from {{ ref('int_people') }}
    where account_id is not null

),
{%- if var('segment_enabled') %}

visitors as (

    select * from {{ ref('int_visitor_identities') }}

),

sessions as (

    select * from {{ ref('int_web_sessions') }}

),

tracks as (

    select * from {{ ref('stg_segment__tracks') }}

),

identified_people as (

    select
        visitors.anonymous_id,
        visitors.account_id,
        people.person_key
    from visitors
    inner join people
        on visitors.person_id = people.person_id

),

web_sessions as (

    select
        identified_people.account_id,
        identified_people.person_key,
        'web_session' as activity_type,
        sessions.session_id as activity_id,
        sessions.started_at as occurred_at,
        sessions.duration_s
    from sessions
    inner join identified_people
        on sessions.anonymous_id = identified_people.anonymous_id

),

content_downloads as (

    select
        identified_people.account_id,
        identified_people.person_key,
        'content_download' as activity_type,
        tracks.track_id as activity_id,
        tracks.occurred_at,
        cast(null as {{ type_double() }}) as duration_s
    from tracks
    inner join identified_people
        on tracks.anonymous_id = identified_people.anonymous_id
    where lower(tracks.event_name) = 'content_downloaded'

),
{%- endif %}
{%- if var('marketo_enabled') %}

marketo_leads as (

    select * from {{ ref('int_marketo_people') }}

),

opens as (

    select * from {{ ref('stg_marketo__activity_open_email') }}

),

clicks as (

    select * from {{ ref('stg_marketo__activity_click_email') }}

),

marketo_people as (

    select
        marketo_leads.marketo_lead_id,
        marketo_leads.account_id,
        people.person_key
    from marketo_leads
    inner join people
        on marketo_leads.person_id = people.person_id

),

email_opens as (

    select
        marketo_people.account_id,
        marketo_people.person_key,
        'email_open' as activity_type,
        cast(opens.activity_id as {{ dbt.type_string() }}) as activity_id,
        opens.activity_at as occurred_at,
        cast(null as {{ type_double() }}) as duration_s
    from opens
    inner join marketo_people
        on opens.lead_id = marketo_people.marketo_lead_id

),

email_clicks as (

    select
        marketo_people.account_id,
        marketo_people.person_key,
        'email_click' as activity_type,
        cast(clicks.activity_id as {{ dbt.type_string() }}) as activity_id,
        clicks.activity_at as occurred_at,
        cast(null as {{ type_double() }}) as duration_s
    from clicks
    inner join marketo_people
        on clicks.lead_id = marketo_people.marketo_lead_id

),
{%- endif %}

activities as (

    {%- for part in parts %}
    select * from {{ part }}
    union all
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as person_key,
        cast(null as {{ dbt.type_string() }}) as activity_type,
        cast(null as {{ dbt.type_string() }}) as activity_id,
        cast(null as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(null as {{ type_double() }}) as duration_s
    where 1 = 0

)

select
    account_id,
    person_key,
    activity_type,
    activity_id,
    occurred_at,
    duration_s
from activities
