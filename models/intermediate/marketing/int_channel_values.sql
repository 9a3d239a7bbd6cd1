-- Every raw value a channel is derived from, per source field, with its rows and the channel
-- the channel_mapping seed gives it: the list to complete the seed from (a value it does not
-- list is warned by name by the `warn_unmapped_channel_values` test).
with leads as (

    select * from {{ ref('int_crm_leads') }}

),

campaigns as (

    select * from {{ ref('stg_salesforce__campaign') }}

),

ad_spend as (

    select * from {{ ref('int_ad_spend_daily') }}

),

{% if var('finance_enabled') -%}
finance_costs as (

    select * from {{ ref('stg_finance__marketing_sales_costs') }}

),

{% endif -%}
{% if var('segment_enabled') -%}
sessions as (

    select * from {{ ref('int_web_sessions') }}

),

{% endif -%}
observed as (

    select
        'lead_source' as source_field,
        lead_source as source_value,
        count(*) as row_count
    from leads
    where lead_source is not null
    group by lead_source
    union all
    select
        'campaign_type' as source_field,
        campaign_type as source_value,
        count(*) as row_count
    from campaigns
    where campaign_type is not null
    group by campaign_type
    union all
    select
        'ad_platform' as source_field,
        platform as source_value,
        count(*) as row_count
    from ad_spend
    group by platform
    {%- if var('finance_enabled') %}
    union all
    select
        'finance_channel' as source_field,
        channel as source_value,
        count(*) as row_count
    from finance_costs
    where channel is not null
    group by channel
    {%- endif %}
    {%- if var('segment_enabled') %}
    union all
    select
        channel_source as source_field,
        channel_source_value as source_value,
        count(*) as row_count
    from sessions
    where channel_source_value is not null
    group by channel_source, channel_source_value
    {%- endif %}

),

mapped as (

    select
        observed.*,
        {{ map_channel('observed.source_field', 'observed.source_value',
                       when_missing='null', when_unmapped='null') }} as channel
    from observed

)

select
    cast(source_field as {{ dbt.type_string() }}) as source_field,
    cast(source_value as {{ dbt.type_string() }}) as source_value,
    cast(row_count as {{ dbt.type_bigint() }}) as row_count,
    cast(channel as {{ dbt.type_string() }}) as channel,
    channel is not null as is_mapped
from mapped
