{{ classify_raw_rows(source('marketo', 'campaign'), ['id'], deleted_when='_fivetran_deleted') }}
