-- sales_activities (logged activities and prospects registered, by week and month) and
-- activities_per_opportunity (activities linked to won opportunities / won opportunities,
-- by won month).
with activities as (

    select * from {{ ref('int_sales_activities') }}

),

leads as (

    select * from {{ ref('int_crm_leads') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

outcomes as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

sales_work as (

    select
        owner_id as rep_id,
        activity_type,
        activity_at as occurred_at
    from activities
    union all
    -- a prospect registered is a lead its owner created
    select
        owner_id as rep_id,
        'prospect_registered' as activity_type,
        created_at as occurred_at
    from leads

),

periods as (

    select
        'month' as period_grain,
        {{ month_of('occurred_at') }} as period_start,
        rep_id,
        activity_type
    from sales_work
    union all
    select
        'week' as period_grain,
        cast({{ dbt.date_trunc('week', 'occurred_at') }} as date) as period_start,
        rep_id,
        activity_type
    from sales_work

),

activity_dimensions as (

    {{ by_dimensions('periods', {'all': "'all'", 'rep': 'rep_id', 'type': 'activity_type'}) }}

),

activity_counts as (

    select
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as activity_count
    from activity_dimensions
    group by 1, 2, 3, 4

),

won_opportunities as (

    select
        opportunities.opportunity_id,
        opportunities.owner_id as rep_id,
        {{ month_of('outcomes.closed_at') }} as won_month
    from opportunities
    inner join outcomes
        on opportunities.opportunity_id = outcomes.opportunity_id
    where outcomes.outcome_stage = 'customer'

),

activities_by_opportunity as (

    select
        opportunity_id,
        count(*) as activity_count
    from activities
    where opportunity_id is not null
    group by 1

),

deal_efforts as (

    select
        won_opportunities.won_month,
        won_opportunities.rep_id,
        coalesce(activities_by_opportunity.activity_count, 0) as activity_count
    from won_opportunities
    left join activities_by_opportunity
        on won_opportunities.opportunity_id = activities_by_opportunity.opportunity_id

),

effort_dimensions as (

    {{ by_dimensions('deal_efforts', {'all': "'all'", 'rep': 'rep_id'}) }}

),

efforts as (

    select
        won_month as period_start,
        dimension_name,
        dimension_value,
        sum(activity_count) as activities_on_won,
        count(*) as won_count
    from effort_dimensions
    group by 1, 2, 3

),

kpi_rows as (

    {{ kpi_count_rows('sales_activities', 'activity_counts', 'activity_count') }}
    union all
    {{ kpi_ratio_rows('activities_per_opportunity', 'efforts', 'activities_on_won', 'won_count',
                      unit='count', period_grain='month') }}

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
