-- Per KPI and period of its total ('all') rows: the actual against the kpi_registry's target,
-- direction and level. A period is judged once mature (over, plus the KPI's maturity_days);
-- the scored row is each KPI's latest mature period with a value at its registry grain.
with kpi_values as (

    select * from {{ ref('kpi_values') }}

),

registry as (

    select * from {{ ref('kpi_registry') }}

),

totals as (

    select
        kpi_id,
        period_grain,
        period_start,
        unit,
        value
    from kpi_values
    where dimension_name = 'all'

),

periods as (

    select
        totals.kpi_id,
        registry.label,
        totals.period_grain,
        totals.period_start,
        totals.unit,
        totals.value as actual,
        -- a target is set for the registry's grain only
        case
            when totals.period_grain = registry.period_grain then registry.target_value
        end as target,
        registry.direction,
        registry.indicator_level,
        registry.maturity_days,
        totals.period_grain = registry.period_grain as is_registry_grain,
        -- the first day after the period (a snapshot is complete on its date)
        case totals.period_grain
            when 'day' then {{ dbt.dateadd('day', 1, 'totals.period_start') }}
            when 'week' then {{ dbt.dateadd('day', 7, 'totals.period_start') }}
            when 'quarter' then {{ dbt.dateadd('month', 3, 'totals.period_start') }}
            when 'year' then {{ dbt.dateadd('year', 1, 'totals.period_start') }}
            when 'snapshot' then totals.period_start
            else {{ dbt.dateadd('month', 1, 'totals.period_start') }}
        end as period_end
    from totals
    left join registry on totals.kpi_id = registry.kpi_id

),

maturity as (

    select
        periods.*,
        cast({{ dbt.dateadd('day', 'periods.maturity_days', 'periods.period_end') }} as date)
            as matures_on
    from periods

),

judged as (

    select
        maturity.*,
        maturity.matures_on <= cast({{ lifecycle_as_of() }} as date) as is_mature
    from maturity

),

latest as (

    select
        judged.*,
        max(case when judged.is_mature and judged.actual is not null then judged.period_start end)
            over (partition by judged.kpi_id, judged.period_grain)
            as latest_mature_start
    from judged

),

scored as (

    select
        kpi_id,
        label,
        period_grain,
        period_start,
        unit,
        actual,
        target,
        actual - target as gap,
        direction,
        indicator_level,
        maturity_days,
        matures_on,
        is_mature,
        coalesce(is_registry_grain and period_start = latest_mature_start, false) as is_scored,
        -- unrounded; an immature period or a neutral KPI is not judged
        case
            when not is_mature or actual is null or target is null then null
            when direction = 'higher_is_better' then actual >= target
            when direction = 'lower_is_better' then actual <= target
        end as is_on_target
    from latest

)

select
    kpi_id,
    label,
    period_grain,
    period_start,
    unit,
    actual,
    target,
    gap,
    {{ safe_divide('gap', 'target') }} as relative_gap,
    direction,
    indicator_level,
    maturity_days,
    matures_on,
    is_mature,
    is_scored,
    is_on_target
from scored
