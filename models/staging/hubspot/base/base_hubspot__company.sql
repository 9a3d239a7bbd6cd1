{{ classify_raw_rows(source('hubspot', 'company'), ['id'], deleted_when='is_deleted') }}
