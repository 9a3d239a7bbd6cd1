"""The pipeline and ABM KPIs equal the oracle's, recomputed from the truth alone."""

from __future__ import annotations

import math

import pytest

from abm_oracle import abm_kpis

KPIS = {
    "kpi_pipeline": ["pipeline_value", "pipeline_value_weighted"],
    "kpi_abm": ["abm_account_engagement", "abm_account_to_opportunity_rate", "abm_win_rate",
                "abm_pipeline_value"],
}
CASES = [(model, kpi_id) for model, kpi_ids in KPIS.items() for kpi_id in kpi_ids]


@pytest.fixture(scope="module")
def expected(build):
    return abm_kpis(build.truth, build.as_of)


@pytest.fixture(scope="module")
def actual(build):
    rows = {}
    for model in KPIS:
        frame = build.query(
            "select kpi_id, period_grain, period_start, dimension_name, dimension_value,"
            f" value, numerator, denominator from marts.{model}"
        )
        rows[model] = {
            (r.kpi_id, r.period_grain, r.period_start.date() if hasattr(r.period_start, "date")
             else r.period_start, r.dimension_name, r.dimension_value):
            (r.value, r.numerator, r.denominator)
            for r in frame.itertuples(index=False)
        }
    return rows


def _close(a, b, tolerance=1e-9) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return False
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


@pytest.mark.parametrize(("model", "kpi_id"), CASES)
def test_kpi_matches_oracle(model, kpi_id, expected, actual):
    want = {k: v for k, v in expected.items() if k[0] == kpi_id}
    got = {k: v for k, v in actual[model].items() if k[0] == kpi_id}
    assert want, f"the oracle produced no {kpi_id} rows: the generated data is too small"
    assert any(k[3] == "all" for k in got), f"{kpi_id} has no 'all' rows"
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, f"missing {missing[:5]}, unexpected {extra[:5]}"
    wrong = [(k, got[k], want[k]) for k in want
             if not all(_close(g, w) for g, w in zip(got[k], want[k]))]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. {wrong[:3]}"
