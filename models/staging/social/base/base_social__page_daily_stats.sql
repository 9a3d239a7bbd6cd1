{#- A CSV export without a sync column: repeated keys are exact copies, so the version order
    only needs to be deterministic (the row's measures). -#}
{{ classify_raw_rows(
    source('social', 'page_daily_stats'), ['date', 'network'],
    version_order='followers, impressions, engagements, clicks, shares',
) }}
