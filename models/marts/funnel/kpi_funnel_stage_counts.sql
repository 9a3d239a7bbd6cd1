-- leads_created, mqls, sqls, opportunities_created, customers_won: first entries into each
-- stage (skipped stages filled) counted in the UTC month of the entry.
with lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

stage_entries as (

    select
        lead_id,
        channel,
        'leads_created' as kpi_id,
        lead_at as entered_at
    from lifecycle
    union all
    select
        lead_id,
        channel,
        'mqls' as kpi_id,
        mql_at as entered_at
    from lifecycle
    union all
    select
        lead_id,
        channel,
        'sqls' as kpi_id,
        sql_at as entered_at
    from lifecycle
    union all
    select
        lead_id,
        channel,
        'opportunities_created' as kpi_id,
        opportunity_at as entered_at
    from lifecycle
    union all
    select
        lead_id,
        channel,
        'customers_won' as kpi_id,
        customer_at as entered_at
    from lifecycle

),

reached as (

    select * from stage_entries
    where entered_at is not null

),

dimensioned as (

    {{ by_dimensions('reached', {'all': "'all'", 'channel': 'channel'}) }}

),

counted as (

    select
        kpi_id,
        {{ month_of('entered_at') }} as period_start,
        dimension_name,
        dimension_value,
        count(*) as entries
    from dimensioned
    group by 1, 2, 3, 4

)

select
    kpi_id,
    'month' as period_grain,
    period_start,
    dimension_name,
    dimension_value,
    cast(entries as {{ type_double() }}) as value,
    cast(entries as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    'count' as unit
from counted
