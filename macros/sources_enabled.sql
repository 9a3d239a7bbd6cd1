{#- True when every named optional source is switched on (`<source>_enabled`, default true). -#}
{% macro sources_enabled(source_names) -%}
    {%- for source_name in source_names -%}
        {%- if not var(source_name ~ '_enabled', true) -%}
            {{- return(false) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(true) -}}
{%- endmacro %}
