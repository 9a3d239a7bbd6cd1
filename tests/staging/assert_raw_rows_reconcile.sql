-- Nothing disappears silently: per raw table, raw = staged + duplicate + deleted + rejected.
select *
from {{ ref('stg_row_reconciliation') }}
where not is_reconciled
