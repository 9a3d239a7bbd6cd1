-- One row per email send: one lead x smart campaign x email template x send date (the UTC
-- date of the send activity). Bounces, opens, clicks and unsubscribes are attached to the
-- latest send of the same lead, campaign and template at or before them and flag it once
-- ("unique"). The fact of the email KPIs (kpi_email) and of the semantic model email_sends.
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

marketo_leads as (

    select * from {{ ref('stg_marketo__lead') }}

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

final as (

    select
        {{ record_key([
            'send_units.lead_id', 'send_units.campaign_id',
            'send_units.email_template_id', 'send_units.send_date',
        ]) }} as email_send_id,
        send_units.lead_id,
        marketo_leads.salesforce_lead_id,
        send_units.campaign_id,
        campaigns.campaign_name,
        campaigns.program_id,
        programs.program_name,
        send_units.email_template_id,
        send_units.send_date,
        send_units.sent_at,
        coalesce(send_responses.is_bounced, 0) = 0 as is_delivered,
        coalesce(send_responses.is_bounced, 0) = 1 as is_bounced,
        coalesce(send_responses.is_opened, 0) = 1 as is_opened,
        coalesce(send_responses.is_clicked, 0) = 1 as is_clicked,
        coalesce(send_responses.is_unsubscribed, 0) = 1 as is_unsubscribed
    from send_units
    left join send_responses
        on
            send_units.lead_id = send_responses.lead_id
            and send_units.campaign_id = send_responses.campaign_id
            and send_units.email_template_id = send_responses.email_template_id
            and send_units.send_date = send_responses.send_date
    left join marketo_leads
        on send_units.lead_id = marketo_leads.lead_id
    left join campaigns
        on send_units.campaign_id = campaigns.campaign_id
    left join programs
        on campaigns.program_id = programs.program_id

)

select
    cast(email_send_id as {{ dbt.type_string() }}) as email_send_id,
    cast(lead_id as {{ dbt.type_bigint() }}) as lead_id,
    cast(salesforce_lead_id as {{ dbt.type_string() }}) as salesforce_lead_id,
    cast(campaign_id as {{ dbt.type_bigint() }}) as campaign_id,
    cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
    cast(program_id as {{ dbt.type_bigint() }}) as program_id,
    cast(program_name as {{ dbt.type_string() }}) as program_name,
    cast(email_template_id as {{ dbt.type_bigint() }}) as email_template_id,
    cast(send_date as date) as send_date,
    cast(sent_at as {{ dbt.type_timestamp() }}) as sent_at,
    cast(is_delivered as {{ dbt.type_boolean() }}) as is_delivered,
    cast(is_bounced as {{ dbt.type_boolean() }}) as is_bounced,
    cast(is_opened as {{ dbt.type_boolean() }}) as is_opened,
    cast(is_clicked as {{ dbt.type_boolean() }}) as is_clicked,
    cast(is_unsubscribed as {{ dbt.type_boolean() }}) as is_unsubscribed
from final
