-- Every entry of a lead into a canonical lifecycle stage, from the catalogue's sources:
-- lead = created; mql, sql, disqualified (and lead again when recycled) = status changes;
-- opportunity = the converted opportunity's creation; customer or lost = its outcome.
-- The CRM's leads and opportunities: int_crm_leads and int_crm_opportunities.
with leads as (

    select * from {{ ref('int_crm_leads') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

status_changes as (

    select * from {{ ref('int_lead_status_changes_mapped') }}

),

outcomes as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

stages as (

    select * from {{ ref('lifecycle_stages') }}

),

created as (

    select
        lead_id,
        'lead' as lifecycle_stage,
        created_at as entered_at,
        'lead_created' as entry_source,
        lead_id as source_record_id
    from leads

),

status_entries as (

    -- 'converted' only marks the conversion: the opportunity itself times that stage
    select
        status_changes.lead_id,
        status_changes.lifecycle_stage,
        status_changes.changed_at as entered_at,
        'lead_status_change' as entry_source,
        status_changes.lead_history_id as source_record_id
    from status_changes
    inner join leads
        on status_changes.lead_id = leads.lead_id
    where status_changes.is_mapped and status_changes.lifecycle_stage <> 'converted'

),

opportunity_entries as (

    select
        leads.lead_id,
        'opportunity' as lifecycle_stage,
        opportunities.created_at as entered_at,
        'opportunity_created' as entry_source,
        opportunities.opportunity_id as source_record_id
    from leads
    inner join opportunities
        on leads.converted_opportunity_id = opportunities.opportunity_id

),

outcome_entries as (

    select
        leads.lead_id,
        outcomes.outcome_stage as lifecycle_stage,
        outcomes.closed_at as entered_at,
        'opportunity_closed' as entry_source,
        outcomes.opportunity_id as source_record_id
    from leads
    inner join outcomes
        on leads.converted_opportunity_id = outcomes.opportunity_id
    where outcomes.outcome_stage is not null

),

entries as (

    select * from created
    union all
    select * from status_entries
    union all
    select * from opportunity_entries
    union all
    select * from outcome_entries

),

ordered as (

    select
        entries.lead_id,
        entries.lifecycle_stage,
        entries.entered_at,
        entries.entry_source,
        entries.source_record_id,
        stages.stage_order,
        row_number() over (
            partition by entries.lead_id
            order by entries.entered_at, stages.stage_order, entries.source_record_id
        ) as entry_number
    from entries
    inner join stages
        on entries.lifecycle_stage = stages.lifecycle_stage

)

select * from ordered
