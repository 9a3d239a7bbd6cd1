{#- The catalogue's convention: every ratio is a fraction in [0, 1] (or null for a zero
    denominator), and its numerator never exceeds its denominator. -#}
{% test ratios_within_unit_interval(model) %}

select *
from {{ model }}
where
    unit = 'ratio'
    and (
        value < 0
        or value > 1
        or numerator > denominator
        or (denominator = 0 and value is not null)
    )

{% endtest %}
