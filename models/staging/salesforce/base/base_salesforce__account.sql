{{ classify_raw_rows(source('salesforce', 'account'), ['id'], deleted_when='is_deleted') }}
