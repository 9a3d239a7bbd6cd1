-- each account's acquisition: its first new-customer win (docs block `customer_rule`) and
-- that win's lead channel; a won-back account keeps its first acquisition
with won as (

    select * from {{ ref('int_won_opportunities') }}
    where is_new_customer

),

ranked_wins as (

    select
        account_id,
        opportunity_id,
        won_at,
        channel,
        row_number() over (
            partition by account_id order by won_at, opportunity_id
        ) as win_number
    from won

)

select
    account_id,
    opportunity_id,
    won_at as acquired_at,
    channel as acquisition_channel
from ranked_wins
where win_number = 1
