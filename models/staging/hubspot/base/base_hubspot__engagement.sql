{{ classify_raw_rows(
    source('hubspot', 'engagement'), ['id'],
    deleted_when='not coalesce(active, true)',
    reject_when={'missing_required_value': 'type is null or timestamp is null'},
) }}
