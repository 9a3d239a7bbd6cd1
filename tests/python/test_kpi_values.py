"""kpi_values holds every KPI of the catalogue (../shared/kpi_catalogue.md), each with its
total ('all') rows in every period it has."""

from __future__ import annotations

import pytest

CATALOGUE_KPIS = [
    # 1. lead lifecycle
    "leads_created", "mqls", "sqls", "opportunities_created", "customers_won",
    "lead_to_mql_rate", "mql_to_sql_rate", "mql_rejection_rate", "sql_to_opportunity_rate",
    "opportunity_win_rate", "lead_to_customer_rate", "stage_duration_days",
    "lead_to_close_days", "sales_cycle_days", "pipeline_value",
    # 2. sales activity and lead prioritisation (lead_priority is a model of its own)
    "sales_activities", "activities_per_opportunity", "lead_score", "lead_grade",
    "priority_coverage",
    # 3. marketing channels (email_reply_rate: no source records replies)
    "sessions", "avg_session_duration_s", "bounce_rate", "engagement_rate",
    "site_conversion_rate", "landing_page_conversion_rate", "email_open_rate",
    "email_click_through_rate", "email_unsubscribe_rate", "email_bounce_rate",
    "social_followers", "social_engagements", "social_engagement_rate",
    "ad_impressions", "ad_clicks", "ad_ctr", "ad_cpc", "ad_spend",
    # 4. cost and return
    "cost_per_lead", "cost_per_opportunity", "cac", "clv", "ltv_to_cac", "cac_payback_months",
    "revenue", "marketing_roi", "roas",
    # 5. customers
    "customer_retention_rate", "customer_churn_rate", "net_revenue_retention",
    "gross_revenue_retention", "expansion_rate", "cross_sell_upsell_campaign_success",
    # 6. ABM (abm_roi needs attribution: issue 4)
    "abm_account_engagement", "abm_account_to_opportunity_rate", "abm_win_rate",
    "abm_pipeline_value", "abm_retention", "abm_expansion", "abm_clv",
    # 7. people
    "enps",
]


@pytest.fixture(scope="module")
def kpi_values(build):
    return build.query("select * from marts.kpi_values")


@pytest.mark.parametrize("kpi_id", CATALOGUE_KPIS)
def test_catalogue_kpi_has_non_null_total_rows(kpi_id, kpi_values):
    totals = kpi_values[(kpi_values["kpi_id"] == kpi_id) & (kpi_values["dimension_name"] == "all")]
    assert not totals.empty, f"{kpi_id} is not in kpi_values"
    assert totals["value"].notna().any(), f"{kpi_id} has only null totals"


def test_every_period_of_every_kpi_has_a_total_row(kpi_values):
    periods = kpi_values[["kpi_id", "period_grain", "period_start"]].drop_duplicates()
    totals = kpi_values.loc[kpi_values["dimension_name"] == "all",
                            ["kpi_id", "period_grain", "period_start"]].drop_duplicates()
    missing = periods.merge(totals, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"]
    assert missing.empty, missing.head(10).to_string()


def test_kpi_values_is_the_union_of_the_kpi_models(build, kpi_values):
    models = build.query(
        "select table_name from information_schema.tables"
        " where table_schema = 'marts' and table_name like 'kpi\\_%' escape '\\'"
        " and table_name not in ('kpi_values', 'kpi_scorecard')"
    )["table_name"]
    total = sum(build.query(f"select count(*) as n from marts.{m}")["n"][0] for m in models)
    assert len(kpi_values) == total
    assert not kpi_values.duplicated(
        ["kpi_id", "period_grain", "period_start", "dimension_name", "dimension_value"]).any()


def test_scorecard_compares_totals_with_targets(build):
    scorecard = build.query("select * from marts.kpi_scorecard")
    with_target = scorecard[scorecard["target"].notna() & scorecard["actual"].notna()]
    assert len(with_target) > 0
    gap = with_target["actual"] - with_target["target"]
    assert ((gap - with_target["gap"]).abs() < 1e-9).all()
    higher = with_target["direction"] == "higher_is_better"
    expected = (with_target["actual"] >= with_target["target"]).where(
        higher, with_target["actual"] <= with_target["target"])
    assert (expected == with_target["is_on_target"]).all()
