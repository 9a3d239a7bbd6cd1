-- Account-based marketing KPIs, target accounts side by side with the others:
-- abm_account_engagement (week), abm_account_to_opportunity_rate (quarter), abm_win_rate
-- (close month) and abm_pipeline_value (as-of snapshot).
with engagement as (

    select * from {{ ref('int_account_weekly_engagement') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

accounts as (

    select * from {{ ref('int_crm_accounts') }}

),

pipeline as (

    select * from {{ ref('int_opportunity_pipeline_snapshots') }}
    where is_as_of_snapshot

),

account_weeks as (

    select
        week_start,
        engagement_score,
        case when is_abm_target then 'target' else 'non_target' end as abm_segment
    from engagement

),

account_weeks_dimensioned as (

    {{ by_dimensions('account_weeks', {'all': "'all'", 'abm_target': 'abm_segment'}) }}

),

engagement_sums as (

    select
        week_start as period_start,
        dimension_name,
        dimension_value,
        sum(engagement_score) as engagement_score,
        count(*) as account_weeks
    from account_weeks_dimensioned
    group by 1, 2, 3

),

quarters as (

    select distinct cast({{ dbt.date_trunc('quarter', 'created_at') }} as date) as quarter_start
    from opportunities

),

target_accounts as (

    select count(*) as target_account_count
    from accounts
    where is_abm_target

),

target_accounts_with_opportunity as (

    select
        cast({{ dbt.date_trunc('quarter', 'opportunities.created_at') }} as date) as quarter_start,
        count(distinct opportunities.account_id) as account_count
    from opportunities
    inner join accounts
        on opportunities.account_id = accounts.account_id
    where accounts.is_abm_target
    group by 1

),

quarter_target_accounts as (

    select
        quarters.quarter_start as period_start,
        'all' as dimension_name,
        'all' as dimension_value,
        coalesce(target_accounts_with_opportunity.account_count, 0) as with_opportunity,
        target_accounts.target_account_count as target_accounts
    from quarters
    cross join target_accounts
    left join target_accounts_with_opportunity
        on quarters.quarter_start = target_accounts_with_opportunity.quarter_start

),

-- the deals of opportunity_win_rate: each lead's converted opportunity (New Business),
-- not renewals or upsells
closed_opportunities as (

    select
        {{ month_of('coalesce(customer_at, lost_at)') }} as close_month,
        case when customer_at is not null then 1 else 0 end as is_won,
        case when is_abm_target then 'target' else 'non_target' end as abm_segment
    from lifecycle
    where customer_at is not null or lost_at is not null

),

closed_dimensioned as (

    {{ by_dimensions('closed_opportunities', {'all': "'all'", 'abm_target': 'abm_segment'}) }}

),

closed_counts as (

    select
        close_month as period_start,
        dimension_name,
        dimension_value,
        sum(is_won) as won,
        count(*) as closed
    from closed_dimensioned
    group by 1, 2, 3

),

pipeline_dimensioned as (

    {{ by_dimensions('pipeline', {'all': "'all'", 'abm_target': 'abm_segment'}) }}

),

pipeline_sums as (

    select
        snapshot_date as period_start,
        dimension_name,
        dimension_value,
        sum(amount_in_reporting_currency) as amount
    from pipeline_dimensioned
    group by 1, 2, 3

),

kpi_rows as (

    {{ kpi_ratio_rows('abm_account_engagement', 'engagement_sums', 'engagement_score',
                      'account_weeks', unit='score', period_grain='week') }}
    union all
    {{ kpi_ratio_rows('abm_account_to_opportunity_rate', 'quarter_target_accounts',
                      'with_opportunity', 'target_accounts', period_grain='quarter') }}
    union all
    {{ kpi_ratio_rows('abm_win_rate', 'closed_counts', 'won', 'closed', period_grain='month') }}
    union all
    {{ kpi_count_rows('abm_pipeline_value', 'pipeline_sums', 'amount', unit='currency',
                      period_grain='snapshot') }}

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
