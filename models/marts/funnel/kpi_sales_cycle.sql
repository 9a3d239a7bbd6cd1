-- lead_to_close_days (lead created to won, by the won month) and sales_cycle_days
-- (opportunity created to won or lost, by the close month): average and median.
with lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

cycles as (

    select
        'lead_to_close_days' as kpi_id,
        {{ month_of('customer_at') }} as period_start,
        channel,
        opportunity_owner_id as rep_id,
        lead_to_close_days as cycle_days
    from lifecycle
    where customer_at is not null
    union all
    select
        'sales_cycle_days' as kpi_id,
        {{ month_of('coalesce(customer_at, lost_at)') }} as period_start,
        channel,
        opportunity_owner_id as rep_id,
        sales_cycle_days as cycle_days
    from lifecycle
    where customer_at is not null or lost_at is not null

),

dimensioned as (

    {{ by_dimensions('cycles', {'all': "'all'", 'channel': 'channel', 'rep': 'rep_id'}) }}

),

aggregated as (

    select
        kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        sum(cycle_days) as total_days,
        {{ median('cycle_days') }} as median_days,
        count(*) as closed_count
    from dimensioned
    group by 1, 2, 3, 4

),

kpi_rows as (

    select
        kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        total_days / closed_count as value,
        total_days as numerator,
        closed_count as denominator
    from aggregated
    union all
    select
        kpi_id || '_median' as kpi_id,
        period_start,
        dimension_name,
        dimension_value,
        median_days as value,
        cast(null as {{ type_double() }}) as numerator,
        closed_count as denominator
    from aggregated

)

select
    kpi_id,
    'month' as period_grain,
    period_start,
    dimension_name,
    dimension_value,
    cast(value as {{ type_double() }}) as value,
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator,
    'days' as unit
from kpi_rows
