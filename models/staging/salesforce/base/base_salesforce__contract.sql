{{ classify_raw_rows(
    source('salesforce', 'contract'), ['id'],
    deleted_when='is_deleted',
    reject_when={
        'missing_required_value': 'start_date is null',
        'unknown_currency': known_currency_condition('currency_iso_code'),
        'invalid_value': 'annual_value_c < 0',
        'no_conversion_rate': no_conversion_rate_condition(
            'annual_value_c', 'currency_iso_code', 'start_date'),
        'invalid_date_range': 'end_date < start_date',
    },
) }}
