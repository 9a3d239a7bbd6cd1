{{ classify_raw_rows(
    source('salesforce', 'lead'), ['id'],
    deleted_when='is_deleted',
    reject_when={
        'missing_required_value': 'created_date is null',
        'future_date': 'created_date > ' ~ lifecycle_as_of(),
    },
) }}
