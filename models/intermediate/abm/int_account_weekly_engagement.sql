-- Every account's engagement per ISO week (Monday start, UTC) in which its people did
-- anything: counts of distinct activities, web time, engaged people and the weighted
-- engagement score (weights: var abm_engagement_weights).
{%- set weights = var('abm_engagement_weights', {
    'web_session': 1.0, 'web_minute': 0.1, 'email_open': 1.0, 'email_click': 3.0,
    'content_download': 5.0, 'engaged_contact': 2.0,
}) %}
with activities as (

    select * from {{ ref('int_account_activities') }}

),

accounts as (

    select * from {{ ref('int_crm_accounts') }}

),

weekly as (

    select
        account_id,
        cast({{ dbt.date_trunc('week', 'occurred_at') }} as date) as week_start,
        activity_type,
        activity_id,
        person_key,
        duration_s
    from activities

),

-- An activity of two people of the same account counts once for the account.
distinct_activities as (

    select distinct
        account_id,
        week_start,
        activity_type,
        activity_id,
        duration_s
    from weekly

),

activity_counts as (

    select
        account_id,
        week_start,
        sum(case when activity_type = 'web_session' then 1 else 0 end) as web_sessions,
        sum(case when activity_type = 'web_session' then duration_s else 0 end) as web_time_s,
        sum(case when activity_type = 'email_open' then 1 else 0 end) as email_opens,
        sum(case when activity_type = 'email_click' then 1 else 0 end) as email_clicks,
        sum(case when activity_type = 'content_download' then 1 else 0 end) as content_downloads
    from distinct_activities
    group by 1, 2

),

engaged_people as (

    select
        account_id,
        week_start,
        count(distinct person_key) as engaged_contacts
    from weekly
    group by 1, 2

),

scored as (

    select
        activity_counts.account_id,
        activity_counts.week_start,
        coalesce(accounts.is_abm_target, false) as is_abm_target,
        activity_counts.web_sessions,
        activity_counts.web_time_s,
        activity_counts.email_opens,
        activity_counts.email_clicks,
        activity_counts.content_downloads,
        engaged_people.engaged_contacts,
        {{ weights['web_session'] }} * activity_counts.web_sessions
        + {{ weights['web_minute'] }} * activity_counts.web_time_s / 60.0
        + {{ weights['email_open'] }} * activity_counts.email_opens
        + {{ weights['email_click'] }} * activity_counts.email_clicks
        + {{ weights['content_download'] }} * activity_counts.content_downloads
        + {{ weights['engaged_contact'] }} * engaged_people.engaged_contacts as engagement_score
    from activity_counts
    inner join engaged_people
        on
            activity_counts.account_id = engaged_people.account_id
            and activity_counts.week_start = engaged_people.week_start
    left join accounts
        on activity_counts.account_id = accounts.account_id

)

select
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    week_start,
    is_abm_target,
    cast(web_sessions as {{ dbt.type_bigint() }}) as web_sessions,
    cast(web_time_s as {{ type_double() }}) as web_time_s,
    cast(email_opens as {{ dbt.type_bigint() }}) as email_opens,
    cast(email_clicks as {{ dbt.type_bigint() }}) as email_clicks,
    cast(content_downloads as {{ dbt.type_bigint() }}) as content_downloads,
    cast(engaged_contacts as {{ dbt.type_bigint() }}) as engaged_contacts,
    cast(engagement_score as {{ type_double() }}) as engagement_score
from scored
