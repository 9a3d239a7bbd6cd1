{{ classify_raw_rows(source('salesforce', 'contact'), ['id'], deleted_when='is_deleted') }}
