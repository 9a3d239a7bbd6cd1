-- The opportunities whose revenue is attributed: every won opportunity, with its creation
-- time, won time, amount in the reporting currency and the lead converted into it (the
-- earliest created one, should several leads have been converted into one opportunity).
with won as (

    select * from {{ ref('int_won_opportunities') }}

),

opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

leads as (

    select * from {{ ref('stg_salesforce__lead') }}
    where converted_opportunity_id is not null

),

leads_ranked as (

    select
        converted_opportunity_id as opportunity_id,
        lead_id,
        created_at,
        row_number() over (
            partition by converted_opportunity_id
            order by created_at, lead_id
        ) as lead_rank
    from leads

)

select
    cast(won.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
    cast(won.account_id as {{ dbt.type_string() }}) as account_id,
    cast(leads_ranked.lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(leads_ranked.created_at as {{ dbt.type_timestamp() }}) as lead_created_at,
    cast(opportunities.created_at as {{ dbt.type_timestamp() }}) as opportunity_created_at,
    cast(won.won_at as {{ dbt.type_timestamp() }}) as won_at,
    cast(won.amount_in_reporting_currency as {{ type_double() }}) as amount_in_reporting_currency
from won
inner join opportunities
    on won.opportunity_id = opportunities.opportunity_id
left join leads_ranked
    on
        won.opportunity_id = leads_ranked.opportunity_id
        and leads_ranked.lead_rank = 1
