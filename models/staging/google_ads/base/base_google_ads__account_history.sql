{{ classify_raw_rows(
    source('google_ads', 'account_history'), ['id', 'updated_at'],
    reject_when={
        'unknown_currency': 'currency_code is null or '
            ~ known_currency_condition('currency_code'),
    },
) }}
