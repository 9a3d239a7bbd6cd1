-- Every won opportunity with its won time (catalogue: the first closed-won history row,
-- else the close date), its type as a snake_case key and, for lead-converted ones, the
-- lead's channel (the earliest created lead converted into it, int_leads_enriched).
with opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

outcomes as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

opportunity_leads as (

    select * from {{ ref('int_leads_enriched') }}
    where is_opportunity_lead

),

won as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        replace(replace(lower(opportunities.opportunity_type), ' ', '_'), '-', '_')
            as opportunity_type,
        opportunity_leads.channel,
        outcomes.closed_at as won_at,
        opportunities.amount_in_reporting_currency
    from opportunities
    inner join outcomes
        on opportunities.opportunity_id = outcomes.opportunity_id
    left join opportunity_leads
        on opportunities.opportunity_id = opportunity_leads.opportunity_id
    where outcomes.outcome_stage = 'customer'

)

select
    cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(opportunity_type as {{ dbt.type_string() }}) as opportunity_type,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(won_at as {{ dbt.type_timestamp() }}) as won_at,
    cast(amount_in_reporting_currency as {{ type_double() }}) as amount_in_reporting_currency
from won
