-- The kpi_registry seed and the KPI models cannot drift: every kpi_id a KPI model emits is
-- registered with that model and its unit, and the registry's models are exactly the list
-- kpi_values unions (macros/kpi_models.sql). One row per problem.
with registry as (

    select * from {{ ref('kpi_registry') }}

),

emitted as (

    {% for kpi_model in built_kpi_models() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select distinct
        kpi_id,
        unit,
        '{{ kpi_model }}' as kpi_model
    from {{ ref(kpi_model) }}
    {% endfor %}

),

listed_models as (

    {% for kpi_model in kpi_models() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select '{{ kpi_model }}' as kpi_model
    {% endfor %}

),

registered_models as (

    select distinct kpi_model from registry
    where kpi_model is not null

),

problems as (

    select
        emitted.kpi_id,
        emitted.kpi_model,
        case
            when registry.kpi_id is null then 'kpi_id not in kpi_registry'
            when registry.kpi_model is null or registry.kpi_model <> emitted.kpi_model
                then 'registry names another model'
            else 'registry names another unit'
        end as problem
    from emitted
    left join registry on emitted.kpi_id = registry.kpi_id
    where
        registry.kpi_id is null
        or registry.kpi_model is null
        or registry.kpi_model <> emitted.kpi_model
        or registry.unit <> emitted.unit

    union all

    select
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        registered_models.kpi_model,
        'registry model not in kpi_models()' as problem
    from registered_models
    left join listed_models on registered_models.kpi_model = listed_models.kpi_model
    where listed_models.kpi_model is null

    union all

    select
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        listed_models.kpi_model,
        'kpi_models() model not in the registry' as problem
    from listed_models
    left join registered_models on listed_models.kpi_model = registered_models.kpi_model
    where registered_models.kpi_model is null

)

select
    kpi_id,
    kpi_model,
    problem
from problems
