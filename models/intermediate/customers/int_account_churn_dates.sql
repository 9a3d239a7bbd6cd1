-- Days on which an account stopped being a customer: the day after an 'Activated'
-- contract ends, when no other activated contract of the account covers that day and the
-- day has come (lifecycle as-of time). A returning account can churn more than once.
with contracts as (

    select * from {{ ref('int_crm_contracts') }}
    where lower(contract_status) = 'activated'

),

candidate_days as (

    select distinct
        account_id,
        cast({{ dbt.dateadd('day', 1, 'end_date') }} as date) as churned_on
    from contracts
    where end_date is not null

),

uncovered as (

    select
        candidate_days.account_id,
        candidate_days.churned_on
    from candidate_days
    left join contracts
        on
            candidate_days.account_id = contracts.account_id
            and candidate_days.churned_on between contracts.start_date and contracts.end_date
    where
        contracts.contract_id is null
        and candidate_days.churned_on <= cast({{ lifecycle_as_of() }} as date)

)

select * from uncovered
