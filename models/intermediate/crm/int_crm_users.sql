-- The CRM's users (var `crm`) in one shape: Salesforce's users, or HubSpot's owners. HubSpot
-- owners carry no department, title or manager (those are in its teams, not landed), so
-- those stay null and the SDR / AE cuts need Salesforce.
{% if crm() == 'hubspot' -%}
with owners as (

    select * from {{ ref('stg_hubspot__owner') }}

),

users as (

    select
        owner_id as user_id,
        cast(null as {{ dbt.type_string() }}) as manager_id,
        owner_name as user_name,
        email,
        cast(null as {{ dbt.type_string() }}) as department,
        cast(null as {{ dbt.type_string() }}) as title,
        is_active,
        created_at
    from owners

)
{%- else -%}
with users as (

    select * from {{ ref('stg_salesforce__user') }}

)
{%- endif %}

select
    user_id,
    manager_id,
    user_name,
    email,
    department,
    title,
    is_active,
    created_at
from users
