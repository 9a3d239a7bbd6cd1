{#- Spark spells two of the types the project declares (seed column types, mart contracts)
    differently and has no bare varchar: the portable spellings are translated here, so the
    YAML keeps one set of types for every adapter. -#}
{% macro spark_type(type) -%}
    {%- set spelling = type | trim | lower -%}
    {%- if spelling in ('varchar', 'text', 'character varying') -%}
        {{ return('string') }}
    {%- elif spelling == 'double precision' -%}
        {{ return('double') }}
    {%- endif -%}
    {{ return(type) }}
{%- endmacro %}


{#- dbt's cast, used for the contracts' empty schema query -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}


{#- The seed as dbt-spark's seed macros see it: its column types in Spark's spelling. -#}
{% macro spark_seed_model(model) -%}
    {%- set column_types = {} -%}
    {%- for column, type in model['config'].get('column_types', {}).items() -%}
        {%- do column_types.update({column: spark_type(type)}) -%}
    {%- endfor -%}
    {%- set config = {} -%}
    {%- do config.update(model['config']) -%}
    {%- do config.update({'column_types': column_types}) -%}
    {%- set translated = {} -%}
    {%- do translated.update(model) -%}
    {%- do translated.update({'config': config}) -%}
    {{ return(translated) }}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {{ return(dbt.spark__create_csv_table(spark_seed_model(model), agate_table)) }}
{%- endmacro %}

{#- dbt-spark's session method pastes seed values into the insert unescaped (an apostrophe, as
    in "the lead's disqualification reason", breaks it), so the values are written here as
    escaped literals instead of bindings. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = spark_seed_model(model)['config']['column_types'] -%}
    {%- set types = [] -%}
    {%- for column in agate_table.column_names -%}
        {%- do types.append(column_types.get(column, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    {%- if value is none -%}
                        cast(null as {{ types[loop.index0] }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ types[loop.index0] }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
            ){%- if not loop.last %},{% endif -%}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}
