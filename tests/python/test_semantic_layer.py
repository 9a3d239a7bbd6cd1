"""The MetricFlow semantic layer (models/semantic/) agrees with kpi_values: a handful of metrics
queried with `mf query` on the session's DuckDB build, row by row, both ways."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIRST_SEED_ONLY, PROJECT_DIR

MF = str(Path(sys.executable).with_name("mf"))
MF_TIMEOUT_S = 120
pytestmark = FIRST_SEED_ONLY  # the metrics' definitions against kpi_values': one build shows a gap


@dataclass(frozen=True)
class MetricFlow:
    """`mf` on one build. MetricFlow reads `<project root>/target/semantic_manifest.json`
    whatever DBT_TARGET_PATH says, so it runs in a folder of its own holding the project file
    and the build's semantic manifest: the work tree's target/ is never read or written."""

    root: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([MF, *args], cwd=self.root, env=self.env, capture_output=True,
                              text=True, timeout=MF_TIMEOUT_S)

    def query(self, metrics: list[str], group_by: list[str], where: str | None = None
              ) -> pd.DataFrame:
        output = self.root / "query.csv"
        result = self.run("query", "--metrics", ",".join(metrics),
                          "--group-by", ",".join(group_by), "--csv", str(output),
                          *(["--where", where] if where else []))
        assert result.returncode == 0 and output.exists(), result.stdout[-3000:] + result.stderr
        return pd.read_csv(output)


@pytest.fixture(scope="module")
def metricflow(build, tmp_path_factory) -> MetricFlow:
    root = tmp_path_factory.mktemp("metricflow")
    (root / "target").mkdir()
    (root / "dbt_project.yml").symlink_to(PROJECT_DIR / "dbt_project.yml")
    (root / "target" / "semantic_manifest.json").symlink_to(build.target / "semantic_manifest.json")
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
           "B2B_DUCKDB_PATH": str(build.database), "DBT_LOG_PATH": str(root / "logs")}
    # the build is on DuckDB, the profile's default target, whatever the caller's DBT_TARGET
    env.pop("DBT_TARGET", None)
    return MetricFlow(root, env)


def test_mf_validate_configs_passes(metricflow):
    result = metricflow.run("validate-configs")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Breaking issues" not in output and "ERRORS: 0" in output, output[-3000:]


@dataclass(frozen=True)
class Case:
    metrics: list[str]
    time: str  # metric_time__<grain>
    group_by: str | None  # the MetricFlow group-by item of the dimension, None for the totals
    period_grain: str  # kpi_values.period_grain
    dimension_name: str  # kpi_values.dimension_name
    kpi_ids: dict[str, str] | None = None  # metric -> kpi_id when they differ
    value_prefix: str = ""  # kpi_values.dimension_value = prefix + the MetricFlow value
    # metric -> the kpi_values column it equals (default value): a ratio's numerator or
    # denominator, compared exactly (they are counts)
    columns: dict[str, str] | None = None
    where: str | None = None  # mf query --where


CASES = {
    "cohort_rates_by_channel": Case(["lead_to_mql_rate", "lead_to_customer_rate"],
                                    "metric_time__month", "channel", "cohort_month", "channel"),
    "mql_rates_total": Case(["mql_to_sql_rate", "mql_rejection_rate", "sql_to_opportunity_rate"],
                            "metric_time__month", None, "cohort_month", "all"),
    "win_rate_and_cycle_by_rep": Case(["opportunity_win_rate", "sales_cycle_days"],
                                      "metric_time__month", "lead__opportunity_rep", "month",
                                      "rep"),
    "stage_durations_by_stage": Case(["stage_duration_days"], "metric_time__month",
                                     "stage_spell__stage", "month", "stage"),
    "costs_by_channel": Case(["cost_per_lead", "cost_per_opportunity", "cac_marketing"],
                             "metric_time__month", "channel", "month", "channel"),
    "cac_total": Case(["cac"], "metric_time__month", None, "month", "all"),
    "ads_by_platform": Case(["ad_ctr", "ad_cpc", "ad_spend"], "metric_time__month", "platform",
                            "month", "platform"),
    "web_by_day_and_channel": Case(["bounce_rate", "engagement_rate", "sessions"],
                                   "metric_time__day", "channel", "day", "channel"),
    "roas_linear_by_platform": Case(["roas_linear"], "metric_time__month", "platform", "month",
                                    "model_platform", kpi_ids={"roas_linear": "roas"},
                                    value_prefix="linear|"),
    "roas_linear_total": Case(["roas_linear"], "metric_time__month", None, "month", "all",
                              kpi_ids={"roas_linear": "roas"}),
    "email_rates_by_month": Case(["email_open_rate", "email_click_through_rate",
                                  "email_click_to_open_rate", "email_bounce_rate",
                                  "email_unsubscribe_rate"],
                                 "metric_time__month", None, "month", "all"),
    "email_rates_by_program": Case(["email_open_rate", "email_bounce_rate"], "metric_time__month",
                                   "email_send__program", "month", "program"),
    "email_counts_by_program": Case(
        ["email_unique_opens", "emails_delivered", "emails_bounced", "emails_sent"],
        "metric_time__month", "email_send__program", "month", "program",
        kpi_ids={"email_unique_opens": "email_open_rate", "emails_delivered": "email_open_rate",
                 "emails_bounced": "email_bounce_rate", "emails_sent": "email_bounce_rate"},
        columns={"email_unique_opens": "numerator", "emails_delivered": "denominator",
                 "emails_bounced": "numerator", "emails_sent": "denominator"}),
    "retention_by_month": Case(["customer_retention_rate", "customer_churn_rate", "expansion_rate",
                                "net_revenue_retention", "gross_revenue_retention"],
                               "metric_time__month", None, "month", "all"),
    "retention_counts_by_month": Case(
        ["customers_retained", "customers_at_period_start"], "metric_time__month", None, "month",
        "all",
        kpi_ids={"customers_retained": "customer_retention_rate",
                 "customers_at_period_start": "customer_retention_rate"},
        columns={"customers_retained": "numerator", "customers_at_period_start": "denominator"},
        # the customer counts hold every period grain: one must be chosen
        where="{{ Dimension('customer_period__period_grain') }} = 'month'"),
    "retention_by_company_size": Case(["customer_retention_rate", "net_revenue_retention"],
                                      "metric_time__month", "customer_period__company_size_band",
                                      "month", "company_size"),
    "retention_by_abm_flag": Case(["customer_retention_rate"], "metric_time__month",
                                  "customer_period__abm_target", "month", "abm_target"),
    "retention_by_quarter_and_industry": Case(
        ["customer_retention_rate_quarterly"], "metric_time__quarter", "customer_period__industry",
        "quarter", "industry",
        kpi_ids={"customer_retention_rate_quarterly": "customer_retention_rate"}),
    "retention_by_year": Case(
        ["customer_retention_rate_yearly"], "metric_time__year", None, "year", "all",
        kpi_ids={"customer_retention_rate_yearly": "customer_retention_rate"}),
}


def _metricflow_rows(frame: pd.DataFrame, case: Case, metric: str) -> dict[tuple, float]:
    periods = pd.to_datetime(frame[case.time]).dt.date
    if case.group_by is None:
        values = pd.Series("all", index=frame.index)
    else:
        # kpi_values names a missing dimension value 'unknown' (macro by_dimensions)
        values = case.value_prefix + frame[case.group_by].fillna("unknown").astype(str)
    return {(period, value): number for period, value, number
            in zip(periods, values, frame[metric]) if pd.notna(number)}


def _kpi_rows(build, case: Case, kpi_id: str, column: str = "value") -> dict[tuple, float]:
    rows = build.query(f"""
        select period_start, dimension_value, {column} as number from marts.kpi_values
        where kpi_id = '{kpi_id}' and period_grain = '{case.period_grain}'
            and dimension_name = '{case.dimension_name}'
            and dimension_value like '{case.value_prefix}%'
    """)
    return {(period, value): number for period, value, number
            in zip(pd.to_datetime(rows["period_start"]).dt.date, rows["dimension_value"],
                   rows["number"]) if pd.notna(number)}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_metric_matches_kpi_values(metricflow, build, case):
    group_by = [case.time] + ([case.group_by] if case.group_by else [])
    frame = metricflow.query(case.metrics, group_by, case.where)
    for metric in case.metrics:
        kpi_id = (case.kpi_ids or {}).get(metric, metric)
        column = (case.columns or {}).get(metric, "value")
        expected = _kpi_rows(build, case, kpi_id, column)
        actual = _metricflow_rows(frame, case, metric)
        assert expected, f"{kpi_id}: no rows in kpi_values to compare with"
        assert actual.keys() == expected.keys(), (
            f"{metric}: only in MetricFlow {sorted(actual.keys() - expected.keys())[:5]}, "
            f"only in kpi_values {sorted(expected.keys() - actual.keys())[:5]}")
        if column == "value":
            wrong = [(key, actual[key], expected[key]) for key in expected
                     if not math.isclose(actual[key], expected[key], rel_tol=1e-9, abs_tol=1e-9)]
        else:
            wrong = [(key, actual[key], expected[key]) for key in expected
                     if actual[key] != expected[key]]
        assert not wrong, f"{metric} differs from kpi_values ({kpi_id}): {wrong[:5]}"


def test_mf_order_and_limit_as_docs_bi_shows(metricflow):
    """docs/bi.md's example: the channels and months with the most leads first."""
    output = metricflow.root / "ordered.csv"
    result = metricflow.run("query", "--metrics", "leads_created", "--group-by",
                            "metric_time__month,channel", "--order", "-leads_created",
                            "--limit", "5", "--csv", str(output))
    assert result.returncode == 0 and output.exists(), result.stdout[-3000:] + result.stderr
    frame = pd.read_csv(output)
    assert len(frame) == 5
    assert frame["leads_created"].is_monotonic_decreasing
    assert metricflow.query(["leads_created"], ["metric_time__month", "channel"])[
        "leads_created"].max() == frame["leads_created"].iloc[0]


def test_the_time_spine_is_out_of_the_marts(build):
    """A BI user browsing the marts schema sees the marts; MetricFlow's spine is elsewhere."""
    schemas = build.query("select table_schema from information_schema.tables"
                          " where table_name = 'metricflow_time_spine'")["table_schema"]
    assert list(schemas) == ["semantic"]
