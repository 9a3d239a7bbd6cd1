{{ classify_raw_rows(
    source('linkedin_ads', 'ad_analytics_by_campaign'), ['campaign_id', 'day'],
    reject_when={'invalid_value': 'cost_in_local_currency < 0 or cost_in_usd < 0'},
) }}
