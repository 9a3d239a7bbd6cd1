-- Every logged sales activity of the CRM (int_crm_activities) with its normalised type, rep,
-- time and the opportunity it worked on. An activity belongs to an opportunity when its
-- what_id is the opportunity, else when its who_id is the lead converted into an
-- opportunity or the contact that lead became (the SDR's work before the deal).
with activities as (

    select * from {{ ref('int_crm_activities') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

leads as (

    select * from {{ ref('int_crm_leads') }}

),

converted_people as (

    select
        lead_id as person_id,
        converted_opportunity_id as opportunity_id
    from leads
    where converted_opportunity_id is not null
    -- union, not union all: a HubSpot lead converts into itself (the same person id twice);
    -- a contact made from several leads keeps one deterministic opportunity
    union
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
