-- The contracts of the CRM's accounts (var `crm`) in one shape: Salesforce's contracts, or,
-- HubSpot having no contract object, the billing system's (its statuses as Salesforce's).
{% if crm() == 'hubspot' -%}
with billing_contracts as (

    select * from {{ ref('stg_billing__contracts') }}

),

contracts as (

    select
        contract_id,
        company_id as account_id,
        case contract_status
            when 'active' then 'Activated'
            when 'draft' then 'Draft'
            when 'expired' then 'Expired'
            when 'cancelled' then 'Terminated'
            else contract_status
        end as contract_status,
        currency_code,
        contract_term_months,
        annual_value,
        start_date,
        end_date,
        reporting_currency_code,
        annual_value_in_reporting_currency
    from billing_contracts

)
{%- else -%}
with contracts as (

    select * from {{ ref('stg_salesforce__contract') }}

)
{%- endif %}

select
    contract_id,
    account_id,
    contract_status,
    currency_code,
    contract_term_months,
    annual_value,
    start_date,
    end_date,
    reporting_currency_code,
    annual_value_in_reporting_currency
from contracts
