{#- A CSV export without a sync column: repeated keys are exact copies, so the version order
    only needs to be deterministic (the row's values). A response without a score (the question
    skipped) is rejected: counting it as anything, a passive included, would move the score. -#}
{{ classify_raw_rows(
    source('surveys', 'enps_responses'), ['response_id'],
    version_order='survey_id, survey_date, team, score, comment',
    reject_when={
        'missing_required_value': 'score is null',
        'invalid_value': 'score < 0 or score > 10',
    },
) }}
