{{ classify_raw_rows(
    source('hubspot', 'deal'), ['deal_id'],
    deleted_when='is_deleted',
    reject_when={
        'missing_required_value': 'property_createdate is null',
        'invalid_value': 'property_amount < 0',
    },
) }}
