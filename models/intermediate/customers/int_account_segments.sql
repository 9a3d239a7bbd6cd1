-- The segment of each account for the customer KPIs: industry, company size band (seed
-- company_size_bands), country and ABM target flag, as the CRM holds them now.
with accounts as (

    select * from {{ ref('int_crm_accounts') }}

),

size_bands as (

    select * from {{ ref('company_size_bands') }}

),

segmented as (

    select
        accounts.account_id,
        accounts.industry,
        size_bands.company_size_band,
        accounts.billing_country as country,
        case when accounts.is_abm_target then 'target' else 'non_target' end as abm_target
    from accounts
    left join size_bands
        on
            accounts.number_of_employees
            between size_bands.min_employees and size_bands.max_employees

)

select
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(industry as {{ dbt.type_string() }}) as industry,
    cast(company_size_band as {{ dbt.type_string() }}) as company_size_band,
    cast(country as {{ dbt.type_string() }}) as country,
    cast(abm_target as {{ dbt.type_string() }}) as abm_target
from segmented
