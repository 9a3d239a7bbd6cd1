{{ classify_raw_rows(source('salesforce', 'user'), ['id'], deleted_when='_fivetran_deleted') }}
