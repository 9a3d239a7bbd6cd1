-- Who owned each lead when: one spell per owner from the lead history's 'Owner' rows (field
-- name in any casing). The first spell (before the first change) is the first change's old
-- owner and has no start; a lead without owner changes has one spell, its current owner,
-- with neither start nor end. The rep cuts attribute a stage to the owner of the spell the
-- stage was entered in (see fct_lead_lifecycle).
with leads as (

    select * from {{ ref('int_crm_leads') }}

),

lead_history as (

    select * from {{ ref('int_crm_lead_history') }}

),

owner_changes as (

    select
        lead_id,
        old_value as old_owner_id,
        new_value as new_owner_id,
        changed_at,
        row_number() over (
            partition by lead_id order by changed_at, lead_history_id
        ) as change_number,
        lead(changed_at) over (
            partition by lead_id order by changed_at, lead_history_id
        ) as next_changed_at
    from lead_history
    where lower(field_name) = 'owner'

),

spells as (

    -- before the first change: its old owner
    select
        lead_id,
        0 as spell_number,
        old_owner_id as owner_id,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        changed_at as valid_to
    from owner_changes
    where change_number = 1
    union all
    select
        lead_id,
        change_number as spell_number,
        new_owner_id as owner_id,
        changed_at as valid_from,
        next_changed_at as valid_to
    from owner_changes
    union all
    -- never reassigned: the current owner throughout
    select
        leads.lead_id,
        0 as spell_number,
        leads.owner_id,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to
    from leads
    where not exists (
        select 1 from owner_changes
        where owner_changes.lead_id = leads.lead_id
    )

)

select
    {{ dbt.concat([
        'lead_id',
        "'-'",
        'cast(spell_number as ' ~ dbt.type_string() ~ ')',
    ]) }} as owner_spell_id,
    lead_id,
    spell_number,
    owner_id,
    valid_from,
    valid_to
from spells
