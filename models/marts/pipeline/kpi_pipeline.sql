-- pipeline_value and pipeline_value_weighted: open opportunity amounts (reporting currency)
-- at each month-end snapshot and at the lifecycle as-of time.
with snapshots as (

    select * from {{ ref('int_opportunity_pipeline_snapshots') }}

),

dimensioned as (

    {{ by_dimensions('snapshots', {
        'all': "'all'", 'stage': 'stage_name', 'abm_target': 'abm_segment'
    }) }}

),

aggregated as (

    select
        snapshot_date,
        dimension_name,
        dimension_value,
        sum(amount_in_reporting_currency) as pipeline_value,
        sum(weighted_amount_in_reporting_currency) as pipeline_value_weighted
    from dimensioned
    group by 1, 2, 3

),

kpi_rows as (

    select
        'pipeline_value' as kpi_id,
        snapshot_date,
        dimension_name,
        dimension_value,
        pipeline_value as value
    from aggregated
    union all
    select
        'pipeline_value_weighted' as kpi_id,
        snapshot_date,
        dimension_name,
        dimension_value,
        pipeline_value_weighted as value
    from aggregated

)

select
    kpi_id,
    'snapshot' as period_grain,
    snapshot_date as period_start,
    dimension_name,
    dimension_value,
    cast(value as {{ type_double() }}) as value,
    cast(value as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    'currency' as unit
from kpi_rows
