"""Sales activity and lead prioritisation (catalogue section 2) equal the oracle's,
recomputed from the truth alone."""

from __future__ import annotations

import pytest

from kpi_rows import assert_kpi_matches, close, kpi_rows, registered_kpis
from sales_oracle import (lead_grades, lead_scores, prioritisation_kpis, priority_queue,
                          sales_activity_kpis)

KPI_MODELS = {kpi_id: model for model in ("kpi_sales_activities", "kpi_lead_prioritisation")
              for kpi_id in registered_kpis(model)}


@pytest.fixture(scope="module")
def expected(build):
    return {**sales_activity_kpis(build.truth), **prioritisation_kpis(build.truth, build.as_of)}


@pytest.fixture(scope="module")
def actual(build):
    return kpi_rows(build, "marts.kpi_values")


@pytest.mark.parametrize("kpi_id", KPI_MODELS)
def test_kpi_model_matches_oracle(kpi_id, expected, build):
    assert_kpi_matches(kpi_id, expected, kpi_rows(build, f"marts.{KPI_MODELS[kpi_id]}"))


@pytest.mark.parametrize("kpi_id", KPI_MODELS)
def test_kpi_values_match_oracle(kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual)


def test_lead_scores_match_oracle(build):
    want = lead_scores(build.truth, build.as_of)
    got = build.query("select * from marts.lead_score").set_index("lead_id")
    assert set(got.index) == set(want.index)
    got = got.reindex(want.index)
    assert (want["score"] > 0).sum() > 100, "too few scored leads to test anything"
    for column in ("score", "web_points", "email_points", "form_points"):
        wrong = [(i, g, w) for i, g, w in zip(want.index, got[column], want[column])
                 if not close(g, w)]
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
