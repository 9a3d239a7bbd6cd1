{{ classify_raw_rows(
    source('hubspot', 'deal_pipeline_stage'), ['stage_id'], deleted_when='_fivetran_deleted'
) }}
