-- Account-based marketing KPIs, target accounts side by side with the others:
-- abm_account_engagement (week), abm_account_to_opportunity_rate (quarter), abm_win_rate
-- (close month) and abm_pipeline_value (as-of snapshot).
with engagement as (

    select * from {{ ref('int_account_weekly_engagement') }}

),

opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

outcomes as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

accounts as (

    select * from {{ ref('stg_salesforce__account') }}

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

engagement_rows as (

    select
        'abm_account_engagement' as kpi_id,
        'week' as period_grain,
        week_start as period_start,
        dimension_name,
        dimension_value,
        sum(engagement_score) / count(*) as value,
        sum(engagement_score) as numerator,
        count(*) as denominator,
        'score' as unit
    from account_weeks_dimensioned
    group by 1, 2, 3, 4, 5

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

account_to_opportunity_rows as (

    select
        'abm_account_to_opportunity_rate' as kpi_id,
        'quarter' as period_grain,
        quarters.quarter_start as period_start,
        'all' as dimension_name,
        'all' as dimension_value,
        {{ safe_divide(
            'coalesce(target_accounts_with_opportunity.account_count, 0)',
            'target_accounts.target_account_count'
        ) }} as value,
        coalesce(target_accounts_with_opportunity.account_count, 0) as numerator,
        target_accounts.target_account_count as denominator,
        'ratio' as unit
    from quarters
    cross join target_accounts
    left join target_accounts_with_opportunity
        on quarters.quarter_start = target_accounts_with_opportunity.quarter_start

),

closed_opportunities as (

    select
        {{ month_of('outcomes.closed_at') }} as close_month,
        case when outcomes.outcome_stage = 'customer' then 1 else 0 end as is_won,
        case
            when accounts.is_abm_target then 'target'
            when accounts.account_id is not null then 'non_target'
        end as abm_segment
    from opportunities
    inner join outcomes
        on opportunities.opportunity_id = outcomes.opportunity_id
    left join accounts
        on opportunities.account_id = accounts.account_id
    where outcomes.outcome_stage is not null

),

closed_dimensioned as (

    {{ by_dimensions('closed_opportunities', {'all': "'all'", 'abm_target': 'abm_segment'}) }}

),

win_rate_rows as (

    select
        'abm_win_rate' as kpi_id,
        'month' as period_grain,
        close_month as period_start,
        dimension_name,
        dimension_value,
        {{ safe_divide('sum(is_won)', 'count(*)') }} as value,
        sum(is_won) as numerator,
        count(*) as denominator,
        'ratio' as unit
    from closed_dimensioned
    group by 1, 2, 3, 4, 5

),

pipeline_dimensioned as (

    {{ by_dimensions('pipeline', {'all': "'all'", 'abm_target': 'abm_segment'}) }}

),

pipeline_rows as (

    select
        'abm_pipeline_value' as kpi_id,
        'snapshot' as period_grain,
        snapshot_date as period_start,
        dimension_name,
        dimension_value,
        sum(amount_in_reporting_currency) as value,
        sum(amount_in_reporting_currency) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        'currency' as unit
    from pipeline_dimensioned
    group by 1, 2, 3, 4, 5

),

kpi_rows as (

    select * from engagement_rows
    union all
    select * from account_to_opportunity_rows
    union all
    select * from win_rate_rows
    union all
    select * from pipeline_rows

)

select
    kpi_id,
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    cast(value as {{ type_double() }}) as value,
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator,
    unit
from kpi_rows
