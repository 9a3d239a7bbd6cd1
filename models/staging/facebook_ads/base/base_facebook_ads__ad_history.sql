{{ classify_raw_rows(source('facebook_ads', 'ad_history'), ['id', 'updated_time']) }}
