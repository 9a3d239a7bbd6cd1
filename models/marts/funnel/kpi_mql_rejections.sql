-- mql_rejection_rate: MQLs of a cohort month that sales rejected (disqualified after the
-- MQL) / MQLs of the cohort; by reason, the numerator is the rejections with that reason
-- and the denominator stays all MQLs of the cohort, so the reasons add up to the total.
with lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

mqls as (

    select
        lead_id,
        channel,
        {{ month_of('mql_at') }} as period_start,
        mql_rejected_at is not null as is_rejected,
        coalesce(disqualification_reason, 'unknown') as rejection_reason
    from lifecycle
    where mql_at is not null

),

dimensioned as (

    {{ by_dimensions('mqls', {'all': "'all'", 'channel': 'channel'}) }}

),

rates as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(case when is_rejected then 1 else 0 end) as rejected,
        count(*) as cohort_size
    from dimensioned
    group by 1, 2, 3

),

cohort_sizes as (

    select
        period_start,
        count(*) as cohort_size
    from mqls
    group by 1

),

reason_counts as (

    select
        period_start,
        rejection_reason,
        count(*) as rejected
    from mqls
    where is_rejected
    group by 1, 2

),

reason_rates as (

    select
        reason_counts.period_start,
        'reason' as dimension_name,
        reason_counts.rejection_reason as dimension_value,
        reason_counts.rejected,
        cohort_sizes.cohort_size
    from reason_counts
    inner join cohort_sizes
        on reason_counts.period_start = cohort_sizes.period_start

),

combined as (

    select * from rates
    union all
    select * from reason_rates

)

select
    'mql_rejection_rate' as kpi_id,
    'cohort_month' as period_grain,
    period_start,
    dimension_name,
    dimension_value,
    {{ safe_divide('rejected', 'cohort_size') }} as value,
    cast(rejected as {{ type_double() }}) as numerator,
    cast(cohort_size as {{ type_double() }}) as denominator,
    'ratio' as unit
from combined
