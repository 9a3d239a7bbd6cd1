{{ classify_raw_rows(
    source('hubspot', 'currency_exchange_rate'), ['id'],
    reject_when={'missing_required_value': 'from_currency_code is null or to_currency_code is null or conversion_rate is null or effective_at is null'},
) }}
