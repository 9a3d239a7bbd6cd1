-- marketing_roi, roas and unattributed_revenue_share (docs `kpi_attribution`) from the
-- credits of fct_attribution, by two period grains: `month`, attributed revenue in the month
-- the opportunity was won; `touch_month`, in the month of the credited touch (the cohort of
-- the period's marketing). Costs count in their month under both. ROI and ROAS use attributed
-- revenue only (credited to a touch); the 'all' rows are under `attribution_reporting_model`.
{%- set reporting_model = var('attribution_reporting_model', 'linear') %}
{#- The rows of each cut: (kpi_id, dimension_name, dimension_value, which amounts). -#}
{%- set revenue_and_marketing_cost = "kind in ('revenue', 'marketing_cost')" %}
{%- set ad_revenue_and_spend = "kind in ('revenue', 'ad_spend') and platform is not null" %}
{%- set cuts = [
    ('marketing_roi', 'all', "'all'",
     revenue_and_marketing_cost ~ " and attribution_model = '" ~ reporting_model ~ "'"),
    ('marketing_roi', 'model', 'attribution_model', revenue_and_marketing_cost),
    ('marketing_roi', 'model_channel', dbt.concat(['attribution_model', "'|'", 'channel']),
     "kind in ('revenue', 'unattributed_revenue', 'marketing_cost') and channel is not null"),
    ('marketing_roi', 'model_channel_campaign',
     dbt.concat(['attribution_model', "'|'", 'channel', "'|'", 'campaign']),
     "kind in ('revenue', 'ad_spend') and campaign is not null"),
    ('roas', 'all', "'all'",
     ad_revenue_and_spend ~ " and attribution_model = '" ~ reporting_model ~ "'"),
    ('roas', 'model', 'attribution_model', ad_revenue_and_spend),
    ('roas', 'model_platform', dbt.concat(['attribution_model', "'|'", 'platform']),
     ad_revenue_and_spend),
    ('roas', 'model_platform_campaign',
     dbt.concat(['attribution_model', "'|'", 'platform', "'|'", 'campaign']),
     ad_revenue_and_spend),
    ('unattributed_revenue_share', 'all', "'all'",
     "kind in ('revenue', 'unattributed_revenue') and period_grain = 'month'"
     ~ " and attribution_model = '" ~ reporting_model ~ "'"),
] %}
with credits as (

    select * from {{ ref('fct_attribution') }}

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

period_grains as (

    select 'month' as period_grain
    union all
    select 'touch_month' as period_grain

),

-- One row per amount and period grain: a credit (an unattributed opportunity has no touch,
-- hence no touch month), a month's marketing cost per channel, a day's ad spend per campaign;
-- costs are copied per model, so that every model's cut sets its revenue against them.
amounts as (

    select
        period_grains.period_grain,
        case
            when period_grains.period_grain = 'month' then {{ month_of('credits.won_at') }}
            else {{ month_of('credits.touched_at') }}
        end as period_start,
        case
            when credits.touchpoint_id is null then 'unattributed_revenue' else 'revenue'
        end as kind,
        credits.attribution_model,
        credits.channel,
        credits.campaign,
        credits.platform,
        credits.credited_amount as amount
    from credits
    cross join period_grains
    where period_grains.period_grain = 'month' or credits.touchpoint_id is not null
    union all
    -- Finance costs without a channel count in the 'all' and model rows only.
    select
        period_grains.period_grain,
        costs.cost_month as period_start,
        'marketing_cost' as kind,
        attribution_models.attribution_model,
        costs.channel,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ dbt.type_string() }}) as platform,
        costs.amount_in_reporting_currency as amount
    from costs
    cross join period_grains
    cross join attribution_models
    union all
    select
        period_grains.period_grain,
        {{ month_of('ad_spend.spend_date') }} as period_start,
        'ad_spend' as kind,
        attribution_models.attribution_model,
        {{ map_channel("'ad_platform'", 'ad_spend.platform') }} as channel,
        coalesce(ad_spend.campaign_name, 'unknown') as campaign,
        ad_spend.platform,
        ad_spend.spend_in_reporting_currency as amount
    from ad_spend
    cross join period_grains
    cross join attribution_models

),

measures as (
    {%- for kpi_id, dimension_name, dimension_value, kinds in cuts %}

    select
        '{{ kpi_id }}' as kpi_id,
        period_grain,
        period_start,
        '{{ dimension_name }}' as dimension_name,
        {{ dimension_value }} as dimension_value,
        kind,
        amount
    from amounts
    where {{ kinds }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

aggregated as (

    select
        kpi_id,
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(case when kind in ('revenue', 'unattributed_revenue') then amount else 0 end)
            as revenue,
        sum(case when kind = 'unattributed_revenue' then amount else 0 end)
            as unattributed_revenue,
        sum(case when kind in ('marketing_cost', 'ad_spend') then amount else 0 end)
            as cost_amount
    from measures
    group by kpi_id, period_grain, period_start, dimension_name, dimension_value

),

kpi_rows as (

    {{ kpi_ratio_rows('marketing_roi', 'aggregated', 'revenue - cost_amount', 'cost_amount',
                      unit='multiple', where="kpi_id = 'marketing_roi'") }}
    union all
    {{ kpi_ratio_rows('roas', 'aggregated', 'revenue', 'cost_amount',
                      unit='multiple', where="kpi_id = 'roas'") }}
    union all
    {{ kpi_ratio_rows('unattributed_revenue_share', 'aggregated', 'unattributed_revenue',
                      'revenue', where="kpi_id = 'unattributed_revenue_share'") }}

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
