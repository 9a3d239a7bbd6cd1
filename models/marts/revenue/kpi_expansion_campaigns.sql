-- cross_sell_upsell_campaign_success: customers targeted by an expansion campaign who won
-- an expansion (revenue_type) within N days / customers targeted, by month and campaign.
{%- set expansion_type = var('expansion_campaign_type', 'customer marketing') %}
{%- set window_days = var('expansion_campaign_window_days', 90) %}

with campaigns as (

    select * from {{ ref('stg_salesforce__campaign') }}
    where lower(campaign_type) = lower('{{ expansion_type }}')

),

campaign_members as (

    select * from {{ ref('stg_salesforce__campaign_member') }}

),

contacts as (

    select * from {{ ref('int_crm_contacts') }}

),

contracts as (

    select * from {{ ref('int_crm_contracts') }}
    where lower(contract_status) = 'activated'

),

won as (

    select * from {{ ref('int_won_opportunities') }}
    where revenue_type = 'expansion'

),

-- memberships of a contact whose account was a customer on the membership's UTC day;
-- leads are not customers' contacts, so their memberships never count
customer_memberships as (

    select distinct
        campaigns.campaign_id,
        campaigns.campaign_name,
        contacts.account_id,
        campaign_members.created_at
    from campaign_members
    inner join campaigns
        on campaign_members.campaign_id = campaigns.campaign_id
    inner join contacts
        on campaign_members.contact_id = contacts.contact_id
    inner join contracts
        on
            contacts.account_id = contracts.account_id
            and cast(campaign_members.created_at as date)
            between contracts.start_date and contracts.end_date

),

-- an account is targeted once per campaign, from its first membership
targeted as (

    select
        campaign_id,
        campaign_name,
        account_id,
        min(created_at) as targeted_at
    from customer_memberships
    group by campaign_id, campaign_name, account_id

),

expanded as (

    select distinct
        targeted.campaign_id,
        targeted.account_id
    from targeted
    inner join won
        on
            targeted.account_id = won.account_id
            and targeted.targeted_at <= won.won_at
            and {{ dbt.dateadd('day', window_days, 'targeted.targeted_at') }} >= won.won_at

),

target_rows as (

    select
        {{ month_of('targeted.targeted_at') }} as period_start,
        targeted.campaign_name,
        case when expanded.account_id is not null then 1 else 0 end as is_expanded
    from targeted
    left join expanded
        on
            targeted.campaign_id = expanded.campaign_id
            and targeted.account_id = expanded.account_id

),

dimensioned as (

    {{ by_dimensions('target_rows', {'all': "'all'", 'campaign': 'campaign_name'}) }}

),

counts as (

    select
        period_start,
        dimension_name,
        dimension_value,
        sum(is_expanded) as expanded_customers,
        count(*) as targeted_customers
    from dimensioned
    group by period_start, dimension_name, dimension_value

),

kpi_rows as (

    {{ kpi_ratio_rows('cross_sell_upsell_campaign_success', 'counts', 'expanded_customers',
                      'targeted_customers', period_grain='month') }}

)

select
    kpi_id,
    period_grain,
    period_start,
    dimension_name,
    dimension_value,
    value,
    numerator,
    denominator,
    unit
from kpi_rows
