{#- A table that staging rejects too much of: a warning above `rejected_share_warn`, an error
    above `rejected_share_error` (the level is set in stg_row_reconciliation). fail_calc
    turns the worst level into 1 (warn) or 2 (error). -#}
{{ config(
    fail_calc="coalesce(max(case when rejected_share_level = 'error' then 2 else 1 end), 0)",
    warn_if='>= 1',
    error_if='>= 2',
) }}

select
    source_name,
    table_name,
    staged_rows,
    rejected_rows,
    rejected_share,
    rejected_share_level
from {{ ref('stg_row_reconciliation') }}
where rejected_share_level is not null
