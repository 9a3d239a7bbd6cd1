-- lead_grade: fit of each lead to the ideal customer profile from the `lead_grade_rules`
-- seed. Per rule type the matching rule with the most points counts; the grade is the best
-- one whose threshold the fit points reach; a lead with none of industry, size, title and
-- country known has no grade.
with leads as (

    select * from {{ ref('int_crm_leads') }}

),

rules as (

    select * from {{ ref('lead_grade_rules') }}

),

fit_rules as (

    select * from rules
    where rule_type <> 'grade'

),

grade_thresholds as (

    select
        match_value as grade,
        points as min_fit_points
    from rules
    where rule_type = 'grade'

),

matches as (

    select
        leads.lead_id,
        fit_rules.rule_type,
        fit_rules.match_value,
        fit_rules.points
    from leads
    inner join fit_rules
        on
            (
                fit_rules.rule_type = 'industry'
                and lower(leads.industry) = lower(fit_rules.match_value)
            )
            or (
                fit_rules.rule_type = 'country'
                and lower(leads.country) = lower(fit_rules.match_value)
            )
            or (
                fit_rules.rule_type = 'title_keyword'
                and {{ dbt.position('lower(fit_rules.match_value)', 'lower(leads.title)') }} > 0
            )
            or (
                fit_rules.rule_type = 'company_size'
                and leads.number_of_employees
                between fit_rules.min_employees and fit_rules.max_employees
            )

),

best_matches as (

    select
        *,
        row_number() over (
            partition by lead_id, rule_type order by points desc, match_value asc
        ) as match_rank
    from matches

),

fit as (

    select
        lead_id,
        sum(points) as fit_points,
        {{ dbt.listagg(
            "rule_type || ':' || match_value", "', '", 'order by rule_type'
        ) }} as matched_rules
    from best_matches
    where match_rank = 1
    group by lead_id

),

fitted as (

    select
        leads.lead_id,
        leads.industry,
        leads.number_of_employees,
        leads.title,
        leads.country,
        coalesce(fit.fit_points, 0) as fit_points,
        fit.matched_rules,
        (
            leads.industry is not null
            or leads.number_of_employees is not null
            or leads.title is not null
            or leads.country is not null
        ) as is_gradable
    from leads
    left join fit
        on leads.lead_id = fit.lead_id

),

graded as (

    select
        fitted.*,
        grade_thresholds.grade,
        grade_thresholds.min_fit_points,
        row_number() over (
            partition by fitted.lead_id order by grade_thresholds.min_fit_points desc
        ) as grade_rank
    from fitted
    left join grade_thresholds
        on fitted.is_gradable and fitted.fit_points >= grade_thresholds.min_fit_points

)

select
    lead_id,
    industry,
    cast(number_of_employees as {{ dbt.type_int() }}) as number_of_employees,
    title,
    country,
    cast(fit_points as {{ type_double() }}) as fit_points,
    grade,
    cast(min_fit_points as {{ type_double() }}) as grade_min_fit_points,
    matched_rules
from graded
where grade_rank = 1
