-- The CRM's accounts (var `crm`) in one shape: Salesforce's accounts, or HubSpot's companies
-- (HubSpot's company type picklist as Salesforce's account types).
{% if crm() == 'hubspot' -%}
with companies as (

    select * from {{ ref('stg_hubspot__company') }}

),

accounts as (

    select
        company_id as account_id,
        owner_id,
        company_name as account_name,
        industry,
        country as billing_country,
        case upper(company_type)
            when 'CUSTOMER' then 'Customer'
            when 'FORMER_CUSTOMER' then 'Former Customer'
            when 'PROSPECT' then 'Prospect'
            else company_type
        end as account_type,
        number_of_employees,
        annual_revenue,
        is_target_account as is_abm_target,
        created_at
    from companies

)
{%- else -%}
with accounts as (

    select * from {{ ref('stg_salesforce__account') }}

)
{%- endif %}

select
    account_id,
    owner_id,
    account_name,
    industry,
    billing_country,
    account_type,
    number_of_employees,
    annual_revenue,
    is_abm_target,
    created_at
from accounts
