{#- The catalogue's rule: a ratio whose denominator is 0 or null is null, never 0 or an error. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ type_double() }}) / nullif(cast({{ denominator }} as {{ type_double() }}), 0))
{%- endmacro %}

