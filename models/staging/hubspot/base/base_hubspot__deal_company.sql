{{ classify_raw_rows(
    source('hubspot', 'deal_company'), ['deal_id', 'company_id', 'type_id', 'category']
) }}
