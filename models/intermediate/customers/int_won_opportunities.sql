-- Every won opportunity with its won time (catalogue: the first closed-won history row,
-- else the close date), its type as a snake_case key, for lead-converted ones the lead's
-- channel (the earliest created lead converted into it, int_leads_enriched), and the one
-- place of the new-customer rule (docs block customer_rule): a New Business win on an
-- account that is already a customer is expansion, not a new customer.
with opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

outcomes as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

opportunity_leads as (

    select * from {{ ref('int_leads_enriched') }}
    where is_opportunity_lead

),

contracts as (

    select * from {{ ref('int_crm_contracts') }}
    where lower(contract_status) = 'activated'

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

),

-- a customer before the win: an activated contract started before the won day covers it
-- (the win's own contract starts on the won day)
won_at_customers as (

    select distinct won.opportunity_id
    from won
    inner join contracts
        on
            won.account_id = contracts.account_id
            and contracts.start_date < cast(won.won_at as date)
            and contracts.end_date >= cast(won.won_at as date)

),

typed as (

    select
        won.*,
        won.opportunity_type = 'new_business' and won_at_customers.opportunity_id is null
            as is_new_customer,
        case
            when won.opportunity_type = 'renewal' then 'renewal'
            when won.opportunity_type = 'new_business' and won_at_customers.opportunity_id is null
                then 'new_business'
            else 'expansion'
        end as revenue_type
    from won
    left join won_at_customers
        on won.opportunity_id = won_at_customers.opportunity_id

)

select
    cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(opportunity_type as {{ dbt.type_string() }}) as opportunity_type,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(won_at as {{ dbt.type_timestamp() }}) as won_at,
    cast(amount_in_reporting_currency as {{ type_double() }}) as amount_in_reporting_currency,
    cast(is_new_customer as {{ dbt.type_boolean() }}) as is_new_customer,
    cast(revenue_type as {{ dbt.type_string() }}) as revenue_type
from typed
