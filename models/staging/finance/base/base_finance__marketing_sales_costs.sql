{#- A CSV export without a sync column: repeated keys are exact copies, so the version order
    only needs to be deterministic (the row's values). channel is nullable yet part of the
    key, so it enters the key as '' when empty rather than making the row 'missing_key'. The
    month enters the key as 'YYYY-MM' whichever way it was written (iso_month), so '2026-01'
    and '2026-01-01' are one month; an unreadable month enters as written and is rejected. -#}
{%- set month = iso_month('month') -%}
{{ classify_raw_rows(
    source('finance', 'marketing_sales_costs'),
    ['coalesce(' ~ month ~ ', month)', 'cost_center', 'category', "coalesce(channel, '')"],
    version_order='amount, currency',
    reject_when={
        'invalid_month': month ~ ' is null'
            ~ '\n                or substring(' ~ month ~ ", 6, 2) not between '01' and '12'",
        'unknown_currency': 'currency is null or ' ~ known_currency_condition('currency'),
        'invalid_value': 'amount < 0',
    },
) }}
