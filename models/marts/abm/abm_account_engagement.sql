-- abm_account_engagement: one row per target account and ISO week with any activity.
with engagement as (

    select * from {{ ref('int_account_weekly_engagement') }}
    where is_abm_target

),

accounts as (

    select * from {{ ref('int_crm_accounts') }}

)

select
    engagement.account_id,
    accounts.account_name,
    engagement.week_start,
    engagement.web_sessions,
    engagement.web_time_s,
    engagement.email_opens,
    engagement.email_clicks,
    engagement.content_downloads,
    engagement.engaged_contacts,
    engagement.engagement_score
from engagement
inner join accounts
    on engagement.account_id = accounts.account_id
