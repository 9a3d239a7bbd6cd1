-- The CRM's leads (var `crm`) in one shape: Salesforce's leads, or HubSpot's contacts with a
-- lead status. A HubSpot lead converts into itself: the converted contact is the same
-- contact, the converted opportunity its first associated deal (by creation), the converted
-- account that deal's company; its employee count is the lower bound of its range picklist.
{% if crm() == 'hubspot' -%}
with contacts as (

    select * from {{ ref('stg_hubspot__contact') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

deal_contacts as (

    select * from {{ ref('stg_hubspot__deal_contact') }}

),

contact_deals as (

    select
        deal_contacts.contact_id,
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.created_at,
        row_number() over (
            partition by deal_contacts.contact_id
            order by opportunities.created_at, opportunities.opportunity_id
        ) as deal_number
    from deal_contacts
    inner join opportunities
        on deal_contacts.deal_id = opportunities.opportunity_id

),

leads as (

    select
        contacts.contact_id as lead_id,
        contacts.owner_id,
        first_deals.account_id as converted_account_id,
        case when first_deals.opportunity_id is not null then contacts.contact_id end
            as converted_contact_id,
        first_deals.opportunity_id as converted_opportunity_id,
        contacts.email,
        contacts.first_name,
        contacts.last_name,
        contacts.company_name,
        contacts.title,
        contacts.industry,
        contacts.country,
        contacts.analytics_source as lead_source,
        contacts.lead_status,
        contacts.disqualification_reason,
        -- '25-50' is 25, '1000+' is 1000
        cast(
            {{ dbt.replace(dbt.split_part('contacts.employee_range', "'-'", 1), "'+'", "''") }}
            as {{ dbt.type_int() }}
        ) as number_of_employees,
        first_deals.opportunity_id is not null as is_converted,
        cast(first_deals.created_at as date) as converted_date,
        contacts.created_at
    from contacts
    left join contact_deals as first_deals
        on
            contacts.contact_id = first_deals.contact_id
            and first_deals.deal_number = 1
    where contacts.is_lead

)
{%- else -%}
with leads as (

    select * from {{ ref('stg_salesforce__lead') }}

)
{%- endif %}

select
    lead_id,
    owner_id,
    converted_account_id,
    converted_contact_id,
    converted_opportunity_id,
    email,
    first_name,
    last_name,
    company_name,
    title,
    industry,
    country,
    lead_source,
    lead_status,
    disqualification_reason,
    number_of_employees,
    is_converted,
    converted_date,
    created_at
from leads
