-- MetricFlow's time spine: one row per UTC day between the vars time_spine_start
-- (included) and time_spine_end (excluded). dbt's cross-database date_spine, so the same
-- model builds on DuckDB and PostgreSQL.
with days as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('time_spine_start') ~ "' as date)",
        "cast('" ~ var('time_spine_end') ~ "' as date)"
    ) }}

)

select cast(date_day as date) as date_day
from days
