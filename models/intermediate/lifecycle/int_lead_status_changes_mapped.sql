-- The lead status changes of the CRM (var `crm`): Salesforce's lead history rows on Status,
-- or HubSpot's hs_lead_status property history (the value set at creation is no change).
{% if crm() == 'hubspot' -%}
with property_history as (

    select * from {{ ref('stg_hubspot__contact_property_history') }}

),

contacts as (

    select * from {{ ref('stg_hubspot__contact') }}

),

status_stages as (

    select
        hs_lead_status as lead_status,
        lifecycle_stage
    from {{ ref('hubspot_lead_status_stages') }}

),

status_changes as (

    select
        property_history.property_change_id as lead_history_id,
        property_history.contact_id as lead_id,
        property_history.property_value as lead_status_raw,
        property_history.changed_at
    from property_history
    inner join contacts
        on property_history.contact_id = contacts.contact_id
    where
        property_history.property_name = 'hs_lead_status'
        and property_history.changed_at > contacts.created_at

),
{%- else -%}
with lead_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

),

status_stages as (

    select * from {{ ref('lead_status_stages') }}

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
{%- endif %}

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
