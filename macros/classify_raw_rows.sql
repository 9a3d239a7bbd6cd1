{#-
    The audit layer under every staging model: each raw row with the disposition that
    staging gives it, so that raw rows = staged + duplicate + deleted + rejected holds per
    table and nothing disappears silently.

    - rejected:  a row staging cannot use; `_reject_reason` says why (first rule that matches)
    - duplicate: an older or repeated version of a key that has a newer row (re-syncs)
    - deleted:   the key's latest version is soft-deleted in the source
    - staged:    everything else; the staging model selects exactly these

    key_columns:   the columns that identify a record (raw names)
    version_order: expression ordering versions of a key, newest first after `desc`
    deleted_when:  boolean expression for a soft-deleted row
    reject_when:   {reason: condition}, checked in order after a missing key
-#}
{% macro classify_raw_rows(relation, key_columns, version_order='_fivetran_synced',
                           deleted_when='false', reject_when={}) -%}
with source_rows as (

    select * from {{ relation }}

),

validated as (

    select
        *,
        {{ record_key(key_columns) }} as _record_key,
        case
            when {% for column in key_columns -%}
                {{ column }} is null{% if not loop.last %} or {% endif %}
            {%- endfor %} then 'missing_key'
            {%- for reason, condition in reject_when.items() %}
            when {{ condition }} then '{{ reason }}'
            {%- endfor %}
        end as _reject_reason
    from source_rows

)

select
    *,
    case
        when _reject_reason is not null then 'rejected'
        when row_number() over (
            partition by _record_key, _reject_reason is null
            order by {{ version_order }} desc nulls last
        ) > 1 then 'duplicate'
        when {{ deleted_when }} then 'deleted'
        else 'staged'
    end as _row_disposition
from validated
{%- endmacro %}


{#- A readable identifier of a record: the key, or its parts joined by '|'. -#}
{% macro record_key(key_columns) -%}
    {%- set parts = [] -%}
    {%- for column in key_columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {%- if parts | length == 1 -%}
        cast({{ key_columns[0] }} as {{ dbt.type_string() }})
    {%- else -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}


{#- Reject condition for a currency that the CRM's raw exchange rates (conversion_rates())
    cannot convert: no rate row names it. -#}
{% macro known_currency_condition(currency_column) -%}
    {%- if crm() == 'hubspot' -%}
    upper({{ currency_column }}) not in (
        select upper(r.from_currency_code) from {{ source('hubspot', 'currency_exchange_rate') }} as r
        where r.from_currency_code is not null
        union
        select upper(r.to_currency_code) from {{ source('hubspot', 'currency_exchange_rate') }} as r
        where r.to_currency_code is not null
    )
    {%- else -%}
    upper({{ currency_column }}) not in (
        select upper(r.iso_code) from {{ source('salesforce', 'dated_conversion_rate') }} as r
        where r.iso_code is not null
    )
    {%- endif -%}
{%- endmacro %}
