-- Email KPIs per send (fct_email_sends): a send is one lead x smart campaign x email
-- template x send date; deliveries, bounces, opens, clicks and unsubscribes count once per
-- send ("unique"), attached to the latest send of the same lead, campaign and template.
with email_sends as (

    select * from {{ ref('fct_email_sends') }}

),

send_rows as (

    select
        {{ month_of('send_date') }} as period_start,
        program_name,
        case when is_delivered then 1 else 0 end as is_delivered,
        case when is_bounced then 1 else 0 end as is_bounced,
        case when is_opened then 1 else 0 end as is_opened,
        case when is_clicked then 1 else 0 end as is_clicked,
        case when is_unsubscribed then 1 else 0 end as is_unsubscribed
    from email_sends

),

dimensioned as (

    {{ by_dimensions('send_rows', {'all': "'all'", 'program': 'program_name'}) }}

),

aggregated as (

    select
        period_start,
        dimension_name,
        dimension_value,
        count(*) as sent,
        sum(is_delivered) as delivered,
        sum(is_bounced) as bounced,
        sum(is_opened) as unique_opens,
        sum(is_clicked) as unique_clicks,
        sum(is_unsubscribed) as unsubscribes
    from dimensioned
    group by 1, 2, 3

),

kpis as (

    select
        'email_open_rate' as kpi_id,
        *,
        unique_opens as kpi_numerator,
        delivered as kpi_denominator
    from aggregated
    union all
    select
        'email_click_through_rate' as kpi_id,
        *,
        unique_clicks as kpi_numerator,
        delivered as kpi_denominator
    from aggregated
    union all
    select
        'email_click_to_open_rate' as kpi_id,
        *,
        unique_clicks as kpi_numerator,
        unique_opens as kpi_denominator
    from aggregated
    union all
    select
        'email_unsubscribe_rate' as kpi_id,
        *,
        unsubscribes as kpi_numerator,
        delivered as kpi_denominator
    from aggregated
    union all
    select
        'email_bounce_rate' as kpi_id,
        *,
        bounced as kpi_numerator,
        sent as kpi_denominator
    from aggregated

)

select
    kpi_id,
    'month' as period_grain,
    period_start,
    dimension_name,
    dimension_value,
    {{ safe_divide('kpi_numerator', 'kpi_denominator') }} as value,
    cast(kpi_numerator as {{ type_double() }}) as numerator,
    cast(kpi_denominator as {{ type_double() }}) as denominator,
    'ratio' as unit
from kpis
