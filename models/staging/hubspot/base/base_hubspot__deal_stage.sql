{{ classify_raw_rows(
    source('hubspot', 'deal_stage'), ['deal_id', '_fivetran_start'],
    reject_when={
        'missing_required_value': 'value is null',
        'orphan_reference': 'deal_id not in (select d.deal_id from '
            ~ source('hubspot', 'deal') ~ ' as d where d.deal_id is not null)',
    },
) }}
