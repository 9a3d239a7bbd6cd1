with leads as (

    select * from {{ ref('int_leads_enriched') }}

),

opportunities as (

    select * from {{ ref('int_crm_opportunities') }}

),

campaign_members as (

    select * from {{ ref('stg_salesforce__campaign_member') }}

),

stage_entries as (

    select * from {{ ref('int_lead_stage_entries') }}

),

churn_dates as (

    select * from {{ ref('int_account_churn_dates') }}

),

owner_spells as (

    select * from {{ ref('int_lead_owner_spells') }}

),

first_entries as (

    select
        lead_id,
        min(case when lifecycle_stage = 'mql' then entered_at end) as first_mql_at,
        min(case when lifecycle_stage = 'sql' then entered_at end) as first_sql_at,
        min(case when lifecycle_stage = 'opportunity' then entered_at end) as first_opportunity_at,
        min(case when lifecycle_stage = 'customer' then entered_at end) as customer_at,
        min(case when lifecycle_stage = 'lost' then entered_at end) as lost_at,
        min(case when lifecycle_stage = 'disqualified' then entered_at end) as disqualified_at,
        max(entry_number) as last_entry_number
    from stage_entries
    group by lead_id

),

current_stages as (

    select
        stage_entries.lead_id,
        stage_entries.lifecycle_stage as current_stage
    from stage_entries
    inner join first_entries
        on
            stage_entries.lead_id = first_entries.lead_id
            and stage_entries.entry_number = first_entries.last_entry_number

),

first_campaigns as (

    select
        lead_id,
        campaign_id,
        row_number() over (
            partition by lead_id order by created_at, campaign_member_id
        ) as membership_number
    from campaign_members
    where lead_id is not null

),

-- a skipped stage counts as reached when the next reached stage was (the catalogue's
-- rule), so each stage is filled from the one after it
filled_opportunity as (

    select
        *,
        {{ earliest('first_opportunity_at', earliest('customer_at', 'lost_at')) }}
            as opportunity_at
    from first_entries

),

filled_sql as (

    select
        *,
        {{ earliest('first_sql_at', 'opportunity_at') }} as sql_at
    from filled_opportunity

),

filled as (

    select
        *,
        {{ earliest('first_mql_at', 'sql_at') }} as mql_at
    from filled_sql

),

mql_rejections as (

    -- a rejection by sales counts against the MQL only when it came after it
    select
        filled.lead_id,
        min(stage_entries.entered_at) as mql_rejected_at
    from filled
    inner join stage_entries
        on filled.lead_id = stage_entries.lead_id
    where
        stage_entries.lifecycle_stage = 'disqualified'
        and stage_entries.entered_at >= filled.mql_at
    group by filled.lead_id

),

churns as (

    -- the first time the won account stopped being a customer after the win
    select
        filled.lead_id,
        cast(min(churn_dates.churned_on) as {{ dbt.type_timestamp() }}) as churned_at
    from filled
    inner join leads
        on filled.lead_id = leads.lead_id
    inner join churn_dates
        on
            leads.account_id = churn_dates.account_id
            and churn_dates.churned_on > cast(filled.customer_at as date)
    group by filled.lead_id

),

lifecycle as (

    select
        -- ids
        leads.lead_id,
        {{ dbt.hash('leads.email') }} as email_hash,
        leads.account_id,
        leads.opportunity_id,
        leads.owner_id,
        lead_owners.owner_id as lead_owner_id,
        mql_owners.owner_id as mql_owner_id,
        sql_owners.owner_id as sql_owner_id,
        opportunities.owner_id as opportunity_owner_id,
        first_campaigns.campaign_id,

        -- attribution and segment
        leads.lead_source,
        leads.channel,
        leads.industry,
        leads.number_of_employees,
        leads.company_size_band,
        leads.country,
        leads.is_abm_target,

        -- stage timestamps (UTC)
        leads.first_visit_at as visitor_at,
        leads.created_at as lead_at,
        filled.mql_at,
        filled.sql_at,
        filled.opportunity_at,
        filled.customer_at,
        filled.lost_at,
        churns.churned_at,
        filled.disqualified_at,
        mql_rejections.mql_rejected_at,

        -- state
        current_stages.current_stage,
        leads.disqualification_reason,
        opportunities.amount_in_reporting_currency as opportunity_amount_in_reporting_currency,

        -- durations in fractional days
        {{ days_between('leads.created_at', 'filled.mql_at') }} as lead_to_mql_days,
        {{ days_between('filled.mql_at', 'filled.sql_at') }} as mql_to_sql_days,
        {{ days_between('filled.sql_at', 'filled.opportunity_at') }} as sql_to_opportunity_days,
        {{ days_between('filled.opportunity_at', 'coalesce(filled.customer_at, filled.lost_at)') }}
            as sales_cycle_days,
        {{ days_between('leads.created_at', 'filled.customer_at') }} as lead_to_close_days

    from leads
    inner join filled
        on leads.lead_id = filled.lead_id
    inner join current_stages
        on leads.lead_id = current_stages.lead_id
    left join mql_rejections
        on leads.lead_id = mql_rejections.lead_id
    left join churns
        on leads.lead_id = churns.lead_id
    left join opportunities
        on leads.opportunity_id = opportunities.opportunity_id
    left join first_campaigns
        on leads.lead_id = first_campaigns.lead_id and first_campaigns.membership_number = 1
    -- the owner when the lead entered each stage (the rep of the stage's cohort)
    left join owner_spells as lead_owners
        on
            leads.lead_id = lead_owners.lead_id
            and (leads.created_at >= lead_owners.valid_from or lead_owners.valid_from is null)
            and (leads.created_at < lead_owners.valid_to or lead_owners.valid_to is null)
    left join owner_spells as mql_owners
        on
            leads.lead_id = mql_owners.lead_id
            and filled.mql_at is not null
            and (filled.mql_at >= mql_owners.valid_from or mql_owners.valid_from is null)
            and (filled.mql_at < mql_owners.valid_to or mql_owners.valid_to is null)
    left join owner_spells as sql_owners
        on
            leads.lead_id = sql_owners.lead_id
            and filled.sql_at is not null
            and (filled.sql_at >= sql_owners.valid_from or sql_owners.valid_from is null)
            and (filled.sql_at < sql_owners.valid_to or sql_owners.valid_to is null)

)

select * from lifecycle
