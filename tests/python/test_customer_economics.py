"""clv_trailing_12m, ltv_to_cac and cross_sell_upsell_campaign_success equal the oracle's."""

from __future__ import annotations

import math

import pytest

from economics_oracle import economics_kpis
from kpi_rows import assert_kpi_matches, kpi_rows, registered_kpis

MARTS = ["kpi_customer_economics", "kpi_expansion_campaigns"]
KPIS = registered_kpis(*MARTS)


@pytest.fixture(scope="module")
def expected(build):
    return economics_kpis(build.truth, build.as_of)


@pytest.fixture(scope="module")
def actual(build):
    # the marts, not kpi_values: the lead engineer unions them in
    union = " union all ".join(f"select * from marts.{m}" for m in MARTS)
    return kpi_rows(build, f"({union}) as kpis")


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@pytest.mark.parametrize("kpi_id", KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual)
    want = [v for k, v in expected.items() if k[0] == kpi_id]
    assert any(not _missing(v[0]) for v in want), f"every {kpi_id} value is null"


def test_campaign_success_has_both_outcomes(expected):
    """The data holds targeted customers who expanded and some who did not."""
    rows = [v for k, v in expected.items()
            if k[0] == "cross_sell_upsell_campaign_success" and k[3] == "all"]
    assert sum(v[1] for v in rows) > 0 and sum(v[2] - v[1] for v in rows) > 0
