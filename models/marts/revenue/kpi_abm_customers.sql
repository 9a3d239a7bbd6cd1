-- abm_retention, abm_expansion and abm_clv (catalogue section 6): the customer retention
-- rate, expansion rate and predictive clv with target accounts side by side with the
-- others ('abm_target' rows) and the total ('all' rows).
with retention as (

    select * from {{ ref('kpi_retention') }}

),

customer_value as (

    select * from {{ ref('kpi_customer_value') }}

),

source_rows as (

    select
        case
            when kpi_id = 'customer_retention_rate' then 'abm_retention'
            else 'abm_expansion'
        end as kpi_id,
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        value,
        numerator,
        denominator,
        unit
    from retention
    where kpi_id in ('customer_retention_rate', 'expansion_rate')
    union all
    select
        'abm_clv' as kpi_id,
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        value,
        numerator,
        denominator,
        unit
    from customer_value
    where kpi_id = 'clv'

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
from source_rows
where dimension_name in ('all', 'abm_target')
