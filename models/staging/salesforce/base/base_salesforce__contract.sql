{{ classify_raw_rows(
    source('salesforce', 'contract'), ['id'],
    deleted_when='is_deleted',
    reject_when={
        'unknown_currency': known_currency_condition('currency_iso_code'),
        'invalid_value': 'annual_value_c < 0',
        'invalid_date_range': 'end_date < start_date',
    },
) }}
