-- The CRM's opportunities (var `crm`) in one shape: Salesforce's opportunities, or HubSpot's
-- deals. A deal's account is its primary company (association type 5), its stage the pipeline
-- stage id (hubspot_deal_stage_stages says which are closed and won), its probability the
-- stage's in percent, its type HubSpot's deal type as Salesforce's picklist; deals carry no
-- campaign or lead source. Money is converted as staging converts Salesforce's.
{% if crm() == 'hubspot' -%}
with deals as (

    select * from {{ ref('stg_hubspot__deal') }}

),

deal_companies as (

    select * from {{ ref('stg_hubspot__deal_company') }}
    where association_type_id = 5

),

pipeline_stages as (

    select * from {{ ref('stg_hubspot__deal_pipeline_stage') }}

),

stage_stages as (

    {{ opportunity_stage_stages() }}

),

opportunities as (

    select
        deals.deal_id as opportunity_id,
        deal_companies.company_id as account_id,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        deals.owner_id,
        deals.deal_name as opportunity_name,
        case deals.deal_type
            when 'newbusiness' then 'New Business'
            when 'renewal' then 'Renewal'
            when 'upsell' then 'Upsell'
            when 'crosssell' then 'Cross-sell'
            else deals.deal_type
        end as opportunity_type,
        deals.pipeline_stage_id as stage_name,
        cast(null as {{ dbt.type_string() }}) as lead_source,
        deals.closed_lost_reason as loss_reason,
        deals.currency_code,
        cast(deals.amount as {{ dbt.type_numeric() }}) as amount,
        cast(pipeline_stages.probability * 100 as {{ type_double() }}) as probability,
        coalesce(stage_stages.is_closed, false) as is_closed,
        coalesce(stage_stages.is_won, false) as is_won,
        deals.close_date,
        deals.created_at,
        '{{ var("reporting_currency") }}' as reporting_currency_code,
        {{ to_reporting_currency('deals.amount', 'fx') }} as amount_in_reporting_currency
    from deals
    left join deal_companies
        on deals.deal_id = deal_companies.deal_id
    left join pipeline_stages
        on deals.pipeline_stage_id = pipeline_stages.pipeline_stage_id
    left join stage_stages
        on deals.pipeline_stage_id = lower(stage_stages.stage_name)
    {{ join_conversion_rates('deals.currency_code', 'deals.close_date', 'fx') }}

)
{%- else -%}
with opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

)
{%- endif %}

select
    opportunity_id,
    account_id,
    campaign_id,
    owner_id,
    opportunity_name,
    opportunity_type,
    stage_name,
    lead_source,
    loss_reason,
    currency_code,
    amount,
    probability,
    is_closed,
    is_won,
    close_date,
    created_at,
    reporting_currency_code,
    amount_in_reporting_currency
from opportunities
