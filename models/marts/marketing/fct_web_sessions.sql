-- One row per web session (see int_web_sessions); no PII: the anonymous id only, no IP
-- address or email.
with sessions as (

    select * from {{ ref('int_web_sessions') }}

)

select
    session_id,
    anonymous_id,
    started_at,
    ended_at,
    duration_s,
    page_count,
    is_bounce,
    landing_path,
    utm_source,
    utm_medium,
    utm_campaign,
    referrer_url,
    channel,
    has_conversion,
    is_engaged
from sessions
