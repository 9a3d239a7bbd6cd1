-- Every registered KPI of a built model has total rows in kpi_values; the registry's ids not
-- built (empty `kpi_model`, with `not_built_reason`) are exempt. A warning, not an error: a young
-- extract (no customers a year ago, no NRR) or a switched-off source inside a model (kpi_ads
-- with every ad platform off) leaves a KPI legitimately empty. The test suite's full builds
-- require it to pass (tests/python/test_kpi_values.py).
{{ config(severity='warn') }}

with registry as (

    select * from {{ ref('kpi_registry') }}

),

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

totals as (

    select distinct kpi_id from kpi_values
    where dimension_name = 'all'

)

select
    registry.kpi_id,
    registry.kpi_model
from registry
left join totals on registry.kpi_id = totals.kpi_id
where
    totals.kpi_id is null
    and registry.kpi_model in (
        {%- for kpi_model in built_kpi_models() %}
        '{{ kpi_model }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
