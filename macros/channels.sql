{#- The key a channel value is matched on, on both sides of the `channel_mapping` seed: lower
    case, letters and digits only, one trailing 's' dropped, so 'Events', 'event' and 'EVENT'
    are one key, and so are 'Trade Shows', 'trade_show' and 'Tradeshow'. -#}
{% macro channel_key(value) -%}
    regexp_replace({{ regexp_replace_all('lower(' ~ value ~ ')', "'[^a-z0-9]'", "''") }}, 's$', '')
{%- endmacro %}

{#- The canonical channel of a raw value of a source field (both SQL expressions; columns
    qualified with their table, since the lookup is a subquery): the seed's channel for the
    field and the value's key; `when_unmapped` for a value the seed does not list (the
    `warn_unmapped_channel_values` test names it); `when_missing` for a null or blank value.
    (source_field, channel_key) is unique (a test holds it), so max() is the one row's
    channel: Spark takes a correlated scalar subquery only as an aggregate. -#}
{% macro map_channel(source_field, value, when_missing="'unknown'", when_unmapped="'unknown'") -%}
    case
        when coalesce({{ channel_key(value) }}, '') = '' then {{ when_missing }}
        else coalesce(
            (
                select max(channel_mapping.channel)
                from {{ ref('int_channel_mapping') }} as channel_mapping
                where
                    channel_mapping.source_field = {{ source_field }}
                    and channel_mapping.channel_key = {{ channel_key(value) }}
            ),
            {{ when_unmapped }}
        )
    end
{%- endmacro %}
