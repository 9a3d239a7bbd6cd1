-- abm_retention, abm_expansion and abm_clv (catalogue section 6): the customer retention
-- rate, expansion rate and predictive clv with target accounts side by side with the
-- others ('abm_target' rows) and the total ('all' rows).
with retention as (

    select * from {{ ref('kpi_retention') }}
    where kpi_id in ('customer_retention_rate', 'expansion_rate')

),

customer_value as (

    select * from {{ ref('kpi_customer_value') }}
    where kpi_id = 'clv'

),

-- both are kpi_values-shaped (the same contract), so their columns line up
source_rows as (

    select * from retention
    union all
    select * from customer_value

)

select
    case kpi_id
        when 'customer_retention_rate' then 'abm_retention'
        when 'expansion_rate' then 'abm_expansion'
        else 'abm_clv'
    end as kpi_id,
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
