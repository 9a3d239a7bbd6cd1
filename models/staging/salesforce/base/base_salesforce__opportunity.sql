{{ classify_raw_rows(
    source('salesforce', 'opportunity'), ['id'],
    deleted_when='is_deleted',
    reject_when={
        'missing_required_value': 'created_date is null',
        'unknown_currency': known_currency_condition('currency_iso_code'),
    },
) }}
