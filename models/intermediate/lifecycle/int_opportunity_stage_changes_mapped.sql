-- The stage changes of the CRM's opportunities (var `crm`): Salesforce's opportunity history,
-- or HubSpot's deal_stage rows (which carry no amount: the deal's current amount stands in).
{% if crm() == 'hubspot' -%}
with deal_stages as (

    select * from {{ ref('stg_hubspot__deal_stage') }}

),

deals as (

    select * from {{ ref('stg_hubspot__deal') }}

),

opportunity_history as (

    select
        deal_stages.deal_stage_id as opportunity_history_id,
        deal_stages.deal_id as opportunity_id,
        deal_stages.pipeline_stage_id as stage_name,
        deals.amount,
        deal_stages.entered_at as changed_at
    from deal_stages
    inner join deals
        on deal_stages.deal_id = deals.deal_id

),

stage_stages as (

    select
        stage_id as stage_name,
        lifecycle_stage,
        is_closed,
        is_won
    from {{ ref('hubspot_deal_stage_stages') }}

),
{%- else -%}
with opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

stage_stages as (

    select * from {{ ref('opportunity_stage_stages') }}

),
{%- endif %}

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
