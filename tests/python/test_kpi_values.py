"""kpi_values holds every KPI of the registry (seeds/kpi_registry.csv: the catalogue's ids,
../shared/kpi_catalogue.md, and their variants), each with its total ('all') rows in every
period it has; the scorecard judges each KPI's latest mature period, unrounded."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from b2bkpi import registry
from b2bkpi.report import print_kpi_summary

BUILT = [kpi.kpi_id for kpi in registry.kpis().values() if kpi.built]
NOT_BUILT = [kpi.kpi_id for kpi in registry.kpis().values() if not kpi.built]


@pytest.fixture(scope="module")
def kpi_values(build):
    return build.query("select * from marts.kpi_values")


def test_the_registry_names_the_not_built_catalogue_kpis():
    assert set(NOT_BUILT) == {"email_reply_rate", "abm_roi"}
    assert all(registry.kpi(kpi_id).not_built_reason for kpi_id in NOT_BUILT)


@pytest.mark.parametrize("kpi_id", BUILT)
def test_registered_kpi_has_non_null_total_rows(kpi_id, kpi_values):
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
    kpis = registry.kpis()
    expected_target = [kpis[k].target_value if grain == kpis[k].period_grain else None
                       for k, grain in zip(scorecard.kpi_id, scorecard.period_grain)]
    assert scorecard.target.equals(pd.Series(expected_target, dtype=float))
    with_target = scorecard[scorecard["target"].notna() & scorecard["actual"].notna()
                            & scorecard["is_mature"]]
    assert len(with_target) > 0
    gap = with_target["actual"] - with_target["target"]
    assert ((gap - with_target["gap"]).abs() < 1e-9).all()
    higher = with_target["direction"] == "higher_is_better"
    expected = (with_target["actual"] >= with_target["target"]).where(
        higher, with_target["actual"] <= with_target["target"])
    assert (expected == with_target["is_on_target"]).all()


def test_rep_rows_are_labelled_with_the_reps_name(build, kpi_values):
    """dimension_label: the Salesforce user's name (from the truth) on rep rows, the value
    itself on every other row."""
    names = pd.read_parquet(build.truth / "clean" / "salesforce" / "user.parquet")
    name_of = dict(zip(names["id"], names["name"]))
    reps = kpi_values[kpi_values["dimension_name"] == "rep"]
    assert len(reps) and reps["dimension_value"].isin(name_of).any()
    expected = reps["dimension_value"].map(lambda rep_id: name_of.get(rep_id, rep_id))
    assert (reps["dimension_label"] == expected).all()
    others = kpi_values[kpi_values["dimension_name"] != "rep"]
    assert (others["dimension_label"] == others["dimension_value"]).all()


def test_kpi_values_ids_are_the_registered_ones(build, kpi_values):
    assert set(kpi_values.kpi_id) == set(BUILT)
    assert not set(kpi_values.kpi_id) & set(NOT_BUILT)
    # the dbt tests holding the registry and the models together ran and passed
    results = json.loads((build.target / "run_results.json").read_text())["results"]
    status = {r["unique_id"].split(".")[2]: r["status"] for r in results}
    assert status["assert_kpi_registry_matches_kpi_values"] == "pass"
    assert status["assert_kpi_registry_ids_have_rows"] == "pass"


def _period_end(start: pd.Timestamp, grain: str) -> pd.Timestamp:
    months = {"month": 1, "cohort_month": 1, "quarter": 3, "year": 12}
    if grain in months:
        return start + pd.DateOffset(months=months[grain])
    return start + pd.Timedelta(days={"day": 1, "week": 7}.get(grain, 0))


def test_scorecard_judges_each_kpi_on_its_latest_mature_period(build):
    """Recomputed from kpi_values, the registry's maturity days and the build's as-of: a
    period is mature once its end + the maturity days have passed; the scored row is the
    latest mature one with a value at the registry's grain, and immature rows are not
    judged (today's lead_to_customer_rate cohorts of the last months are 0 and 'off')."""
    scorecard = build.query("select * from marts.kpi_scorecard")
    totals = build.query("select kpi_id, period_grain, period_start, value from "
                         "marts.kpi_values where dimension_name = 'all'")
    as_of = build.as_of.normalize()
    maturity = {kpi_id: kpi.maturity_days for kpi_id, kpi in registry.kpis().items()}
    totals["mature"] = [
        _period_end(pd.Timestamp(start), grain) + pd.Timedelta(days=maturity[kpi_id]) <= as_of
        for kpi_id, grain, start in zip(totals.kpi_id, totals.period_grain, totals.period_start)]
    for kpi_id in BUILT:
        kpi = registry.kpi(kpi_id)
        rows = totals[(totals.kpi_id == kpi_id) & (totals.period_grain == kpi.period_grain)]
        candidates = rows[rows.mature & rows.value.notna()]
        scored = scorecard[(scorecard.kpi_id == kpi_id) & scorecard.is_scored]
        if candidates.empty:
            assert scored.empty, kpi_id
            continue
        assert list(scored.period_start) == [candidates.period_start.max()], kpi_id
    immature = scorecard.merge(totals[~totals.mature], on=["kpi_id", "period_grain",
                                                            "period_start"])
    assert len(immature) > 0 and immature.is_on_target.isna().all()
    assert set(immature.kpi_id) >= {"lead_to_customer_rate", "lead_to_mql_rate"}
    judged = scorecard.merge(totals, on=["kpi_id", "period_grain", "period_start"])
    assert len(judged) == len(scorecard) and (judged.is_mature == judged.mature).all()


def test_every_scorecard_row_has_a_direction_and_a_level(build):
    scorecard = build.query("select * from marts.kpi_scorecard")
    assert scorecard.direction.notna().all() and scorecard.indicator_level.notna().all()
    expected = scorecard.kpi_id.map({k: v.direction for k, v in registry.kpis().items()})
    assert (scorecard.direction == expected).all()


def test_summary_prints_enough_digits_to_tell_actual_from_target(build, tmp_path, capsys):
    """A 2.996 % rate against a 3 % target is off target, and the summary must not print
    it as '3.0 % 3.0 % off target'."""
    database = tmp_path / "warehouse.duckdb"
    database.write_bytes(build.database.read_bytes())
    with duckdb.connect(str(database)) as con:
        con.execute("update marts.kpi_scorecard set actual = 0.02996, gap = 0.02996 - target, "
                    "is_on_target = false where kpi_id = 'social_engagement_rate' "
                    "and target = 0.03")
    print_kpi_summary(database)
    (line,) = [line for line in capsys.readouterr().out.splitlines()
               if line.strip().startswith("social_engagement_rate")]
    assert "2.996%" in line and "3.000%" in line and "off target" in line
