"""The cost, revenue, retention and ABM customer KPIs equal the oracle's, from the truth."""

from __future__ import annotations

import math

import pytest

from revenue_oracle import revenue_kpis

MARTS = ["kpi_acquisition_cost", "kpi_customer_value", "kpi_retention", "kpi_abm_customers"]
REVENUE_KPIS = [
    "cost_per_lead", "cost_per_opportunity", "cac", "cac_paid", "cac_payback_months",
    "revenue", "clv", "clv_historical",
    "customer_retention_rate", "customer_churn_rate", "expansion_rate",
    "net_revenue_retention", "gross_revenue_retention",
    "abm_retention", "abm_expansion", "abm_clv",
]


@pytest.fixture(scope="module")
def expected(build):
    return revenue_kpis(build.truth, build.as_of)


@pytest.fixture(scope="module")
def actual(build):
    # the marts, not kpi_values: the lead engineer unions them in
    union = " union all ".join(f"select * from marts.{m}" for m in MARTS)
    frame = build.query(
        "select kpi_id, period_grain, period_start, dimension_name, dimension_value,"
        f" value, numerator, denominator from ({union}) as kpis"
    )
    return {
        (r.kpi_id, r.period_grain, r.period_start.date() if hasattr(r.period_start, "date")
         else r.period_start, r.dimension_name, r.dimension_value):
        (r.value, r.numerator, r.denominator)
        for r in frame.itertuples(index=False)
    }


def _close(a, b, tolerance=1e-9) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return False
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


@pytest.mark.parametrize("kpi_id", REVENUE_KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    want = {k: v for k, v in expected.items() if k[0] == kpi_id}
    got = {k: v for k, v in actual.items() if k[0] == kpi_id}
    assert want, f"the oracle produced no {kpi_id} rows: the generated data is too small"
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, f"missing {missing[:5]}, unexpected {extra[:5]}"
    wrong = [(k, got[k], want[k]) for k in want
             if not all(_close(g, w) for g, w in zip(got[k], want[k]))]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. {wrong[:3]}"
