{{ classify_raw_rows(
    source('facebook_ads', 'basic_ad'), ['ad_id', 'date'],
    reject_when={'invalid_value': 'spend < 0'},
) }}
