{#- The earlier of two timestamps, ignoring nulls (least() treats nulls differently per
    adapter). -#}
{% macro earliest(first, second) -%}
    case when {{ second }} is null or {{ first }} <= {{ second }} then coalesce({{ first }}, {{ second }}) else {{ second }} end
{%- endmacro %}
