{#- The reject rules of a contract, whichever system holds it (Salesforce's contract, the
    billing export): classify_raw_rows' reject_when over its raw columns. -#}
{% macro contract_reject_when(required_columns, value_column, currency_column, start_column,
                              end_column) -%}
    {%- set missing = [] -%}
    {%- for column in required_columns -%}
        {%- do missing.append(column ~ ' is null') -%}
    {%- endfor -%}
    {{- return({
        'missing_required_value': missing | join(' or '),
        'unknown_currency': known_currency_condition(currency_column),
        'invalid_value': value_column ~ ' < 0',
        'no_conversion_rate': no_conversion_rate_condition(value_column, currency_column, start_column),
        'invalid_date_range': end_column ~ ' < ' ~ start_column,
    }) -}}
{%- endmacro %}
