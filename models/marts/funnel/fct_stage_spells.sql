-- Every entry into and exit from a lifecycle stage. Consecutive entries into the same
-- stage (two 'lead' statuses in a row) are one spell; a skipped stage has no spell.
with stage_entries as (

    select * from {{ ref('int_lead_stage_entries') }}

),

stages as (

    select * from {{ ref('lifecycle_stages') }}

),

flagged as (

    select
        *,
        coalesce(
            lifecycle_stage <> lag(lifecycle_stage) over (
                partition by lead_id order by entry_number
            ),
            true
        ) as starts_spell
    from stage_entries

),

spells as (

    select
        lead_id,
        lifecycle_stage,
        entered_at,
        row_number() over (partition by lead_id order by entry_number) as spell_number,
        row_number() over (
            partition by lead_id, lifecycle_stage order by entry_number
        ) as stage_entry_number,
        lead(entered_at) over (partition by lead_id order by entry_number) as exited_at,
        lead(lifecycle_stage) over (partition by lead_id order by entry_number) as next_stage
    from flagged
    where starts_spell

),

as_of as (

    select {{ lifecycle_as_of() }} as as_of_at

),

final as (

    select
        {{ dbt.concat([
            'spells.lead_id',
            "'-'",
            'cast(spells.spell_number as ' ~ dbt.type_string() ~ ')',
        ]) }} as stage_spell_id,
        spells.lead_id,
        spells.lifecycle_stage,
        cast(spells.spell_number as {{ dbt.type_bigint() }}) as spell_number,
        spells.stage_entry_number = 1 as is_first_entry,
        spells.entered_at,
        spells.exited_at,
        spells.next_stage,
        stages.is_terminal,
        spells.exited_at is null and not stages.is_terminal as is_open,
        {{ days_between('spells.entered_at', 'spells.exited_at') }} as duration_days,
        case
            when spells.exited_at is null and not stages.is_terminal
                then {{ days_between('spells.entered_at', 'as_of.as_of_at') }}
        end as open_age_days
    from spells
    inner join stages
        on spells.lifecycle_stage = stages.lifecycle_stage
    cross join as_of

)

select * from final
