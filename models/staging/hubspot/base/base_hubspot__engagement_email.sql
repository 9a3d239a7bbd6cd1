{{ classify_raw_rows(
    source('hubspot', 'engagement_email'), ['engagement_id'],
    reject_when={
        'orphan_reference': 'engagement_id not in (select e.id from '
            ~ source('hubspot', 'engagement') ~ ' as e where e.id is not null)',
    },
) }}
