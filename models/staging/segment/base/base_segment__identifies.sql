{#- written so that the expanded lines stay within 100 characters -#}
{%- set event_time = text_to_utc_timestamp('timestamp') -%}
{%- set newline = '\n' ~ ' ' * 16 -%}
{{ classify_raw_rows(
    source('segment', 'identifies'), ['id'],
    version_order=newline ~ event_time,
    reject_when={
        'missing_required_value': 'timestamp is null',
        'unparsable_value': event_time ~ ' is null' ~ newline ~ 'and timestamp is not null',
    },
) }}
