{{ classify_raw_rows(
    source('hubspot', 'deal_pipeline'), ['pipeline_id'], deleted_when='_fivetran_deleted'
) }}
