-- stage_duration_days: time spent in a stage, over closed spells by the UTC month they
-- ended (average and median); open spells are reported apart, with their age at the
-- lifecycle's as-of time, as a snapshot. The 'all' rows pool the spells of every stage.
with spells as (

    select * from {{ ref('fct_stage_spells') }}

),

dimensioned as (

    {{ by_dimensions('spells', {'all': "'all'", 'stage': 'lifecycle_stage'}) }}

),

closed_spells as (

    select
        {{ month_of('exited_at') }} as period_start,
        dimension_name,
        dimension_value,
        sum(duration_days) as total_days,
        {{ median('duration_days') }} as median_days,
        count(*) as spell_count
    from dimensioned
    where exited_at is not null
    group by 1, 2, 3

),

open_spells as (

    select
        cast({{ lifecycle_as_of() }} as date) as period_start,
        dimension_name,
        dimension_value,
        sum(open_age_days) as total_age_days,
        count(*) as spell_count
    from dimensioned
    where is_open
    group by 1, 2, 3

),

kpi_rows as (

    select
        'stage_duration_days' as kpi_id,
        'month' as period_grain,
        period_start,
        dimension_name,
        dimension_value,
        total_days / spell_count as value,
        total_days as numerator,
        spell_count as denominator,
        'days' as unit
    from closed_spells
    union all
    select
        'stage_duration_days_median' as kpi_id,
        'month' as period_grain,
        period_start,
        dimension_name,
        dimension_value,
        median_days as value,
        cast(null as {{ type_double() }}) as numerator,
        spell_count as denominator,
        'days' as unit
    from closed_spells
    union all
    select
        'open_stage_spells' as kpi_id,
        'snapshot' as period_grain,
        period_start,
        dimension_name,
        dimension_value,
        spell_count as value,
        spell_count as numerator,
        cast(null as {{ type_double() }}) as denominator,
        'count' as unit
    from open_spells
    union all
    select
        'open_stage_spell_age_days' as kpi_id,
        'snapshot' as period_grain,
        period_start,
        dimension_name,
        dimension_value,
        total_age_days / spell_count as value,
        total_age_days as numerator,
        spell_count as denominator,
        'days' as unit
    from open_spells

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
