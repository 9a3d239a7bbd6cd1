{#- A CSV export without a sync column: repeated contract ids are exact copies, so the version
    order only needs to be deterministic (the row's values). -#}
{{ classify_raw_rows(
    source('billing', 'contracts'), ['contract_id'],
    version_order='annual_value, status',
    reject_when=contract_reject_when(
        ['hubspot_company_id', 'start_date'], 'annual_value', 'currency', 'start_date',
        'end_date'),
) }}
