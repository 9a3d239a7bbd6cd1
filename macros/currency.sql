{#- The CRM's dated exchange rates (var `crm`) as (currency_code, conversion_rate, valid_from,
    valid_to): Salesforce's dated_conversion_rate, or HubSpot's currency_exchange_rate. -#}
{% macro conversion_rates() -%}
    {%- if crm() == 'hubspot' -%}
        {{- return(ref('stg_hubspot__currency_exchange_rate')) -}}
    {%- endif -%}
    {{- return(ref('stg_salesforce__dated_conversion_rate')) -}}
{%- endmacro %}

{#- Money in the reporting currency (var `reporting_currency`), with the
    conversion_rates() period that holds on the transaction date.
    Rates are units per 1 unit of the corporate currency, so
    amount / rate(from) * rate(reporting) works whatever the corporate currency is.

    Use both macros together:
        from converted_rows
        {{ join_conversion_rates('converted_rows.currency_code', 'converted_rows.close_date', 'fx') }}
    and select {{ to_reporting_currency('converted_rows.amount', 'fx') }}. -#}
{% macro join_conversion_rates(currency_column, date_column, alias) -%}
    {%- set rates = conversion_rates() -%}
    left join {{ rates }} as {{ alias }}_from
        on upper({{ currency_column }}) = {{ alias }}_from.currency_code
        and {{ date_column }} >= {{ alias }}_from.valid_from
        and {{ date_column }} < {{ alias }}_from.valid_to
    left join {{ rates }} as {{ alias }}_to
        on {{ alias }}_to.currency_code = '{{ var("reporting_currency") }}'
        and {{ date_column }} >= {{ alias }}_to.valid_from
        and {{ date_column }} < {{ alias }}_to.valid_to
{%- endmacro %}

{% macro to_reporting_currency(amount, alias) -%}
    (cast({{ amount }} as {{ type_double() }}) / {{ alias }}_from.conversion_rate * {{ alias }}_to.conversion_rate)
{%- endmacro %}

{#- Reject condition for an amount that join_conversion_rates would leave unconverted: no
    rate period of its currency (or a NULL currency), or of the reporting currency, holds on
    its date (or the date is NULL). Without it the amount would reach the marts as NULL. -#}
{% macro no_conversion_rate_condition(amount_column, currency_column, date_column) -%}
    {%- set rates = conversion_rates() -%}
    {{ amount_column }} is not null and (
        {%- for currency in [currency_column, "'" ~ var('reporting_currency') ~ "'"] %}
        not exists (
            select 1 from {{ rates }} as r
            where r.currency_code = upper({{ currency }})
                and {{ date_column }} >= r.valid_from
                and {{ date_column }} < r.valid_to
        ){% if not loop.last %} or{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
