-- The CRM's contacts (var `crm`) in one shape: Salesforce's contacts, or HubSpot's contacts
-- that are no lead (customers' other people) or whose lead converted (into itself, see
-- int_crm_leads).
{% if crm() == 'hubspot' -%}
with hubspot_contacts as (

    select * from {{ ref('stg_hubspot__contact') }}

),

leads as (

    select * from {{ ref('int_crm_leads') }}

),

contacts as (

    select
        hubspot_contacts.contact_id,
        coalesce(leads.converted_account_id, hubspot_contacts.company_id) as account_id,
        hubspot_contacts.owner_id,
        hubspot_contacts.email,
        hubspot_contacts.first_name,
        hubspot_contacts.last_name,
        hubspot_contacts.title,
        hubspot_contacts.analytics_source as lead_source,
        hubspot_contacts.created_at
    from hubspot_contacts
    left join leads
        on hubspot_contacts.contact_id = leads.lead_id
    where not hubspot_contacts.is_lead or leads.is_converted

)
{%- else -%}
with contacts as (

    select * from {{ ref('stg_salesforce__contact') }}

)
{%- endif %}

select
    contact_id,
    account_id,
    owner_id,
    email,
    first_name,
    last_name,
    title,
    lead_source,
    created_at
from contacts
