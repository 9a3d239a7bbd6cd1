{{ classify_raw_rows(
    source('salesforce', 'dated_conversion_rate'), ['id'],
    reject_when={'missing_required_value': 'iso_code is null or conversion_rate is null or start_date is null'},
) }}
