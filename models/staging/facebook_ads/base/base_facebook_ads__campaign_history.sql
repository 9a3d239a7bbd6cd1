{{ classify_raw_rows(source('facebook_ads', 'campaign_history'), ['id', 'updated_time']) }}
