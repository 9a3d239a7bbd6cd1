{#- A CSV export without a sync column: repeated contract ids are exact copies, so the version
    order only needs to be deterministic (the row's values). -#}
{{ classify_raw_rows(
    source('billing', 'contracts'), ['contract_id'],
    version_order='annual_value, status',
    reject_when={
        'missing_required_value': 'hubspot_company_id is null or start_date is null',
        'unknown_currency': known_currency_condition('currency'),
        'invalid_value': 'annual_value < 0',
        'no_conversion_rate': no_conversion_rate_condition('annual_value', 'currency', 'start_date'),
        'invalid_date_range': 'end_date < start_date',
    },
) }}
