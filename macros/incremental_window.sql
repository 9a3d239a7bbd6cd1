{#-
    The rows an incremental run (re)processes: those landed at most `incremental_lookback_days`
    before the latest landing already in the model (`stamp_in_this`, default the same name),
    so rows that land late with an earlier stamp are still picked up. Rows without a stamp
    always qualify (reprocessing them is harmless: the key replaces them). Empty outside an
    incremental run, so a full build reads everything. Follows a `where`.
-#}
{% macro incremental_window(stamp, stamp_in_this=none) -%}
    {%- if is_incremental() %}
    and ({{ stamp }} is null or {{ stamp }} >= {{ incremental_window_start(stamp_in_this or stamp) }})
    {%- endif %}
{%- endmacro %}


{#- The first landing time an incremental run reprocesses (see incremental_window). -#}
{% macro incremental_window_start(stamp_in_this) -%}
    (
        select
            {{ dbt.dateadd(
                'day',
                -1 * var('incremental_lookback_days'),
                'coalesce(max(' ~ stamp_in_this ~ '), cast(\'1900-01-01\' as '
                ~ dbt.type_timestamp() ~ '))',
            ) }}
        from {{ this }}
    )
{%- endmacro %}
