{{ classify_raw_rows(source('linkedin_ads', 'campaign_history'), ['id', 'last_modified_time']) }}
