{{ classify_raw_rows(
    source('marketo', 'activity_email_bounced'), ['id'],
    reject_when={'missing_required_value': 'lead_id is null or activity_date is null'},
) }}
