{{ classify_raw_rows(source('hubspot', 'engagement_contact'), ['engagement_id', 'contact_id']) }}
