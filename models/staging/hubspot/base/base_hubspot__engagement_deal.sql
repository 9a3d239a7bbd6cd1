{{ classify_raw_rows(source('hubspot', 'engagement_deal'), ['engagement_id', 'deal_id']) }}
