-- Closed-loop multi-touch attribution (catalogue section 4, docs `attribution_models`): the
-- amount of each won opportunity split over its counted touches by six models. One row per
-- opportunity x model x touch; an opportunity without a counted touch gets one
-- 'unattributed' row per model.
--
-- Incremental: credits are computed once per opportunity and kept (catalogue), so a run
-- credits only the won opportunities not credited yet; a later identify that links older
-- visits does not restate them. A full refresh recomputes (and restates) every credit. An
-- opportunity no longer won (reopened, deleted) loses its credits (post-hook).
{{ config(
    materialized='incremental',
    unique_key='opportunity_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_unwon_credits() }}",
) }}
{%- set lookback_days = var('attribution_lookback_days', 90) %}
{%- set half_life_days = var('attribution_half_life_days', 7) %}
{#- Weights as whole parts per million, so that renormalised totals are exact sums.
    U-shaped: first touch, the touches in the middle, lead-creation touch; two touches get
    50/50 whatever milestones they hold (catalogue). W-shaped: first touch, lead-creation
    touch, opportunity-creation touch, the rest. #}
{%- set ppm = [] %}
{%- for weight in var('attribution_u_shaped_weights', [0.4, 0.2, 0.4])
    + var('attribution_w_shaped_weights', [0.3, 0.3, 0.3, 0.1]) %}
{%- do ppm.append((weight * 1000000) | round | int) %}
{%- endfor %}
{%- set u_first, u_middle, u_lead, w_first, w_lead, w_opportunity, w_rest = ppm %}
{%- set models = {
    'first_touch': 'case when is_first = 1 then 1.0 / first_count else 0 end',
    'last_touch': 'case when is_last = 1 then 1.0 / last_count else 0 end',
    'linear': '1.0 / touch_count',
    'u_shaped': 'case when touch_count = 2 then 0.5 else'
        ~ ' (case when is_first = 1 then ' ~ u_first ~ '.0 / first_count else 0 end'
        ~ ' + case when is_lead_creation = 1 then ' ~ u_lead ~ '.0 / lead_count else 0 end'
        ~ ' + case when is_u_middle = 1 then ' ~ u_middle ~ '.0 / u_middle_count else 0 end)'
        ~ ' / u_total end',
    'w_shaped': '(case when is_first = 1 then ' ~ w_first ~ '.0 / first_count else 0 end'
        ~ ' + case when is_lead_creation = 1 then ' ~ w_lead ~ '.0 / lead_count else 0 end'
        ~ ' + case when is_last = 1 then ' ~ w_opportunity ~ '.0 / last_count else 0 end'
        ~ ' + case when is_w_rest = 1 then ' ~ w_rest ~ '.0 / w_rest_count else 0 end)'
        ~ ' / w_total',
    'time_decay': 'decay_weight / decay_total',
} %}
{#- A touch counts at or before the opportunity's creation, within the lookback window. #}
{%- set in_window -%}
    touchpoints.touched_at <= opportunities.opportunity_created_at
    and touchpoints.touched_at
    >= {{ dbt.dateadd('day', -lookback_days, 'opportunities.opportunity_created_at') }}
{%- endset %}
with opportunities as (

    select * from {{ ref('int_attribution_opportunities') }}
    {%- if is_incremental() %}
    where opportunity_id not in (select credited.opportunity_id from {{ this }} as credited)
    {%- endif %}

),

touchpoints as (

    select * from {{ ref('fct_touchpoints') }}

),

-- Counted: a touch of the account's people or of the lead converted into the opportunity, in
-- the window; the window is part of each join so that an account's touches outside it are
-- never paired with its opportunities.
counted_pairs as (

    select
        opportunities.opportunity_id,
        touchpoints.touchpoint_id
    from opportunities
    inner join touchpoints
        on
            opportunities.account_id = touchpoints.account_id
            and {{ in_window }}
    union
    select
        opportunities.opportunity_id,
        touchpoints.touchpoint_id
    from opportunities
    inner join touchpoints
        on
            opportunities.lead_id = touchpoints.lead_id
            and {{ in_window }}

),

counted as (

    select
        opportunities.opportunity_id,
        opportunities.lead_created_at,
        touchpoints.touchpoint_id,
        touchpoints.touched_at,
        touchpoints.channel,
        touchpoints.campaign,
        touchpoints.platform,
        {{ days_between('touchpoints.touched_at', 'opportunities.opportunity_created_at') }}
            as days_before_opportunity
    from counted_pairs
    inner join opportunities
        on counted_pairs.opportunity_id = opportunities.opportunity_id
    inner join touchpoints
        on counted_pairs.touchpoint_id = touchpoints.touchpoint_id

),

-- Milestone times; touches sharing a milestone's timestamp share its weight.
journeys as (

    select
        opportunity_id,
        min(touched_at) as first_touch_at,
        max(touched_at) as last_touch_at,
        max(case when touched_at <= lead_created_at then touched_at end) as lead_touch_at
    from counted
    group by opportunity_id

),

flagged as (

    select
        counted.*,
        case when counted.touched_at = journeys.first_touch_at then 1 else 0 end as is_first,
        case when counted.touched_at = journeys.last_touch_at then 1 else 0 end as is_last,
        case
            when counted.touched_at = journeys.lead_touch_at then 1 else 0
        end as is_lead_creation,
        power(2.0, -counted.days_before_opportunity / {{ half_life_days }}) as decay_weight
    from counted
    inner join journeys
        on counted.opportunity_id = journeys.opportunity_id

),

positioned as (

    select
        flagged.*,
        case
            when flagged.is_first = 0 and flagged.is_lead_creation = 0 then 1 else 0
        end as is_u_middle,
        case
            when
                flagged.is_first = 0 and flagged.is_lead_creation = 0 and flagged.is_last = 0
                then 1
            else 0
        end as is_w_rest
    from flagged

),

position_counts as (

    select
        opportunity_id,
        count(*) as touch_count,
        sum(is_first) as first_count,
        sum(is_last) as last_count,
        sum(is_lead_creation) as lead_count,
        sum(is_u_middle) as u_middle_count,
        sum(is_w_rest) as w_rest_count,
        sum(decay_weight) as decay_total
    from positioned
    group by opportunity_id

),

-- A missing milestone or middle gives its weight to the positions present (renormalised).
weighted as (

    select
        positioned.*,
        position_counts.touch_count,
        position_counts.first_count,
        position_counts.last_count,
        position_counts.lead_count,
        position_counts.u_middle_count,
        position_counts.w_rest_count,
        position_counts.decay_total,
        {{ u_first }}
        + case when position_counts.lead_count > 0 then {{ u_lead }} else 0 end
        + case when position_counts.u_middle_count > 0 then {{ u_middle }} else 0 end
            as u_total,
        {{ w_first }} + {{ w_opportunity }}
        + case when position_counts.lead_count > 0 then {{ w_lead }} else 0 end
        + case when position_counts.w_rest_count > 0 then {{ w_rest }} else 0 end
            as w_total
    from positioned
    inner join position_counts
        on positioned.opportunity_id = position_counts.opportunity_id

),

credited as (
    {%- for model, share in models.items() %}

    select
        opportunity_id,
        '{{ model }}' as attribution_model,
        touchpoint_id,
        touched_at,
        channel,
        campaign,
        platform,
        {{ share }} as credited_share
    from weighted
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

unattributed as (
    {%- for model in models %}

    select
        opportunities.opportunity_id,
        '{{ model }}' as attribution_model,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        cast(null as {{ dbt.type_timestamp() }}) as touched_at,
        'unattributed' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ dbt.type_string() }}) as platform,
        1.0 as credited_share
    from opportunities
    left join journeys
        on opportunities.opportunity_id = journeys.opportunity_id
    where journeys.opportunity_id is null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

shares as (

    select * from credited
    union all
    select * from unattributed

)

select
    cast(shares.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
    cast(shares.attribution_model as {{ dbt.type_string() }}) as attribution_model,
    cast(shares.touchpoint_id as {{ dbt.type_string() }}) as touchpoint_id,
    cast(shares.touched_at as {{ dbt.type_timestamp() }}) as touched_at,
    cast(shares.channel as {{ dbt.type_string() }}) as channel,
    cast(shares.campaign as {{ dbt.type_string() }}) as campaign,
    cast(shares.platform as {{ dbt.type_string() }}) as platform,
    cast(opportunities.opportunity_created_at as {{ dbt.type_timestamp() }})
        as opportunity_created_at,
    cast(opportunities.won_at as {{ dbt.type_timestamp() }}) as won_at,
    cast(shares.credited_share as {{ type_double() }}) as credited_share,
    cast(shares.credited_share * opportunities.amount_in_reporting_currency as {{ type_double() }})
        as credited_amount,
    cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}) as computed_at
from shares
inner join opportunities
    on shares.opportunity_id = opportunities.opportunity_id
