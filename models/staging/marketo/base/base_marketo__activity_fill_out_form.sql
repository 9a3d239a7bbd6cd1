{{ classify_raw_rows(
    source('marketo', 'activity_fill_out_form'), ['id'],
    reject_when={'missing_required_value': 'lead_id is null or activity_date is null'},
) }}
