{#- fct_attribution's post-hook: an opportunity no longer won (reopened, deleted) loses the
    credits an earlier incremental run gave it. -#}
{% macro delete_unwon_credits() -%}
    {{ return(adapter.dispatch('delete_unwon_credits', 'b2b_kpi')()) }}
{%- endmacro %}

{% macro default__delete_unwon_credits() -%}
    delete from {{ this }} where opportunity_id not in
        (select won.opportunity_id from {{ ref('int_attribution_opportunities') }} as won)
{%- endmacro %}

{#- nothing on Spark: its Parquet tables cannot delete, and Spark builds fct_attribution in full
    every run (macros/spark_incremental.sql), so no credit outlives its opportunity's win -#}
{% macro spark__delete_unwon_credits() -%}
{%- endmacro %}
