"""Sales activity and lead prioritisation (catalogue section 2) equal the oracle's,
recomputed from the truth alone."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sales_oracle import (lead_grades, lead_scores, prioritisation_kpis, priority_queue,
                          sales_activity_kpis)

KPI_MODELS = {
    "sales_activities": "kpi_sales_activities",
    "activities_per_opportunity": "kpi_sales_activities",
    "priority_coverage": "kpi_lead_prioritisation",
    "lead_score": "kpi_lead_prioritisation",
    "lead_grade": "kpi_lead_prioritisation",
}


@pytest.fixture(scope="module")
def expected(build):
    return {**sales_activity_kpis(build.truth), **prioritisation_kpis(build.truth, build.as_of)}


def _rows(build, relation: str) -> dict:
    frame = build.query(
        "select kpi_id, period_grain, period_start, dimension_name, dimension_value,"
        f" value, numerator, denominator from {relation}"
    )
    return {
        (r.kpi_id, r.period_grain, pd.Timestamp(r.period_start).date(), r.dimension_name,
         r.dimension_value): (r.value, r.numerator, r.denominator)
        for r in frame.itertuples(index=False)
    }


@pytest.fixture(scope="module")
def actual(build):
    return _rows(build, "marts.kpi_values")


def _close(a, b, tolerance=1e-9) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return False
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def _compare(kpi_id, expected, actual):
    want = {k: v for k, v in expected.items() if k[0] == kpi_id}
    got = {k: v for k, v in actual.items() if k[0] == kpi_id}
    assert want, f"the oracle produced no {kpi_id} rows: the generated data is too small"
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, f"missing {missing[:5]}, unexpected {extra[:5]}"
    wrong = [(k, got[k], want[k]) for k in want
             if not all(_close(g, w) for g, w in zip(got[k], want[k]))]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. {wrong[:3]}"


@pytest.mark.parametrize("kpi_id", KPI_MODELS)
def test_kpi_model_matches_oracle(kpi_id, expected, build):
    _compare(kpi_id, expected, _rows(build, f"marts.{KPI_MODELS[kpi_id]}"))


@pytest.mark.parametrize("kpi_id", KPI_MODELS)
def test_kpi_values_match_oracle(kpi_id, expected, actual):
    _compare(kpi_id, expected, actual)


def test_lead_scores_match_oracle(build):
    want = lead_scores(build.truth, build.as_of)
    got = build.query("select * from marts.lead_score").set_index("lead_id")
    assert set(got.index) == set(want.index)
    got = got.reindex(want.index)
    assert (want["score"] > 0).sum() > 100, "too few scored leads to test anything"
    for column in ("score", "web_points", "email_points", "form_points"):
        wrong = [(i, g, w) for i, g, w in zip(want.index, got[column], want[column])
                 if not _close(g, w)]
        assert not wrong, f"{column}: {len(wrong)} leads differ, e.g. {wrong[:3]}"
    assert got["top_event_type"].fillna("").tolist() == want["top_event_type"].fillna("").tolist()
    assert got["top_event_count"].fillna(0).tolist() == want["top_event_count"].fillna(0).tolist()


def test_lead_grades_match_oracle(build):
    want = lead_grades(build.truth)
    got = build.query("select * from marts.lead_grade").set_index("lead_id").reindex(want.index)
    assert want["grade"].nunique() == 4, "the data should show every grade"
    assert got["fit_points"].tolist() == want["fit_points"].tolist()
    assert got["grade"].fillna("").tolist() == want["grade"].fillna("").tolist()
    assert got["matched_rules"].fillna("").tolist() == want["matched_rules"].fillna("").tolist()


def test_priority_queue_matches_oracle(build):
    want = priority_queue(build.truth, build.as_of)
    got = build.query("select * from marts.lead_priority order by priority_rank")
    assert len(want) > 50, "too few open leads to test the order"
    assert got["lead_id"].tolist() == want["lead_id"].tolist()
    assert got["priority_rank"].tolist() == list(range(1, len(want) + 1))
    assert got["priority_reason"].tolist() == want["priority_reason"].tolist()
