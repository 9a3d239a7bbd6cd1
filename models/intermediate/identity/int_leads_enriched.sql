-- One row per Salesforce lead with what every model joins to it: the channel of its lead
-- source (seed channel_mapping through map_channel, 'unknown' when unmapped), its segment
-- (industry, employees and company size band from the seed company_size_bands, country:
-- the converted account's values, else the lead's own), the ABM flag of the converted
-- account, and the visitor stage: the first page of the anonymous ids that belong to the
-- lead (int_visitor_identities).
with leads as (

    select * from {{ ref('int_crm_leads') }}

),

accounts as (

    select * from {{ ref('int_crm_accounts') }}

),

visitors as (

    select * from {{ ref('int_visitor_identities') }}
    where lead_id is not null

),

size_bands as (

    select * from {{ ref('company_size_bands') }}

),

first_visits as (

    select
        lead_id,
        min(first_page_at) as first_visit_at
    from visitors
    group by lead_id

),

-- the lead of an opportunity several leads were converted into: the earliest created one
opportunity_leads as (

    select
        lead_id,
        row_number() over (
            partition by converted_opportunity_id
            order by created_at, lead_id
        ) as opportunity_lead_rank
    from leads
    where converted_opportunity_id is not null

),

enriched as (

    select
        leads.lead_id,
        leads.email,
        leads.converted_contact_id as contact_id,
        leads.converted_account_id as account_id,
        leads.converted_opportunity_id as opportunity_id,
        coalesce(opportunity_leads.opportunity_lead_rank = 1, false) as is_opportunity_lead,
        leads.owner_id,
        leads.created_at,
        leads.lead_source,
        {{ map_channel("'lead_source'", 'leads.lead_source') }} as channel,
        coalesce(accounts.industry, leads.industry) as industry,
        coalesce(accounts.number_of_employees, leads.number_of_employees) as number_of_employees,
        size_bands.company_size_band,
        coalesce(accounts.billing_country, leads.country) as country,
        coalesce(accounts.is_abm_target, false) as is_abm_target,
        leads.disqualification_reason,
        first_visits.first_visit_at
    from leads
    left join accounts
        on leads.converted_account_id = accounts.account_id
    left join size_bands
        on
            coalesce(accounts.number_of_employees, leads.number_of_employees)
            between size_bands.min_employees and size_bands.max_employees
    left join opportunity_leads
        on leads.lead_id = opportunity_leads.lead_id
    left join first_visits
        on leads.lead_id = first_visits.lead_id

)

select
    cast(lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(email as {{ dbt.type_string() }}) as email,
    cast(contact_id as {{ dbt.type_string() }}) as contact_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
    cast(is_opportunity_lead as {{ dbt.type_boolean() }}) as is_opportunity_lead,
    cast(owner_id as {{ dbt.type_string() }}) as owner_id,
    cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
    cast(lead_source as {{ dbt.type_string() }}) as lead_source,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(industry as {{ dbt.type_string() }}) as industry,
    cast(number_of_employees as {{ dbt.type_int() }}) as number_of_employees,
    cast(company_size_band as {{ dbt.type_string() }}) as company_size_band,
    cast(country as {{ dbt.type_string() }}) as country,
    cast(is_abm_target as {{ dbt.type_boolean() }}) as is_abm_target,
    cast(disqualification_reason as {{ dbt.type_string() }}) as disqualification_reason,
    cast(first_visit_at as {{ dbt.type_timestamp() }}) as first_visit_at
from enriched
