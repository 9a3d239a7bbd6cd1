-- marketing_roi and roas by month and attribution model (docs `kpi_attribution`). Revenue
-- counts in the won month, costs in their month. The 'all' rows are model-free (every model
-- credits the whole won revenue); the model's cuts carry it in the dimension value.
with credits as (

    select * from {{ ref('fct_attribution') }}

),

opportunities as (

    select * from {{ ref('int_attribution_opportunities') }}

),

costs as (

    select * from {{ ref('int_marketing_sales_costs_monthly') }}
    where cost_type = 'marketing'

),

ad_spend as (

    select * from {{ ref('int_ad_spend_daily') }}

),

attribution_models as (

    select distinct attribution_model from credits

),

-- One row per amount: revenue, marketing cost or ad spend, with its KPI and dimension.
measures as (

    select
        'marketing_roi' as kpi_id,
        {{ month_of('won_at') }} as period_start,
        'all' as dimension_name,
        'all' as dimension_value,
        amount_in_reporting_currency as revenue,
        0 as cost_amount
    from opportunities
    union all
    select
        'marketing_roi' as kpi_id,
        cost_month as period_start,
        'all' as dimension_name,
        'all' as dimension_value,
        0 as revenue,
        amount_in_reporting_currency as cost_amount
    from costs
    union all
    select
        'marketing_roi' as kpi_id,
        {{ month_of('won_at') }} as period_start,
        'model_channel' as dimension_name,
        {{ dbt.concat(['attribution_model', "'|'", 'channel']) }} as dimension_value,
        credited_amount as revenue,
        0 as cost_amount
    from credits
    union all
    -- Finance costs without a channel count in the 'all' rows only.
    select
        'marketing_roi' as kpi_id,
        costs.cost_month as period_start,
        'model_channel' as dimension_name,
        {{ dbt.concat(['attribution_models.attribution_model', "'|'", 'costs.channel']) }}
            as dimension_value,
        0 as revenue,
        costs.amount_in_reporting_currency as cost_amount
    from costs
    cross join attribution_models
    where costs.channel is not null
    union all
    select
        'roas' as kpi_id,
        {{ month_of('won_at') }} as period_start,
        'all' as dimension_name,
        'all' as dimension_value,
        amount_in_reporting_currency as revenue,
        0 as cost_amount
    from opportunities
    union all
    select
        'roas' as kpi_id,
        {{ month_of('spend_date') }} as period_start,
        'all' as dimension_name,
        'all' as dimension_value,
        0 as revenue,
        spend_in_reporting_currency as cost_amount
    from ad_spend
    union all
    select
        'roas' as kpi_id,
        {{ month_of('won_at') }} as period_start,
        'model_platform' as dimension_name,
        {{ dbt.concat(['attribution_model', "'|'", 'platform']) }} as dimension_value,
        credited_amount as revenue,
        0 as cost_amount
    from credits
    where platform is not null
    union all
    select
        'roas' as kpi_id,
        {{ month_of('won_at') }} as period_start,
        'model_platform_campaign' as dimension_name,
        {{ dbt.concat(['attribution_model', "'|'", 'platform', "'|'", 'campaign']) }}
            as dimension_value,
        credited_amount as revenue,
        0 as cost_amount
    from credits
    where platform is not null
    union all
    select
        'roas' as kpi_id,
        {{ month_of('ad_spend.spend_date') }} as period_start,
        'model_platform' as dimension_name,
        {{ dbt.concat(['attribution_models.attribution_model', "'|'", 'ad_spend.platform']) }}
            as dimension_value,
        0 as revenue,
        ad_spend.spend_in_reporting_currency as cost_amount
    from ad_spend
    cross join attribution_models
    union all
    select
        'roas' as kpi_id,
        {{ month_of('ad_spend.spend_date') }} as period_start,
        'model_platform_campaign' as dimension_name,
        {{ dbt.concat([
            'attribution_models.attribution_model', "'|'", 'ad_spend.platform', "'|'",
            "coalesce(ad_spend.campaign_name, 'unknown')"
        ]) }} as dimension_value,
        0 as revenue,
        ad_spend.spend_in_reporting_currency as cost_amount
    from ad_spend
    cross join attribution_models

),

aggregated as (

    select
        kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        sum(revenue) as revenue,
        sum(cost_amount) as cost_amount
    from measures
    group by kpi_id, period_start, dimension_name, dimension_value

),

kpi_rows as (

    {{ kpi_ratio_rows('marketing_roi', 'aggregated', 'revenue - cost_amount', 'cost_amount',
                      unit='multiple', where="kpi_id = 'marketing_roi'", period_grain='month') }}
    union all
    {{ kpi_ratio_rows('roas', 'aggregated', 'revenue', 'cost_amount',
                      unit='multiple', where="kpi_id = 'roas'", period_grain='month') }}

)

select
    kpi_id,
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    value,
    numerator,
    denominator,
    unit
from kpi_rows
