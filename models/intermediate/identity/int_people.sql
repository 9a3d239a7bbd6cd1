-- One row per person (rule in _identity__docs.md, `identity_rule`): every Salesforce lead,
-- with the contact and account it was converted into, and every contact that no lead was
-- converted into. The email is lower-cased and trimmed in staging.
with leads as (

    select * from {{ ref('int_crm_leads') }}

),

contacts as (

    select * from {{ ref('int_crm_contacts') }}

),

converted_contacts as (

    select distinct converted_contact_id as contact_id
    from leads
    where converted_contact_id is not null

),

people as (

    select
        leads.lead_id as person_id,
        'lead' as person_type,
        leads.lead_id,
        leads.converted_contact_id as contact_id,
        coalesce(leads.converted_account_id, contacts.account_id) as account_id,
        leads.email
    from leads
    left join contacts
        on leads.converted_contact_id = contacts.contact_id
    union all
    select
        contacts.contact_id as person_id,
        'contact' as person_type,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        contacts.contact_id,
        contacts.account_id,
        contacts.email
    from contacts
    left join converted_contacts
        on contacts.contact_id = converted_contacts.contact_id
    where converted_contacts.contact_id is null

),

-- one person per email and per contact, so that an email (a Segment identify) or a contact
-- id (a Marketo lead, a campaign member) names one person: a lead before a contact, then the
-- lowest id
ranked as (

    select
        people.*,
        row_number() over (
            partition by people.email
            order by case when people.lead_id is null then 1 else 0 end, people.person_id
        ) as email_rank,
        row_number() over (
            partition by people.contact_id
            order by case when people.lead_id is null then 1 else 0 end, people.person_id
        ) as contact_rank
    from people

)

select
    cast(person_id as {{ dbt.type_string() }}) as person_id,
    cast(person_type as {{ dbt.type_string() }}) as person_type,
    cast(lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(contact_id as {{ dbt.type_string() }}) as contact_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(email as {{ dbt.type_string() }}) as email,
    cast(email is not null and email_rank = 1 as {{ dbt.type_boolean() }}) as is_email_owner,
    cast(contact_id is not null and contact_rank = 1 as {{ dbt.type_boolean() }})
        as is_contact_owner
from ranked
