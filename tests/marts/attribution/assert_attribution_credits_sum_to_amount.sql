-- Under every model, the credits of a won opportunity sum to its amount (catalogue, 1e-6).
with credits as (

    select
        opportunity_id,
        attribution_model,
        sum(credited_share) as total_share,
        sum(credited_amount) as total_amount
    from {{ ref('fct_attribution') }}
    group by opportunity_id, attribution_model

),

opportunities as (

    select * from {{ ref('int_attribution_opportunities') }}

)

select
    opportunities.opportunity_id,
    credits.attribution_model,
    credits.total_share,
    credits.total_amount,
    opportunities.amount_in_reporting_currency
from opportunities
left join credits
    on opportunities.opportunity_id = credits.opportunity_id
where
    credits.opportunity_id is null
    or abs(credits.total_share - 1) > 1e-6
    or abs(
        coalesce(credits.total_amount, 0)
        - coalesce(opportunities.amount_in_reporting_currency, 0)
    ) > 1e-6
