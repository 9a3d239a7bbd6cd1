-- The catalogue's rule for every ratio: a zero or null denominator gives null, never 0 or an
-- error; otherwise the plain quotient. Returns a row when the macro breaks it.
with cases as (

    select
        {{ safe_divide('3', '4') }} as three_quarters,
        {{ safe_divide('1', '0') }} as by_zero,
        {{ safe_divide('0', '0') }} as zero_by_zero,
        {{ safe_divide('1', 'null') }} as by_null

)

select
    three_quarters,
    by_zero,
    zero_by_zero,
    by_null
from cases
where
    three_quarters <> 0.75
    or by_zero is not null
    or zero_by_zero is not null
    or by_null is not null
