-- Per KPI and period: the total ('all') actual against the target of the kpi_targets seed.
with kpi_values as (

    select * from {{ ref('kpi_values') }}

),

targets as (

    select * from {{ ref('kpi_targets') }}

),

totals as (

    select * from kpi_values
    where dimension_name = 'all'

),

scored as (

    select
        totals.kpi_id,
        totals.period_grain,
        totals.period_start,
        totals.unit,
        totals.value as actual,
        targets.target_value as target,
        totals.value - targets.target_value as gap,
        targets.direction,
        targets.indicator_level,
        case
            when totals.value is null or targets.target_value is null then null
            when targets.direction = 'higher_is_better'
                then totals.value >= targets.target_value
            else totals.value <= targets.target_value
        end as is_on_target
    from totals
    left join targets
        on
            totals.kpi_id = targets.kpi_id
            and totals.period_grain = targets.period_grain

)

select
    kpi_id,
    period_grain,
    period_start,
    unit,
    actual,
    target,
    gap,
    {{ safe_divide('gap', 'target') }} as relative_gap,
    direction,
    indicator_level,
    is_on_target
from scored
