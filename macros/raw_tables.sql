{#- Every raw table of the contract that has an audit (base_) model, by source: the
    rejects and reconciliation models union over them. Sources switched off with
    `<source>_enabled: false` drop out; HubSpot's and the billing export's are in with `crm: hubspot`. -#}
{% macro raw_tables() -%}
    {%- set tables_by_source = {
        'salesforce': ['account', 'contact', 'lead', 'lead_history', 'opportunity', 'opportunity_history', 'contract', 'campaign', 'campaign_member', 'task', 'event', 'user', 'dated_conversion_rate'],
        'billing': ['contracts'],
        'hubspot': ['contact', 'contact_property_history', 'company', 'deal', 'deal_stage', 'deal_pipeline', 'deal_pipeline_stage', 'deal_company', 'deal_contact', 'engagement', 'engagement_call', 'engagement_email', 'engagement_meeting', 'engagement_contact', 'engagement_deal', 'owner', 'currency_exchange_rate'],
        'marketo': ['lead', 'program', 'campaign', 'activity_send_email', 'activity_email_delivered', 'activity_open_email', 'activity_email_bounced', 'activity_unsubscribe_email', 'activity_click_email', 'activity_fill_out_form', 'activity_change_score'],
        'segment': ['pages', 'identifies', 'tracks'],
        'google_ads': ['campaign_stats', 'campaign_history', 'account_history'],
        'linkedin_ads': ['ad_analytics_by_campaign', 'campaign_history', 'account_history'],
        'facebook_ads': ['basic_ad', 'ad_history', 'campaign_history', 'account_history'],
        'social': ['page_daily_stats'],
        'finance': ['marketing_sales_costs'],
        'surveys': ['enps_responses'],
    } -%}
    {%- set enabled = [] -%}
    {%- for source_name, table_names in tables_by_source.items() -%}
        {%- if source_name in ['hubspot', 'billing'] -%}
            {%- set included = var('crm', 'salesforce') == 'hubspot' -%}
        {%- else -%}
            {%- set included = source_name == 'salesforce' or var(source_name ~ '_enabled', true) -%}
        {%- endif -%}
        {%- if included -%}
            {%- for table_name in table_names -%}
                {%- do enabled.append({'source': source_name, 'table': table_name}) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(enabled) -}}
{%- endmacro %}
