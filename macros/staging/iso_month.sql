{#- A month written as text, as 'YYYY-MM': exports write 'YYYY-MM', a date on day 1
    ('YYYY-MM-DD') or 'MM/YYYY'. Null for anything else (a day other than 1 is not a month);
    the month number itself is checked by the caller. -#}
{% macro iso_month(column) -%}
    {%- set digits = "translate(trim(" ~ column ~ "), '0123456789', '0000000000')" -%}
    case
        when {{ digits }} = '0000-00' then trim({{ column }})
        when {{ digits }} = '0000-00-00' and substring(trim({{ column }}), 9, 2) = '01'
            then substring(trim({{ column }}), 1, 7)
        when {{ digits }} = '00/0000'
            then {{ dbt.concat(["substring(trim(" ~ column ~ "), 4, 4)", "'-'",
                                "substring(trim(" ~ column ~ "), 1, 2)"]) }}
    end
{%- endmacro %}
