with rejected_rows as (

    {% for raw in raw_tables() %}
        select
            '{{ raw.source }}' as source_name,
            '{{ raw.table }}' as table_name,
            _record_key as record_id,
            _reject_reason as reject_reason
        from {{ ref('base_' ~ raw.source ~ '__' ~ raw.table) }}
        where _row_disposition = 'rejected'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from rejected_rows
