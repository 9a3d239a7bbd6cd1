-- Email KPIs per send (fct_email_sends): a send is one lead x smart campaign x email
-- template x send date; deliveries, bounces, opens, clicks and unsubscribes count once per
-- send ("unique"), attached to the latest send of the same lead, campaign and template.
with email_sends as (

    select * from {{ ref('fct_email_sends') }}

),

grains as (

    select 'day' as period_grain
    union all
    select 'month' as period_grain

),

-- by send date (the catalogue's campaign x send date) and by send month (the program view)
send_rows as (

    select
        grains.period_grain,
        case
            when grains.period_grain = 'day' then email_sends.send_date
            else {{ month_of('email_sends.send_date') }}
        end as period_start,
        email_sends.program_name,
        email_sends.campaign_name,
        case when email_sends.is_delivered then 1 else 0 end as is_delivered,
        case when email_sends.is_bounced then 1 else 0 end as is_bounced,
        case when email_sends.is_opened then 1 else 0 end as is_opened,
        case when email_sends.is_clicked then 1 else 0 end as is_clicked,
        case when email_sends.is_unsubscribed then 1 else 0 end as is_unsubscribed
    from email_sends
    cross join grains

),

dimensioned as (

    {{ by_dimensions('send_rows', {
        'all': "'all'", 'program': 'program_name', 'campaign': 'campaign_name'}) }}

),

aggregated as (

    select
        period_grain,
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
    group by 1, 2, 3, 4

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
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    {{ safe_divide('kpi_numerator', 'kpi_denominator') }} as value,
    cast(kpi_numerator as {{ type_double() }}) as numerator,
    cast(kpi_denominator as {{ type_double() }}) as denominator,
    'ratio' as unit
from kpis
