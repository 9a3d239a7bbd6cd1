{{ classify_raw_rows(
    source('hubspot', 'contact_property_history'), ['contact_id', 'name', 'timestamp'],
    reject_when={
        'orphan_reference': 'contact_id not in (select c.id from '
            ~ source('hubspot', 'contact') ~ ' as c where c.id is not null)',
    },
) }}
