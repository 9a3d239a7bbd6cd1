{{ classify_raw_rows(
    source('salesforce', 'opportunity_history'), ['id'],
    deleted_when='is_deleted',
    reject_when={
        'missing_required_value': 'opportunity_id is null or created_date is null',
        'orphan_reference': 'opportunity_id not in (select o.id from '
            ~ source('salesforce', 'opportunity') ~ ' as o where o.id is not null)',
    },
) }}
