-- The lead status changes of the CRM (var `crm`, int_crm_lead_history's Status rows), with
-- the canonical stage of the CRM's status mapping seed: lead_status_stages for Salesforce,
-- hubspot_lead_status_stages (hs_lead_status values) for HubSpot.
with lead_history as (

    select * from {{ ref('int_crm_lead_history') }}

),

status_stages as (

    {% if crm() == 'hubspot' -%}
    select
        hs_lead_status as lead_status,
        lifecycle_stage
    from {{ ref('hubspot_lead_status_stages') }}
    {%- else -%}
    select
        lead_status,
        lifecycle_stage
    from {{ ref('lead_status_stages') }}
    {%- endif %}

),

status_changes as (

    select
        lead_history_id,
        lead_id,
        new_value as lead_status_raw,
        changed_at
    from lead_history
    where lower(field_name) = 'status'

),

mapped as (

    -- picklist casing differs between extracts: match the mapping case-insensitively
    select
        status_changes.lead_history_id,
        status_changes.lead_id,
        status_changes.lead_status_raw,
        status_stages.lead_status,
        status_stages.lifecycle_stage,
        status_changes.changed_at,
        status_stages.lead_status is not null as is_mapped
    from status_changes
    left join status_stages
        on lower(status_changes.lead_status_raw) = lower(status_stages.lead_status)

)

select * from mapped
