{{ classify_raw_rows(
    source('linkedin_ads', 'account_history'), ['id', 'last_modified_time'],
    reject_when={
        'unknown_currency': 'currency is null or ' ~ known_currency_condition('currency'),
    },
) }}
