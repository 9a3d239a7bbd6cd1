{#- A CSV export without a sync column: repeated keys are exact copies, so the version order
    only needs to be deterministic (the row's values). channel is nullable yet part of the
    key, so it enters the key as '' when empty rather than making the row 'missing_key'. -#}
{{ classify_raw_rows(
    source('finance', 'marketing_sales_costs'),
    ['month', 'cost_center', 'category', "coalesce(channel, '')"],
    version_order='amount, currency',
    reject_when={
        'invalid_month': "translate(month, '0123456789', '0000000000') <> '0000-00'"
            ~ "\n                or substring(month, 6, 2) not between '01' and '12'",
        'unknown_currency': 'currency is null or ' ~ known_currency_condition('currency'),
        'invalid_value': 'amount < 0',
    },
) }}
