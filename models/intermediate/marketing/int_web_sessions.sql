-- Web sessions from Segment pages: a visitor's (anonymous_id's) pages in time order, a new
-- session after 30 minutes without a page. The landing page's UTM parameters and referrer
-- give the channel. A conversion is a form fill that creates or re-engages a lead (the
-- catalogue): a Segment `form_submitted` track of the device in the session, with a Marketo
-- fill-out-form activity of the person the device is identified as in the same window. The
-- track keeps a fill on one device from converting a concurrent session on another; the
-- Marketo fill leaves out submissions that reach no lead (newsletter, failed validation).
-- Without Marketo (marketo_enabled false) the track alone counts.
--
-- Incremental: a run rebuilds every session of each visitor with a page or track landed in the
-- lookback window (`incremental_window`), from all of the visitor's pages, so that a late page
-- that merges or splits sessions, or a session spanning the cut, comes out as a full build
-- makes it; the visitor (anonymous_id) is the delete+insert key.
with

{% if is_incremental() -%}
changed_visitors as (

    select anonymous_id from {{ ref('stg_segment__pages') }}
    where received_at >= {{ incremental_window_start('pages_received_at') }}
    union
    select anonymous_id from {{ ref('stg_segment__tracks') }}
    where occurred_at >= {{ incremental_window_start('pages_received_at') }}
    {%- if var('marketo_enabled') %}
    -- a conversion also needs the Marketo fill of a lead the device is identified as: a late
    -- identify, fill or Marketo lead changes old sessions too
    union
    select anonymous_id from {{ ref('stg_segment__identifies') }}
    where identified_at >= {{ incremental_window_start('pages_received_at') }}
    union
    select late_identifies.anonymous_id
    from {{ ref('stg_segment__identifies') }} as late_identifies
    inner join {{ ref('stg_marketo__lead') }} as late_leads
        on late_identifies.email = late_leads.email
    left join {{ ref('stg_marketo__activity_fill_out_form') }} as late_fills
        on late_leads.lead_id = late_fills.lead_id
    where
        late_fills.synced_at >= {{ incremental_window_start('pages_received_at') }}
        or late_leads.updated_at >= {{ incremental_window_start('pages_received_at') }}
    {%- endif %}

),

{% endif -%}
pages as (

    select * from {{ ref('stg_segment__pages') }}
    where
        anonymous_id is not null
        and occurred_at is not null
    {% if is_incremental() -%}
            and anonymous_id in (select changed_visitors.anonymous_id from changed_visitors)
        {%- endif %}

),

tracks as (

    select * from {{ ref('stg_segment__tracks') }}
    {%- if is_incremental() %}
    where anonymous_id in (select changed_visitors.anonymous_id from changed_visitors)
    {%- endif %}

),

{% if var('marketo_enabled') -%}
identifies as (

    select * from {{ ref('stg_segment__identifies') }}

),

marketo_leads as (

    select * from {{ ref('stg_marketo__lead') }}

),

form_fills as (

    select * from {{ ref('stg_marketo__activity_fill_out_form') }}

),

-- every Marketo lead a device was ever identified as, by email: a conversion asks whether a
-- fill of this device reached a lead, not who owns the device now (int_visitor_identities'
-- latest-identify rule would drop a lead's own fill on a device a colleague used later)
visitor_marketo_leads as (

    select distinct
        identifies.anonymous_id,
        marketo_leads.lead_id as marketo_lead_id
    from identifies
    inner join marketo_leads
        on identifies.email = marketo_leads.email

),

{% endif -%}

gaps as (

    select
        pages.*,
        lag(pages.occurred_at) over (
            partition by pages.anonymous_id
            order by pages.occurred_at, pages.page_view_id
        ) as previous_page_at
    from pages

),

numbered as (

    select
        gaps.*,
        sum(
            case
                when
                    gaps.previous_page_at is null
                    or {{ dbt.datediff('gaps.previous_page_at', 'gaps.occurred_at', 'second') }}
                    > 1800
                    then 1
                else 0
            end
        ) over (
            partition by gaps.anonymous_id
            order by gaps.occurred_at, gaps.page_view_id
            rows between unbounded preceding and current row
        ) as session_number
    from gaps

),

landing_pages as (

    select
        numbered.*,
        row_number() over (
            partition by numbered.anonymous_id, numbered.session_number
            order by numbered.occurred_at, numbered.page_view_id
        ) = 1 as is_landing_page,
        {{ dbt.split_part('numbered.referrer_url', "'/'", 3) }} as referrer_host,
        {{ dbt.split_part('numbered.page_url', "'/'", 3) }} as page_host
    from numbered

),

sessions as (

    select
        anonymous_id,
        session_number,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as page_count,
        max(case when is_landing_page then page_path end) as landing_path,
        max(case when is_landing_page then utm_source end) as utm_source,
        max(case when is_landing_page then utm_medium end) as utm_medium,
        max(case when is_landing_page then utm_campaign end) as utm_campaign,
        max(case when is_landing_page then referrer_url end) as referrer_url,
        max(case when is_landing_page then referrer_host end) as referrer_host,
        max(case when is_landing_page then page_host end) as page_host,
        max(received_at) as pages_received_at
    from landing_pages
    group by anonymous_id, session_number

),

-- A session's conversions happen between its first page and 30 minutes after its last
-- (the next session of the visitor starts later than that).
conversions as (

    select distinct
        sessions.anonymous_id,
        sessions.session_number
    from sessions
    inner join tracks
        on
            sessions.anonymous_id = tracks.anonymous_id
            and sessions.started_at <= tracks.occurred_at
            and {{ dbt.dateadd('second', 1800, 'sessions.ended_at') }} >= tracks.occurred_at
    {%- if var('marketo_enabled') %}
    inner join visitor_marketo_leads
        on sessions.anonymous_id = visitor_marketo_leads.anonymous_id
    inner join form_fills
        on
            visitor_marketo_leads.marketo_lead_id = form_fills.lead_id
            and sessions.started_at <= form_fills.activity_at
            and {{ dbt.dateadd('second', 1800, 'sessions.ended_at') }} >= form_fills.activity_at
    {%- endif %}
    where tracks.event_name = 'form_submitted'

),

-- Channel rule (documented in _marketing__docs.md, `web_session_channel`): the landing's UTM
-- medium, else its UTM source, else the kind of its referrer, mapped by the channel_mapping seed.
classified as (

    select
        sessions.*,
        conversions.anonymous_id is not null as has_conversion,
        {{ seconds_between('sessions.started_at', 'sessions.ended_at') }} as duration_s,
        case
            when sessions.utm_medium is not null then 'utm_medium'
            when sessions.utm_source is not null or sessions.utm_campaign is not null
                then 'utm_source'
            else 'referrer'
        end as channel_source,
        case
            when sessions.utm_medium is not null then sessions.utm_medium
            when sessions.utm_source is not null or sessions.utm_campaign is not null
                then sessions.utm_source
            when
                sessions.referrer_host is null
                or sessions.referrer_host = ''
                or sessions.referrer_host = sessions.page_host
                then 'none'
            when
                sessions.referrer_host like '%google.%'
                or sessions.referrer_host like '%bing.%'
                or sessions.referrer_host like '%duckduckgo.%'
                or sessions.referrer_host like '%yahoo.%'
                or sessions.referrer_host like '%ecosia.%'
                or sessions.referrer_host like '%baidu.%'
                or sessions.referrer_host like '%yandex.%'
                then 'search engine'
            else 'other site'
        end as channel_source_value
    from sessions
    left join conversions
        on
            sessions.anonymous_id = conversions.anonymous_id
            and sessions.session_number = conversions.session_number

),

channelled as (

    select
        classified.*,
        {{ map_channel('classified.channel_source', 'classified.channel_source_value') }}
            as channel
    from classified

)

select
    cast({{ dbt.concat(['anonymous_id', "'-'", 'session_number']) }} as {{ dbt.type_string() }})
        as session_id,
    cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
    cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
    cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
    cast(duration_s as {{ type_double() }}) as duration_s,
    cast(page_count as {{ dbt.type_bigint() }}) as page_count,
    page_count = 1 as is_bounce,
    cast(landing_path as {{ dbt.type_string() }}) as landing_path,
    cast(utm_source as {{ dbt.type_string() }}) as utm_source,
    cast(utm_medium as {{ dbt.type_string() }}) as utm_medium,
    cast(utm_campaign as {{ dbt.type_string() }}) as utm_campaign,
    cast(referrer_url as {{ dbt.type_string() }}) as referrer_url,
    cast(channel_source as {{ dbt.type_string() }}) as channel_source,
    cast(channel_source_value as {{ dbt.type_string() }}) as channel_source_value,
    cast(channel as {{ dbt.type_string() }}) as channel,
    has_conversion,
    duration_s >= 10 or page_count >= 2 or has_conversion as is_engaged,
    cast(pages_received_at as {{ dbt.type_timestamp() }}) as pages_received_at
from channelled
