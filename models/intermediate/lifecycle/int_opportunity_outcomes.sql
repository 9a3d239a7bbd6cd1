-- When each opportunity was won or lost: the first history row with a closed stage, or,
-- for an opportunity closed without any history row, its close date at 00:00 UTC.
with opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

stage_stages as (

    {{ opportunity_stage_stages() }}

),

stage_changes as (

    select * from {{ ref('int_opportunity_stage_changes_mapped') }}

),

first_closed_change as (

    select
        opportunity_id,
        lifecycle_stage,
        changed_at,
        row_number() over (
            partition by opportunity_id
            order by changed_at, opportunity_history_id
        ) as closed_change_number
    from stage_changes
    where is_closed

),

has_history as (

    select distinct opportunity_id
    from stage_changes

),

closed_without_history as (

    select
        opportunities.opportunity_id,
        stage_stages.lifecycle_stage,
        cast(opportunities.close_date as {{ dbt.type_timestamp() }}) as closed_at
    from opportunities
    inner join stage_stages
        on lower(opportunities.stage_name) = lower(stage_stages.stage_name)
    where
        stage_stages.is_closed
        and opportunities.opportunity_id not in (select has_history.opportunity_id from has_history)

),

outcomes as (

    select
        opportunities.opportunity_id,
        coalesce(first_closed_change.lifecycle_stage, closed_without_history.lifecycle_stage)
            as outcome_stage,
        coalesce(first_closed_change.changed_at, closed_without_history.closed_at) as closed_at
    from opportunities
    left join first_closed_change
        on
            opportunities.opportunity_id = first_closed_change.opportunity_id
            and first_closed_change.closed_change_number = 1
    left join closed_without_history
        on opportunities.opportunity_id = closed_without_history.opportunity_id

)

select * from outcomes
