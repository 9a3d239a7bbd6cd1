-- Email KPIs per send: a send is one lead x smart campaign x email template x send date.
-- Deliveries, bounces, opens, clicks and unsubscribes count once per send ("unique"), each
-- attached to the latest send of the same lead, campaign and template at or before it.
with sends as (

    select * from {{ ref('stg_marketo__activity_send_email') }}

),

bounces as (

    select * from {{ ref('stg_marketo__activity_email_bounced') }}

),

opens as (

    select * from {{ ref('stg_marketo__activity_open_email') }}

),

clicks as (

    select * from {{ ref('stg_marketo__activity_click_email') }}

),

unsubscribes as (

    select * from {{ ref('stg_marketo__activity_unsubscribe_email') }}

),

campaigns as (

    select * from {{ ref('stg_marketo__campaign') }}

),

programs as (

    select * from {{ ref('stg_marketo__program') }}

),

send_units as (

    select
        lead_id,
        campaign_id,
        email_template_id,
        cast(activity_at as date) as send_date,
        min(activity_at) as sent_at
    from sends
    group by 1, 2, 3, 4

),

responses as (

    select
        'bounced' as response,
        lead_id,
        campaign_id,
        email_template_id,
        activity_at
    from bounces
    union all
    select
        'opened' as response,
        lead_id,
        campaign_id,
        email_template_id,
        activity_at
    from opens
    union all
    select
        'clicked' as response,
        lead_id,
        campaign_id,
        email_template_id,
        activity_at
    from clicks
    union all
    select
        'unsubscribed' as response,
        lead_id,
        campaign_id,
        email_template_id,
        activity_at
    from unsubscribes

),

matched as (

    select
        responses.response,
        send_units.lead_id,
        send_units.campaign_id,
        send_units.email_template_id,
        send_units.send_date,
        row_number() over (
            partition by
                responses.response,
                responses.lead_id,
                responses.campaign_id,
                responses.email_template_id,
                responses.activity_at
            order by send_units.sent_at desc
        ) as send_rank
    from responses
    inner join send_units
        on
            responses.lead_id = send_units.lead_id
            and responses.campaign_id = send_units.campaign_id
            and responses.email_template_id = send_units.email_template_id
            and responses.activity_at >= send_units.sent_at

),

send_responses as (

    select
        lead_id,
        campaign_id,
        email_template_id,
        send_date,
        max(case when response = 'bounced' then 1 else 0 end) as is_bounced,
        max(case when response = 'opened' then 1 else 0 end) as is_opened,
        max(case when response = 'clicked' then 1 else 0 end) as is_clicked,
        max(case when response = 'unsubscribed' then 1 else 0 end) as is_unsubscribed
    from matched
    where send_rank = 1
    group by 1, 2, 3, 4

),

send_rows as (

    select
        {{ month_of('send_units.send_date') }} as period_start,
        programs.program_name,
        coalesce(send_responses.is_bounced, 0) as is_bounced,
        coalesce(send_responses.is_opened, 0) as is_opened,
        coalesce(send_responses.is_clicked, 0) as is_clicked,
        coalesce(send_responses.is_unsubscribed, 0) as is_unsubscribed
    from send_units
    left join send_responses
        on
            send_units.lead_id = send_responses.lead_id
            and send_units.campaign_id = send_responses.campaign_id
            and send_units.email_template_id = send_responses.email_template_id
            and send_units.send_date = send_responses.send_date
    left join campaigns
        on send_units.campaign_id = campaigns.campaign_id
    left join programs
        on campaigns.program_id = programs.program_id

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
        count(*) - sum(is_bounced) as delivered,
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
