-- The CRM's opportunity history (var `crm`) in one shape: Salesforce's opportunity history,
-- or HubSpot's deal_stage rows. A deal_stage row is a stage change only: it carries no amount,
-- probability or close date, so the deal's current ones stand in.
{% if crm() == 'hubspot' -%}
with deal_stages as (

    select * from {{ ref('stg_hubspot__deal_stage') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

pipeline_stages as (

    select * from {{ ref('stg_hubspot__deal_pipeline_stage') }}

),

opportunity_history as (

    select
        deal_stages.deal_stage_id as opportunity_history_id,
        deal_stages.deal_id as opportunity_id,
        deal_stages.pipeline_stage_id as stage_name,
        opportunities.amount,
        cast(pipeline_stages.probability * 100 as {{ type_double() }}) as probability,
        opportunities.close_date,
        deal_stages.entered_at as changed_at
    from deal_stages
    inner join opportunities
        on deal_stages.deal_id = opportunities.opportunity_id
    left join pipeline_stages
        on deal_stages.pipeline_stage_id = pipeline_stages.pipeline_stage_id

)
{%- else -%}
with opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

)
{%- endif %}

select
    opportunity_history_id,
    opportunity_id,
    stage_name,
    amount,
    probability,
    close_date,
    changed_at
from opportunity_history
