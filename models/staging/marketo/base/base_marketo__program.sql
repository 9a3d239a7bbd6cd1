{{ classify_raw_rows(source('marketo', 'program'), ['id'], deleted_when='_fivetran_deleted') }}
