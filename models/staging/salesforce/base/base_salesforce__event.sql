{{ classify_raw_rows(source('salesforce', 'event'), ['id'], deleted_when='is_deleted') }}
