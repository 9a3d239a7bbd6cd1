{{ classify_raw_rows(source('salesforce', 'task'), ['id'], deleted_when='is_deleted') }}
