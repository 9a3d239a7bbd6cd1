-- The visitor stage: the first Segment page of any anonymous id that was later identified
-- (Segment identify call) with the lead's email, matched case-insensitively. Without
-- Segment (segment_enabled: false) no lead has a visitor stage.
{% if var('segment_enabled') -%}
with leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

identifies as (

    select * from {{ ref('stg_segment__identifies') }}

),

pages as (

    select * from {{ ref('stg_segment__pages') }}

),

identified_visitors as (

    select distinct
        anonymous_id,
        email
    from identifies
    where anonymous_id is not null and email is not null

),

first_visits as (

    select
        leads.lead_id,
        min(pages.occurred_at) as first_visit_at
    from leads
    inner join identified_visitors
        on leads.email = identified_visitors.email
    inner join pages
        on identified_visitors.anonymous_id = pages.anonymous_id
    group by leads.lead_id

)

select * from first_visits
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as lead_id,
    cast(null as {{ dbt.type_timestamp() }}) as first_visit_at
where 1 = 0
{%- endif %}
