-- The CRM's logged sales activities (var `crm`) in one shape: Salesforce tasks (a call,
-- email or to-do, on its activity date, the due date) and events (a meeting, at its start),
-- or HubSpot engagements (CALL, EMAIL and TASK ones as tasks, MEETING ones as events, the
-- meeting's title as its type) with the contact (who_id) and deal (what_id) they are
-- associated with. The time falls back to the creation time.
{% if crm() == 'hubspot' -%}
with engagements as (

    select * from {{ ref('stg_hubspot__engagement') }}

),

meetings as (

    select * from {{ ref('stg_hubspot__engagement_meeting') }}

),

engagement_contacts as (

    select
        engagement_id,
        min(contact_id) as contact_id
    from {{ ref('stg_hubspot__engagement_contact') }}
    group by engagement_id

),

engagement_deals as (

    select
        engagement_id,
        min(deal_id) as deal_id
    from {{ ref('stg_hubspot__engagement_deal') }}
    group by engagement_id

),

activities as (

    select
        engagements.engagement_id as activity_id,
        case when engagements.engagement_type = 'MEETING' then 'event' else 'task' end
            as activity_source,
        lower(coalesce(meetings.meeting_title, engagements.engagement_type)) as activity_type,
        engagements.owner_id,
        engagement_contacts.contact_id as who_id,
        engagement_deals.deal_id as what_id,
        coalesce(meetings.started_at, engagements.occurred_at, engagements.created_at)
            as activity_at
    from engagements
    left join meetings
        on engagements.engagement_id = meetings.engagement_id
    left join engagement_contacts
        on engagements.engagement_id = engagement_contacts.engagement_id
    left join engagement_deals
        on engagements.engagement_id = engagement_deals.engagement_id
    where engagements.engagement_type in ('CALL', 'EMAIL', 'TASK', 'MEETING')

)
{%- else -%}
with tasks as (

    select * from {{ ref('stg_salesforce__task') }}

),

events as (

    select * from {{ ref('stg_salesforce__event') }}

),

activities as (

    select
        task_id as activity_id,
        'task' as activity_source,
        lower(task_subtype) as activity_type,
        owner_id,
        who_id,
        what_id,
        coalesce(cast(activity_date as {{ dbt.type_timestamp() }}), created_at) as activity_at
    from tasks
    union all
    select
        event_id as activity_id,
        'event' as activity_source,
        lower(event_type) as activity_type,
        owner_id,
        who_id,
        what_id,
        coalesce(started_at, created_at) as activity_at
    from events

)
{%- endif %}

select
    activity_id,
    activity_source,
    activity_type,
    owner_id,
    who_id,
    what_id,
    activity_at
from activities
