{{ classify_raw_rows(
    source('hubspot', 'deal_contact'), ['deal_id', 'contact_id', 'type_id', 'category']
) }}
