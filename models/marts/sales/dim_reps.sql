-- dim_reps: one row per owner of a lead (now or earlier, from the lead history), an
-- opportunity or a logged activity (task or event):
-- the reps behind the 'rep' cuts of the KPIs and the owner ids of the facts. Every owner id
-- gets a row, also before its user is synced (loaders sync tables independently), so that the
-- facts always join. Names and roles only: the users' email addresses stay in staging.
with users as (

    select * from {{ ref('int_crm_users') }}

),

leads as (

    select * from {{ ref('int_crm_leads') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

activities as (

    select * from {{ ref('int_sales_activities') }}

),

owner_spells as (

    select * from {{ ref('int_lead_owner_spells') }}

),

owners as (

    select owner_id from leads
    union
    select owner_id from opportunities
    union
    select owner_id from activities
    union
    select owner_id from owner_spells

),

reps as (

    select
        owners.owner_id as rep_id,
        users.user_name as rep_name,
        users.title,
        users.department,
        users.manager_id,
        managers.user_name as manager_name,
        users.is_active,
        users.created_at
    from owners
    left join users
        on owners.owner_id = users.user_id
    left join users as managers
        on users.manager_id = managers.user_id
    where owners.owner_id is not null

)

select
    rep_id,
    rep_name,
    title,
    department,
    manager_id,
    manager_name,
    is_active,
    created_at
from reps
