-- sessions, avg_session_duration_s, bounce_rate, engagement_rate, site_conversion_rate and
-- landing_page_conversion_rate, by the UTC day and month the session started.
with sessions as (

    select * from {{ ref('int_web_sessions') }}

),

session_periods as (

    select
        'day' as period_grain,
        cast(started_at as date) as period_start,
        channel,
        landing_path,
        duration_s,
        is_bounce,
        is_engaged,
        has_conversion
    from sessions
    union all
    select
        'month' as period_grain,
        {{ month_of('started_at') }} as period_start,
        channel,
        landing_path,
        duration_s,
        is_bounce,
        is_engaged,
        has_conversion
    from sessions

),

month_sessions as (

    select * from session_periods
    where period_grain = 'month'

),

-- the channel x landing page cross only by month: by day it would add ~70 % to kpi_values
-- (fct_web_sessions has it at any grain)
dimensioned as (

    {{ by_dimensions('session_periods', {
        'all': "'all'", 'channel': 'channel', 'landing_page': 'landing_path'}) }}
    union all
    {{ by_dimensions('month_sessions', {'channel_landing_page': dbt.concat([
        "coalesce(channel, 'unknown')", "' | '", "coalesce(landing_path, 'unknown')"])}) }}

),

aggregated as (

    select
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as sessions,
        sum(duration_s) as total_duration_s,
        sum(case when is_bounce then 1 else 0 end) as bounces,
        sum(case when is_engaged then 1 else 0 end) as engaged_sessions,
        sum(case when has_conversion then 1 else 0 end) as converted_sessions
    from dimensioned
    group by 1, 2, 3, 4

),

kpis as (

    {{ kpi_count_rows('sessions', 'aggregated', 'sessions') }}
    union all
    {{ kpi_ratio_rows('avg_session_duration_s', 'aggregated', 'total_duration_s', 'sessions',
        unit='seconds') }}
    union all
    {{ kpi_ratio_rows('bounce_rate', 'aggregated', 'bounces', 'sessions') }}
    union all
    {{ kpi_ratio_rows('engagement_rate', 'aggregated', 'engaged_sessions', 'sessions',
        where="dimension_name in ('all', 'channel')") }}
    union all
    {{ kpi_ratio_rows('site_conversion_rate', 'aggregated', 'converted_sessions', 'sessions',
        where="dimension_name in ('all', 'channel')") }}
    union all
    {{ kpi_ratio_rows('landing_page_conversion_rate', 'aggregated', 'converted_sessions',
        'sessions', where="dimension_name in ('all', 'landing_page', 'channel_landing_page')") }}

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
