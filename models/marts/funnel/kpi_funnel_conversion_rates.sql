-- Cohort conversion rates (the cohort is the UTC month of entering the denominator's
-- stage; converted = ever reached the next stage) and the opportunity win rate (closed
-- opportunities by the month they closed). The rep of a cohort is the lead's owner when it
-- entered the denominator's stage (the opportunity's owner for the win rate).
with lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

cohort_members as (

    select
        'lead_to_mql_rate' as kpi_id,
        lead_at as cohort_at,
        channel,
        lead_owner_id as rep_id,
        mql_at is not null as is_converted
    from lifecycle
    union all
    select
        'mql_to_sql_rate' as kpi_id,
        mql_at as cohort_at,
        channel,
        mql_owner_id as rep_id,
        sql_at is not null as is_converted
    from lifecycle
    where mql_at is not null
    union all
    select
        'sql_to_opportunity_rate' as kpi_id,
        sql_at as cohort_at,
        channel,
        sql_owner_id as rep_id,
        opportunity_at is not null as is_converted
    from lifecycle
    where sql_at is not null
    union all
    select
        'lead_to_customer_rate' as kpi_id,
        lead_at as cohort_at,
        channel,
        lead_owner_id as rep_id,
        customer_at is not null as is_converted
    from lifecycle
    union all
    select
        'opportunity_win_rate' as kpi_id,
        coalesce(customer_at, lost_at) as cohort_at,
        channel,
        opportunity_owner_id as rep_id,
        customer_at is not null as is_converted
    from lifecycle
    where customer_at is not null or lost_at is not null

),

dimensioned as (

    {{ by_dimensions('cohort_members', {'all': "'all'", 'channel': 'channel', 'rep': 'rep_id'}) }}

),

aggregated as (

    select
        kpi_id,
        case when kpi_id = 'opportunity_win_rate' then 'month' else 'cohort_month' end
            as period_grain,
        {{ month_of('cohort_at') }} as period_start,
        dimension_name,
        dimension_value,
        sum(case when is_converted then 1 else 0 end) as converted,
        count(*) as cohort_size
    from dimensioned
    group by 1, 2, 3, 4, 5

)

select
    kpi_id,
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    {{ safe_divide('converted', 'cohort_size') }} as value,
    cast(converted as {{ type_double() }}) as numerator,
    cast(cohort_size as {{ type_double() }}) as denominator,
    'ratio' as unit
from aggregated
