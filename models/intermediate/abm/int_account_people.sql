-- The people of each account: a lead belongs to the account it was converted into, a
-- contact to its account. The person key is the email (lower-cased, trimmed in staging),
-- so a converted lead and its contact are one person; the record id stands in without one.
with leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

contacts as (

    select * from {{ ref('stg_salesforce__contact') }}

),

people as (

    select
        converted_account_id as account_id,
        'lead' as record_type,
        lead_id as record_id,
        email,
        coalesce(email, lead_id) as person_key
    from leads
    where converted_account_id is not null
    union all
    select
        account_id,
        'contact' as record_type,
        contact_id as record_id,
        email,
        coalesce(email, contact_id) as person_key
    from contacts
    where account_id is not null

)

select * from people
