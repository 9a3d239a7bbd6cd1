-- One row per identified Segment anonymous id (rule in _identity__docs.md, `identity_rule`):
-- the anonymous id belongs to the email of its latest identify call (ties by identify id),
-- and through it to the person of int_people that owns the email. Without Segment
-- (segment_enabled: false) the model is empty.
{% if var('segment_enabled') -%}
with identifies as (

    select * from {{ ref('stg_segment__identifies') }}
    where anonymous_id is not null and email is not null

),

pages as (

    select * from {{ ref('stg_segment__pages') }}

),

people as (

    select * from {{ ref('int_people') }}
    where is_email_owner

),

ranked as (

    select
        anonymous_id,
        email,
        identified_at,
        row_number() over (
            partition by anonymous_id
            order by identified_at desc, identify_id desc
        ) as identify_rank
    from identifies

),

email_counts as (

    select
        anonymous_id,
        count(distinct email) as email_count
    from identifies
    group by anonymous_id

),

first_pages as (

    select
        anonymous_id,
        min(occurred_at) as first_page_at
    from pages
    group by anonymous_id

),

final as (

    select
        ranked.anonymous_id,
        ranked.email,
        ranked.identified_at,
        email_counts.email_count,
        first_pages.first_page_at,
        people.person_id,
        people.lead_id,
        people.contact_id,
        people.account_id
    from ranked
    inner join email_counts
        on ranked.anonymous_id = email_counts.anonymous_id
    left join first_pages
        on ranked.anonymous_id = first_pages.anonymous_id
    left join people
        on ranked.email = people.email
    where ranked.identify_rank = 1

)

select
    cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
    cast(email as {{ dbt.type_string() }}) as email,
    cast(identified_at as {{ dbt.type_timestamp() }}) as identified_at,
    cast(email_count as {{ dbt.type_bigint() }}) as email_count,
    cast(first_page_at as {{ dbt.type_timestamp() }}) as first_page_at,
    cast(person_id as {{ dbt.type_string() }}) as person_id,
    cast(lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(contact_id as {{ dbt.type_string() }}) as contact_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id
from final
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as anonymous_id,
    cast(null as {{ dbt.type_string() }}) as email,
    cast(null as {{ dbt.type_timestamp() }}) as identified_at,
    cast(null as {{ dbt.type_bigint() }}) as email_count,
    cast(null as {{ dbt.type_timestamp() }}) as first_page_at,
    cast(null as {{ dbt.type_string() }}) as person_id,
    cast(null as {{ dbt.type_string() }}) as lead_id,
    cast(null as {{ dbt.type_string() }}) as contact_id,
    cast(null as {{ dbt.type_string() }}) as account_id
where 1 = 0
{%- endif %}
