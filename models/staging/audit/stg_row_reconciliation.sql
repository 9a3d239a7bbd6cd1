with raw_counts as (

    {% for raw in raw_tables() %}
    select
        '{{ raw.source }}' as source_name,
        '{{ raw.table }}' as table_name,
        count(*) as raw_rows
    from {{ source(raw.source, raw.table) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

staged_counts as (

    {% for raw in raw_tables() %}
    select
        '{{ raw.source }}' as source_name,
        '{{ raw.table }}' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_' ~ raw.source ~ '__' ~ raw.table) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

disposition_counts as (

    {% for raw in raw_tables() %}
    select
        '{{ raw.source }}' as source_name,
        '{{ raw.table }}' as table_name,
        sum(case when _row_disposition = 'duplicate' then 1 else 0 end) as duplicate_rows,
        sum(case when _row_disposition = 'deleted' then 1 else 0 end) as deleted_rows,
        sum(case when _row_disposition = 'rejected' then 1 else 0 end) as rejected_rows
    from {{ ref('base_' ~ raw.source ~ '__' ~ raw.table) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

reconciled as (

    select
        raw_counts.source_name,
        raw_counts.table_name,
        raw_counts.raw_rows,
        staged_counts.staged_rows,
        coalesce(disposition_counts.duplicate_rows, 0) as duplicate_rows,
        coalesce(disposition_counts.deleted_rows, 0) as deleted_rows,
        coalesce(disposition_counts.rejected_rows, 0) as rejected_rows
    from raw_counts
    inner join staged_counts
        on
            raw_counts.source_name = staged_counts.source_name
            and raw_counts.table_name = staged_counts.table_name
    inner join disposition_counts
        on
            raw_counts.source_name = disposition_counts.source_name
            and raw_counts.table_name = disposition_counts.table_name

)

select
    *,
    raw_rows = staged_rows + duplicate_rows + deleted_rows + rejected_rows as is_reconciled
from reconciled
