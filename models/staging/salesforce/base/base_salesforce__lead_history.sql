{{ classify_raw_rows(
    source('salesforce', 'lead_history'), ['id'],
    deleted_when='is_deleted',
    reject_when={
        'missing_required_value': 'lead_id is null or created_date is null',
        'orphan_reference': 'lead_id not in (select l.id from '
            ~ source('salesforce', 'lead') ~ ' as l where l.id is not null)',
        'before_record_creation': 'created_date < (select min(l.created_date) from '
            ~ source('salesforce', 'lead') ~ ' as l where l.id = lead_id)',
    },
) }}
