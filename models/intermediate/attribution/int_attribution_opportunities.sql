-- The opportunities whose revenue is attributed: every won opportunity, with its creation
-- time, won time, amount in the reporting currency and the lead converted into it (the
-- earliest created one, should several leads have been converted into one opportunity:
-- int_leads_enriched.is_opportunity_lead).
with won as (

    select * from {{ ref('int_won_opportunities') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

opportunity_leads as (

    select * from {{ ref('int_leads_enriched') }}
    where is_opportunity_lead

)

select
    cast(won.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
    cast(won.account_id as {{ dbt.type_string() }}) as account_id,
    cast(opportunity_leads.lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(opportunity_leads.created_at as {{ dbt.type_timestamp() }}) as lead_created_at,
    cast(opportunities.created_at as {{ dbt.type_timestamp() }}) as opportunity_created_at,
    cast(won.won_at as {{ dbt.type_timestamp() }}) as won_at,
    cast(won.amount_in_reporting_currency as {{ type_double() }}) as amount_in_reporting_currency
from won
inner join opportunities
    on won.opportunity_id = opportunities.opportunity_id
left join opportunity_leads
    on won.opportunity_id = opportunity_leads.opportunity_id
