{{ config(severity='warn') }}
-- Each raw channel value the channel_mapping seed does not map, by name, with its rows: the
-- models give it channel 'unknown' until the seed lists it.
select
    source_field,
    source_value,
    row_count
from {{ ref('int_channel_values') }}
where not is_mapped
