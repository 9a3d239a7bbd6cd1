{{ classify_raw_rows(
    source('salesforce', 'opportunity'), ['id'],
    deleted_when='is_deleted',
    reject_when={
        'missing_required_value': 'created_date is null',
        'unknown_currency': known_currency_condition('currency_iso_code'),
        'invalid_value': 'amount < 0',
        'no_conversion_rate': no_conversion_rate_condition('amount', 'currency_iso_code', 'close_date'),
        'won_without_amount': 'is_won and amount is null',
        'future_date': 'created_date > ' ~ lifecycle_as_of(),
        'orphan_reference': 'account_id not in (select a.id from '
            ~ source('salesforce', 'account') ~ ' as a where a.id is not null)',
    },
) }}
