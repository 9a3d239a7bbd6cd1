-- leads_created, mqls, sqls, opportunities_created, customers_won: first entries into each
-- stage (skipped stages filled) counted in the UTC month of the entry, by channel and by the
-- customer segments (industry, company size, country, ABM flag) of the lead's company.
with lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

segmented as (

    select
        lead_id,
        channel,
        industry,
        company_size_band,
        country,
        case when is_abm_target then 'target' else 'non_target' end as abm_target,
        lead_at,
        mql_at,
        sql_at,
        opportunity_at,
        customer_at
    from lifecycle

),

stage_entries as (
    select
        segmented.*,
        'leads_created' as kpi_id,
        segmented.lead_at as entered_at
    from segmented
    union all
    select
        segmented.*,
        'mqls' as kpi_id,
        segmented.mql_at as entered_at
    from segmented
    union all
    select
        segmented.*,
        'sqls' as kpi_id,
        segmented.sql_at as entered_at
    from segmented
    union all
    select
        segmented.*,
        'opportunities_created' as kpi_id,
        segmented.opportunity_at as entered_at
    from segmented
    union all
    select
        segmented.*,
        'customers_won' as kpi_id,
        segmented.customer_at as entered_at
    from segmented

),

reached as (

    select * from stage_entries
    where entered_at is not null

),

{%- set dimensions = customer_segment_dimensions() %}
{%- do dimensions.update({'channel': 'channel'}) %}

dimensioned as (

    {{ by_dimensions('reached', dimensions) }}

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
