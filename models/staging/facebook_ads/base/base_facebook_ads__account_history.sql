{{ classify_raw_rows(
    source('facebook_ads', 'account_history'), ['id', '_fivetran_synced'],
    reject_when={
        'unknown_currency': 'currency is null or ' ~ known_currency_condition('currency'),
    },
) }}
