{#- Incremental models on local Spark: Parquet tables (the only format a local PySpark has
    without downloading Delta Lake's jars) support neither delete nor merge, so the
    delete+insert models are built as tables, in full, on every run (`dbt build` on Spark is
    a full refresh). An incremental run over an existing table is refused instead of
    appending to it; on a cluster with Delta or Iceberg set `incremental_strategy: merge`
    (docs/portability.md). -#}
{% materialization incremental, adapter='spark' %}
    {%- if is_incremental() -%}
        {{ exceptions.raise_compiler_error(
            "incremental run of " ~ this ~ " on Spark: local Parquet tables support neither "
            ~ "delete+insert nor merge; run `dbt build --full-refresh` (every Spark build is "
            ~ "a full one), or use Delta/Iceberg with incremental_strategy 'merge'") }}
    {%- endif -%}
    {{ return(dbt.materialization_table_spark()) }}
{% endmaterialization %}
