{{ classify_raw_rows(source('hubspot', 'owner'), ['owner_id'], deleted_when='_fivetran_deleted') }}
