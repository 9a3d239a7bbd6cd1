{{ classify_raw_rows(
    source('hubspot', 'contact'), ['id'],
    deleted_when='_fivetran_deleted',
    reject_when={
        'missing_required_value': 'property_createdate is null',
        'future_date': 'property_createdate > ' ~ lifecycle_as_of(),
    },
) }}
