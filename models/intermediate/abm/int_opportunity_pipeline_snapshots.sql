-- Open opportunities at each pipeline snapshot: every month end (the state at the end of that
-- day) up to the lifecycle as-of time, and the as-of time itself. Open = created before the
-- snapshot and not won or lost before it; stage, amount and probability come from the latest
-- history row before the snapshot; money is converted at the rate of the deal's transaction
-- date, its (expected) close date on that same history row, as staging converts a won deal.
with opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

stage_changes as (

    select * from {{ ref('int_opportunity_stage_changes_mapped') }}

),

opportunity_history as (

    select * from {{ ref('int_crm_opportunity_history') }}

),

outcomes as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

accounts as (

    select * from {{ ref('int_crm_accounts') }}

),

month_numbers as (

    {{ dbt.generate_series(1200) }}

),

first_month as (

    select {{ month_of('min(created_at)') }} as month_start
    from opportunities

),

month_end_snapshots as (

    select
        cast(
            {{ dbt.dateadd('month', 'month_numbers.generated_number', 'first_month.month_start') }}
            as {{ dbt.type_timestamp() }}
        ) as snapshot_at,
        false as is_as_of_snapshot
    from month_numbers
    cross join first_month

),

snapshots as (

    select
        cast({{ dbt.dateadd('day', -1, 'snapshot_at') }} as date) as snapshot_date,
        snapshot_at,
        is_as_of_snapshot
    from month_end_snapshots
    where snapshot_at <= {{ lifecycle_as_of() }}
    union all
    select
        cast({{ lifecycle_as_of() }} as date) as snapshot_date,
        {{ lifecycle_as_of() }} as snapshot_at,
        true as is_as_of_snapshot

),

open_at_snapshot as (

    select
        snapshots.snapshot_date,
        snapshots.snapshot_at,
        snapshots.is_as_of_snapshot,
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.opportunity_type,
        opportunities.currency_code,
        opportunities.amount as current_amount,
        opportunities.close_date as current_close_date
    from snapshots
    inner join opportunities
        on snapshots.snapshot_at > opportunities.created_at
    left join outcomes
        on opportunities.opportunity_id = outcomes.opportunity_id
    where outcomes.closed_at is null or outcomes.closed_at >= snapshots.snapshot_at

),

history_rows as (

    select
        stage_changes.opportunity_history_id,
        stage_changes.opportunity_id,
        stage_changes.stage_name,
        stage_changes.amount,
        opportunity_history.probability,
        opportunity_history.close_date,
        stage_changes.changed_at
    from stage_changes
    inner join opportunity_history
        on stage_changes.opportunity_history_id = opportunity_history.opportunity_history_id

),

latest_history as (

    select
        open_at_snapshot.snapshot_date,
        open_at_snapshot.opportunity_id,
        history_rows.stage_name,
        history_rows.amount,
        history_rows.probability,
        history_rows.close_date,
        row_number() over (
            partition by open_at_snapshot.snapshot_date, open_at_snapshot.opportunity_id
            order by history_rows.changed_at desc, history_rows.opportunity_history_id desc
        ) as recency
    from open_at_snapshot
    inner join history_rows
        on
            open_at_snapshot.opportunity_id = history_rows.opportunity_id
            and open_at_snapshot.snapshot_at > history_rows.changed_at

),

-- Without a history row by the snapshot the stage is unknown: the current amount counts,
-- the weighted value gets nothing.
as_known as (

    select
        open_at_snapshot.*,
        latest_history.stage_name,
        latest_history.probability,
        coalesce(latest_history.amount, open_at_snapshot.current_amount) as amount,
        coalesce(latest_history.close_date, open_at_snapshot.current_close_date)
            as transaction_date
    from open_at_snapshot
    left join latest_history
        on
            open_at_snapshot.snapshot_date = latest_history.snapshot_date
            and open_at_snapshot.opportunity_id = latest_history.opportunity_id
            and latest_history.recency = 1

),

valued as (

    select
        as_known.snapshot_date,
        as_known.snapshot_at,
        as_known.is_as_of_snapshot,
        as_known.opportunity_id,
        as_known.account_id,
        as_known.opportunity_type,
        as_known.stage_name,
        as_known.probability / 100.0 as probability,
        case
            when accounts.is_abm_target then 'target'
            when accounts.account_id is not null then 'non_target'
        end as abm_segment,
        as_known.currency_code,
        as_known.amount,
        {{ to_reporting_currency('as_known.amount', 'fx') }} as amount_in_reporting_currency
    from as_known
    left join accounts
        on as_known.account_id = accounts.account_id
    {{ join_conversion_rates('as_known.currency_code', 'as_known.transaction_date', 'fx') }}

)

select
    snapshot_date,
    snapshot_at,
    is_as_of_snapshot,
    opportunity_id,
    account_id,
    opportunity_type,
    stage_name,
    abm_segment,
    currency_code,
    cast(amount as {{ type_double() }}) as amount,
    cast(amount_in_reporting_currency as {{ type_double() }}) as amount_in_reporting_currency,
    cast(probability as {{ type_double() }}) as probability,
    cast(amount_in_reporting_currency * probability as {{ type_double() }})
        as weighted_amount_in_reporting_currency
from valued
