-- Every marketing touch of a known person (rule in _attribution__docs.md, `touchpoint_rule`):
-- identified web sessions, Marketo form fills and email clicks, and Salesforce campaign
-- responses, each resolved to the Salesforce lead, its converted contact and account by the
-- identity layer (int_visitor_identities, int_marketo_people, int_people).
with sessions as (

    select * from {{ ref('int_web_sessions') }}

),

visitors as (

    select * from {{ ref('int_visitor_identities') }}
    where person_id is not null

),

ad_spend as (

    select * from {{ ref('int_ad_spend_daily') }}

),

people as (

    select * from {{ ref('int_people') }}

),

campaign_members as (

    select * from {{ ref('stg_salesforce__campaign_member') }}
    where has_responded and first_responded_date is not null

),

sf_campaigns as (

    select * from {{ ref('stg_salesforce__campaign') }}

),

{% if var('marketo_enabled') -%}
marketo_people as (

    select * from {{ ref('int_marketo_people') }}

),

form_fills as (

    select * from {{ ref('stg_marketo__activity_fill_out_form') }}

),

email_clicks as (

    select * from {{ ref('stg_marketo__activity_click_email') }}

),

marketo_campaigns as (

    select * from {{ ref('stg_marketo__campaign') }}

),

programs as (

    select * from {{ ref('stg_marketo__program') }}

),

{% endif -%}
-- The platform of an ad campaign, when the session's UTM campaign names one.
ad_campaigns as (

    select
        campaign_name,
        min(platform) as platform
    from ad_spend
    where campaign_name is not null
    group by campaign_name

),

session_touches as (

    select
        {{ dbt.concat(["'web_session-'", 'sessions.session_id']) }} as touchpoint_id,
        'web_session' as touch_type,
        sessions.started_at as touched_at,
        sessions.channel,
        sessions.utm_campaign as campaign,
        ad_campaigns.platform,
        visitors.lead_id,
        visitors.contact_id,
        visitors.account_id
    from sessions
    inner join visitors
        on sessions.anonymous_id = visitors.anonymous_id
    left join ad_campaigns
        on sessions.utm_campaign = ad_campaigns.campaign_name

),

{% if var('marketo_enabled') -%}
marketo_activities as (

    select
        'form_fill' as touch_type,
        activity_id,
        lead_id,
        campaign_id,
        activity_at
    from form_fills
    union all
    select
        'email_click' as touch_type,
        activity_id,
        lead_id,
        campaign_id,
        activity_at
    from email_clicks

),

marketo_touches as (

    select
        {{ dbt.concat([
            'marketo_activities.touch_type', "'-'",
            'cast(marketo_activities.activity_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as touchpoint_id,
        marketo_activities.touch_type,
        marketo_activities.activity_at as touched_at,
        {{ map_channel("'touch_type'", 'marketo_activities.touch_type') }} as channel,
        programs.program_name as campaign,
        cast(null as {{ dbt.type_string() }}) as platform,
        marketo_people.lead_id,
        marketo_people.contact_id,
        marketo_people.account_id
    from marketo_activities
    inner join marketo_people
        on marketo_activities.lead_id = marketo_people.marketo_lead_id
    left join marketo_campaigns
        on marketo_activities.campaign_id = marketo_campaigns.campaign_id
    left join programs
        on marketo_campaigns.program_id = programs.program_id

),

{% endif -%}
-- A campaign response counts at the first response date (00:00 UTC); its channel is the
-- campaign type's (webinars and trade shows share the events cost channel).
response_touches as (

    select
        {{ dbt.concat(["'campaign_response-'", 'campaign_members.campaign_member_id']) }}
            as touchpoint_id,
        'campaign_response' as touch_type,
        cast(campaign_members.first_responded_date as {{ dbt.type_timestamp() }}) as touched_at,
        {{ map_channel("'campaign_type'", 'sf_campaigns.campaign_type') }} as channel,
        sf_campaigns.campaign_name as campaign,
        cast(null as {{ dbt.type_string() }}) as platform,
        coalesce(campaign_members.lead_id, people_by_contact.lead_id) as lead_id,
        coalesce(campaign_members.contact_id, people_by_lead.contact_id) as contact_id,
        coalesce(people_by_lead.account_id, people_by_contact.account_id) as account_id
    from campaign_members
    left join sf_campaigns
        on campaign_members.campaign_id = sf_campaigns.campaign_id
    left join people as people_by_lead
        on campaign_members.lead_id = people_by_lead.lead_id
    left join people as people_by_contact
        on
            campaign_members.contact_id = people_by_contact.contact_id
            and people_by_contact.is_contact_owner

),

touches as (

    select * from session_touches
    {%- if var('marketo_enabled') %}
    union all
    select * from marketo_touches
    {%- endif %}
    union all
    select * from response_touches

)

select
    cast(touchpoint_id as {{ dbt.type_string() }}) as touchpoint_id,
    cast(touch_type as {{ dbt.type_string() }}) as touch_type,
    cast(touched_at as {{ dbt.type_timestamp() }}) as touched_at,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(campaign as {{ dbt.type_string() }}) as campaign,
    cast(platform as {{ dbt.type_string() }}) as platform,
    cast(lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(contact_id as {{ dbt.type_string() }}) as contact_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id
from touches
