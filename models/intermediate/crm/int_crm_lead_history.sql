-- The CRM's lead field history (var `crm`) in one shape: Salesforce's lead history, or
-- HubSpot's contact property history of the leads on hs_lead_status (field 'Status') and
-- hubspot_owner_id ('Owner'). HubSpot records the value set at creation as a first row;
-- Salesforce records changes only, so that row is the old value of the first change.
{% if crm() == 'hubspot' -%}
with property_history as (

    select * from {{ ref('stg_hubspot__contact_property_history') }}
    where property_name in ('hs_lead_status', 'hubspot_owner_id')

),

leads as (

    select * from {{ ref('int_crm_leads') }}

),

lead_values as (

    select
        property_history.property_change_id as lead_history_id,
        property_history.contact_id as lead_id,
        case property_history.property_name
            when 'hs_lead_status' then 'Status'
            else 'Owner'
        end as field_name,
        lag(property_history.property_value) over (
            partition by property_history.contact_id, property_history.property_name
            order by property_history.changed_at, property_history.property_change_id
        ) as old_value,
        property_history.property_value as new_value,
        property_history.changed_at,
        leads.created_at as lead_created_at
    from property_history
    inner join leads
        on property_history.contact_id = leads.lead_id

),

lead_history as (

    select *
    from lead_values
    where changed_at > lead_created_at

)
{%- else -%}
with lead_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

)
{%- endif %}

select
    lead_history_id,
    lead_id,
    field_name,
    old_value,
    new_value,
    changed_at
from lead_history
