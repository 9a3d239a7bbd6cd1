{#- One union of per-table counts, summed by table: joining three unions instead makes
    PostgreSQL re-run them in a nested loop (estimated one row each). -#}
with table_counts as (

    {% for raw in raw_tables() %}
    select
        '{{ raw.source }}' as source_name,
        '{{ raw.table }}' as table_name,
        count(*) as raw_rows,
        0 as staged_rows,
        0 as duplicate_rows,
        0 as deleted_rows,
        0 as rejected_rows
    from {{ source(raw.source, raw.table) }}
    union all
    select
        '{{ raw.source }}' as source_name,
        '{{ raw.table }}' as table_name,
        0 as raw_rows,
        count(*) as staged_rows,
        0 as duplicate_rows,
        0 as deleted_rows,
        0 as rejected_rows
    from {{ ref('stg_' ~ raw.source ~ '__' ~ raw.table) }}
    union all
    select
        '{{ raw.source }}' as source_name,
        '{{ raw.table }}' as table_name,
        0 as raw_rows,
        0 as staged_rows,
        sum(case when _row_disposition = 'duplicate' then 1 else 0 end) as duplicate_rows,
        sum(case when _row_disposition = 'deleted' then 1 else 0 end) as deleted_rows,
        sum(case when _row_disposition = 'rejected' then 1 else 0 end) as rejected_rows
    from {{ ref('base_' ~ raw.source ~ '__' ~ raw.table) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

reconciled as (

    select
        source_name,
        table_name,
        cast(sum(raw_rows) as {{ dbt.type_bigint() }}) as raw_rows,
        cast(sum(staged_rows) as {{ dbt.type_bigint() }}) as staged_rows,
        cast(coalesce(sum(duplicate_rows), 0) as {{ dbt.type_bigint() }}) as duplicate_rows,
        cast(coalesce(sum(deleted_rows), 0) as {{ dbt.type_bigint() }}) as deleted_rows,
        cast(coalesce(sum(rejected_rows), 0) as {{ dbt.type_bigint() }}) as rejected_rows
    from table_counts
    group by source_name, table_name

),

shares as (

    select
        *,
        raw_rows = staged_rows + duplicate_rows + deleted_rows + rejected_rows as is_reconciled,
        -- duplicates and soft deletes are normal; a rejected row is a record staging lost
        {{ safe_divide('rejected_rows', 'staged_rows + rejected_rows') }} as rejected_share
    from reconciled

)

select
    *,
    -- the one place the thresholds apply: the assert_rejected_share test and the run summary
    case
        when rejected_share > {{ var('rejected_share_error') }} then 'error'
        when rejected_share > {{ var('rejected_share_warn') }} then 'warn'
    end as rejected_share_level
from shares
