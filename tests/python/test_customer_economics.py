"""clv_trailing_12m, ltv_to_cac and cross_sell_upsell_campaign_success equal the oracle's."""

from __future__ import annotations

import math

import pytest

from economics_oracle import economics_kpis

MARTS = ["kpi_customer_economics", "kpi_expansion_campaigns"]
KPIS = ["clv_trailing_12m", "ltv_to_cac", "cross_sell_upsell_campaign_success"]


@pytest.fixture(scope="module")
def expected(build):
    return economics_kpis(build.truth, build.as_of)


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


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _close(a, b, tolerance=1e-9) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


@pytest.mark.parametrize("kpi_id", KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    want = {k: v for k, v in expected.items() if k[0] == kpi_id}
    got = {k: v for k, v in actual.items() if k[0] == kpi_id}
    assert want, f"the oracle produced no {kpi_id} rows: the generated data is too small"
    assert any(not _missing(v[0]) for v in want.values()), f"every {kpi_id} value is null"
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, f"missing {missing[:5]}, unexpected {extra[:5]}"
    wrong = [(k, got[k], want[k]) for k in want
             if not all(_close(g, w) for g, w in zip(got[k], want[k]))]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. {wrong[:3]}"


def test_campaign_success_has_both_outcomes(expected):
    """The data holds targeted customers who expanded and some who did not."""
    rows = [v for k, v in expected.items()
            if k[0] == "cross_sell_upsell_campaign_success" and k[3] == "all"]
    assert sum(v[1] for v in rows) > 0 and sum(v[2] - v[1] for v in rows) > 0
