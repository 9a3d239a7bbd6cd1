{{ classify_raw_rows(
    source('salesforce', 'contract'), ['id'],
    deleted_when='is_deleted',
    reject_when=contract_reject_when(
        ['start_date'], 'annual_value_c', 'currency_iso_code', 'start_date', 'end_date'),
) }}
