{{ classify_raw_rows(source('salesforce', 'campaign'), ['id'], deleted_when='is_deleted') }}
