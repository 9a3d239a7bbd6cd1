{{ classify_raw_rows(
    source('google_ads', 'campaign_stats'),
    ['customer_id', 'date', 'id', 'ad_network_type', 'device'],
    reject_when={'invalid_value': 'cost_micros < 0'},
) }}
