-- The whole-period funnel by channel, re-aggregated from kpi_values: counts add up,
-- and rates are recomputed from their numerators and denominators (never averaged).
with kpi_values as (

    select * from {{ ref('kpi_values') }}

),

channel_totals as (

    select
        dimension_value as channel,
        kpi_id,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from kpi_values
    where
        dimension_name = 'channel'
        and kpi_id in (
            'leads_created', 'mqls', 'sqls', 'opportunities_created', 'customers_won',
            'lead_to_mql_rate', 'lead_to_customer_rate'
        )
    group by 1, 2

)

select
    channel,
    kpi_id,
    case
        when denominator is null then numerator
        else {{ safe_divide('numerator', 'denominator') }}
    end as value
from channel_totals
order by 1, 2
