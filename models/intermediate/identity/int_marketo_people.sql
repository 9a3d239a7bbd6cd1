-- The Marketo -> Salesforce mapping, done once: each Marketo lead synced to a person of
-- int_people, through its Salesforce lead id when that lead exists, else through its
-- Salesforce contact id (the person owning the contact). Marketo leads that reach no person
-- have no row; without Marketo (marketo_enabled: false) the model is empty.
{% if var('marketo_enabled') -%}
with marketo_leads as (

    select * from {{ ref('stg_marketo__lead') }}

),

people as (

    select * from {{ ref('int_people') }}

),

contact_people as (

    select * from people
    where is_contact_owner

),

mapped as (

    select
        marketo_leads.lead_id as marketo_lead_id,
        coalesce(by_lead.person_id, contact_people.person_id) as person_id
    from marketo_leads
    left join people as by_lead
        on marketo_leads.salesforce_lead_id = by_lead.lead_id
    left join contact_people
        on marketo_leads.salesforce_contact_id = contact_people.contact_id

),

final as (

    select
        mapped.marketo_lead_id,
        people.person_id,
        people.lead_id,
        people.contact_id,
        people.account_id
    from mapped
    inner join people
        on mapped.person_id = people.person_id

)

select
    cast(marketo_lead_id as {{ dbt.type_bigint() }}) as marketo_lead_id,
    cast(person_id as {{ dbt.type_string() }}) as person_id,
    cast(lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(contact_id as {{ dbt.type_string() }}) as contact_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id
from final
{%- else %}
select
    cast(null as {{ dbt.type_bigint() }}) as marketo_lead_id,
    cast(null as {{ dbt.type_string() }}) as person_id,
    cast(null as {{ dbt.type_string() }}) as lead_id,
    cast(null as {{ dbt.type_string() }}) as contact_id,
    cast(null as {{ dbt.type_string() }}) as account_id
where 1 = 0
{%- endif %}
