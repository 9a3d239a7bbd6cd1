-- Every logged sales activity (Salesforce tasks and events) with its normalised type, rep,
-- time and the opportunity it worked on. An activity belongs to an opportunity when its
-- what_id is the opportunity, else when its who_id is the lead converted into an
-- opportunity or the contact that lead became (the SDR's work before the deal).
with tasks as (

    select * from {{ ref('stg_salesforce__task') }}

),

events as (

    select * from {{ ref('stg_salesforce__event') }}

),

opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

activities as (

    -- a task happens on its activity date (the due date), an event at its start
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

),

converted_people as (

    select
        lead_id as person_id,
        converted_opportunity_id as opportunity_id
    from leads
    where converted_opportunity_id is not null
    union all
    -- a contact made from several leads keeps one deterministic opportunity
    select
        converted_contact_id as person_id,
        min(converted_opportunity_id) as opportunity_id
    from leads
    where converted_opportunity_id is not null and converted_contact_id is not null
    group by converted_contact_id

),

linked as (

    select
        activities.activity_id,
        activities.activity_source,
        activities.activity_type,
        activities.owner_id,
        activities.who_id,
        activities.what_id,
        activities.activity_at,
        coalesce(opportunities.opportunity_id, converted_people.opportunity_id) as opportunity_id
    from activities
    left join opportunities
        on activities.what_id = opportunities.opportunity_id
    left join converted_people
        on activities.who_id = converted_people.person_id

)

select * from linked
