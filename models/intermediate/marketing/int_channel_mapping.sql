-- The channel_mapping seed with each value's match key (`channel_key`), computed once here
-- rather than for every row that looks a channel up.
with channel_mapping as (

    select * from {{ ref('channel_mapping') }}

)

select
    cast(lower(trim(source_field)) as {{ dbt.type_string() }}) as source_field,
    cast(source_value as {{ dbt.type_string() }}) as source_value,
    cast({{ channel_key('source_value') }} as {{ dbt.type_string() }}) as channel_key,
    cast(channel as {{ dbt.type_string() }}) as channel
from channel_mapping
