-- The stage changes of the CRM's opportunities (var `crm`, int_crm_opportunity_history), with
-- the lifecycle stage of the CRM's stage mapping (macro opportunity_stage_stages).
with opportunity_history as (

    select * from {{ ref('int_crm_opportunity_history') }}

),

stage_stages as (

    {{ opportunity_stage_stages() }}

),

mapped as (

    select
        opportunity_history.opportunity_history_id,
        opportunity_history.opportunity_id,
        opportunity_history.stage_name as stage_name_raw,
        stage_stages.stage_name,
        stage_stages.lifecycle_stage,
        coalesce(stage_stages.is_closed, false) as is_closed,
        coalesce(stage_stages.is_won, false) as is_won,
        opportunity_history.amount,
        opportunity_history.changed_at,
        stage_stages.stage_name is not null as is_mapped
    from opportunity_history
    left join stage_stages
        on lower(opportunity_history.stage_name) = lower(stage_stages.stage_name)

)

select * from mapped
