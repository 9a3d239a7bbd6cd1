{{ classify_raw_rows(source('google_ads', 'campaign_history'), ['id', 'updated_at']) }}
