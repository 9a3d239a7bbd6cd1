with rejected_rows as (

    {% for raw in raw_tables() %}
    select
        '{{ raw.source }}' as source_name,
        '{{ raw.table }}' as table_name,
        coalesce(_record_key, '(missing key)') as record_id,
        _reject_reason as reject_reason
    from {{ ref('base_' ~ raw.source ~ '__' ~ raw.table) }}
    where _row_disposition = 'rejected'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    source_name,
    table_name,
    record_id,
    reject_reason,
    -- several raw rows of one record can be rejected (re-synced versions)
    row_number() over (
        partition by source_name, table_name, record_id
        order by reject_reason
    ) as occurrence
from rejected_rows
