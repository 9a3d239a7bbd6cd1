-- Engagement activities of the accounts' people, one row per activity and person of an
-- account: web sessions and content downloads of Segment anonymous ids identified with the
-- person's email, email opens and clicks of the Marketo lead synced to the person's lead or
-- contact. Sources switched off contribute no rows.
{%- set parts = [] %}
{%- if var('segment_enabled') %}
{%- do parts.extend(['web_sessions', 'content_downloads']) %}
{%- endif %}
{%- if var('marketo_enabled') %}
{%- do parts.extend(['email_opens', 'email_clicks']) %}
{%- endif %}
with people as (

    select * from {{ ref('int_account_people') }}

),
{%- if var('segment_enabled') %}

identifies as (

    select * from {{ ref('stg_segment__identifies') }}

),

sessions as (

    select * from {{ ref('int_web_sessions') }}

),

tracks as (

    select * from {{ ref('stg_segment__tracks') }}

),

identified_people as (

    select distinct
        identifies.anonymous_id,
        people.account_id,
        people.person_key
    from identifies
    inner join people
        on identifies.email = people.email
    where identifies.anonymous_id is not null

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

    select * from {{ ref('stg_marketo__lead') }}

),

opens as (

    select * from {{ ref('stg_marketo__activity_open_email') }}

),

clicks as (

    select * from {{ ref('stg_marketo__activity_click_email') }}

),

marketo_people as (

    select distinct
        marketo_leads.lead_id as marketo_lead_id,
        people.account_id,
        people.person_key
    from marketo_leads
    inner join people
        on
            (people.record_type = 'lead' and marketo_leads.salesforce_lead_id = people.record_id)
            or (
                people.record_type = 'contact'
                and marketo_leads.salesforce_contact_id = people.record_id
            )

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
