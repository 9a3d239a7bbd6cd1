-- Nothing disappears silently: per raw table, raw = staged + duplicate + deleted + rejected.
select
    source_name,
    table_name,
    raw_rows,
    staged_rows,
    duplicate_rows,
    deleted_rows,
    rejected_rows
from {{ ref('stg_row_reconciliation') }}
where not is_reconciled
