{{ classify_raw_rows(source('salesforce', 'campaign_member'), ['id'], deleted_when='is_deleted') }}
