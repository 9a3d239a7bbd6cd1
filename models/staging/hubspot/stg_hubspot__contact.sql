-- A HubSpot contact is the person; it is a lead when it has a lead status (customers' other
-- contacts have none). Ids are text, as the Salesforce ids are.
with source as (

    select * from {{ ref('base_hubspot__contact') }}
    where _row_disposition = 'staged'

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as contact_id,
        cast(property_hubspot_owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(property_associatedcompanyid as {{ dbt.type_string() }}) as company_id,

        -- strings
        cast(lower(trim(property_email)) as {{ dbt.type_string() }}) as email,
        cast(property_firstname as {{ dbt.type_string() }}) as first_name,
        cast(property_lastname as {{ dbt.type_string() }}) as last_name,
        cast(property_company as {{ dbt.type_string() }}) as company_name,
        cast(property_jobtitle as {{ dbt.type_string() }}) as title,
        cast(trim(property_industry) as {{ dbt.type_string() }}) as industry,
        cast(trim(property_numemployees) as {{ dbt.type_string() }}) as employee_range,
        cast(trim(property_country) as {{ dbt.type_string() }}) as country,
        cast(
            lower(trim(property_lifecyclestage)) as {{ dbt.type_string() }}
        ) as hubspot_lifecycle_stage,
        cast(upper(trim(property_hs_lead_status)) as {{ dbt.type_string() }}) as lead_status,
        cast(
            upper(trim(property_hs_analytics_source)) as {{ dbt.type_string() }}
        ) as analytics_source,
        cast(
            trim(property_disqualification_reason) as {{ dbt.type_string() }}
        ) as disqualification_reason,

        -- booleans
        property_hs_lead_status is not null as is_lead,

        -- timestamps
        cast(property_createdate as {{ dbt.type_timestamp() }}) as created_at,
        cast(property_hs_lifecyclestage_lead_date as {{ dbt.type_timestamp() }}) as became_lead_at,
        cast(
            property_hs_lifecyclestage_marketingqualifiedlead_date as {{ dbt.type_timestamp() }}
        ) as became_mql_at,
        cast(
            property_hs_lifecyclestage_salesqualifiedlead_date as {{ dbt.type_timestamp() }}
        ) as became_sql_at,
        cast(
            property_hs_lifecyclestage_opportunity_date as {{ dbt.type_timestamp() }}
        ) as became_opportunity_at,
        cast(
            property_hs_lifecyclestage_customer_date as {{ dbt.type_timestamp() }}
        ) as became_customer_at

    from source

)

select * from renamed
