-- social_followers (each network's last value in the period, summed over networks for the
-- total), social_engagements (sum) and social_engagement_rate (engagements / impressions).
with daily_stats as (

    select * from {{ ref('stg_social__page_daily_stats') }}

),

stat_periods as (

    select
        'day' as period_grain,
        report_date as period_start,
        report_date,
        network,
        followers,
        impressions,
        engagements
    from daily_stats
    union all
    select
        'month' as period_grain,
        {{ month_of('report_date') }} as period_start,
        report_date,
        network,
        followers,
        impressions,
        engagements
    from daily_stats

),

-- the followers on each network's last reported day of the period
ranked as (

    select
        *,
        row_number() over (
            partition by period_grain, period_start, network
            order by report_date desc
        ) = 1 as is_last_day
    from stat_periods

),

dimensioned as (

    {{ by_dimensions('ranked', {'all': "'all'", 'network': 'network'}) }}

),

aggregated as (

    select
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(case when is_last_day then followers else 0 end) as followers,
        sum(engagements) as engagements,
        sum(impressions) as impressions
    from dimensioned
    group by 1, 2, 3, 4

),

kpis as (

    {{ kpi_count_rows('social_followers', 'aggregated', 'followers') }}
    union all
    {{ kpi_count_rows('social_engagements', 'aggregated', 'engagements') }}
    union all
    {{ kpi_ratio_rows('social_engagement_rate', 'aggregated', 'engagements', 'impressions') }}

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
from kpis
