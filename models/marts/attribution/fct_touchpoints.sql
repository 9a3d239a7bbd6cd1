-- Every marketing touch of a known person, with its channel, campaign, platform and the
-- lead, contact and account it resolves to (rule: `touchpoint_rule`). No personal data.
with touchpoints as (

    select * from {{ ref('int_touchpoints') }}

)

select
    touchpoint_id,
    touch_type,
    touched_at,
    channel,
    campaign,
    platform,
    lead_id,
    contact_id,
    account_id
from touchpoints
