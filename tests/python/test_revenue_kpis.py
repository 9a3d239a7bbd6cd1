"""The cost, revenue, retention and ABM customer KPIs equal the oracle's, from the truth."""

from __future__ import annotations

import pytest

from kpi_rows import assert_kpi_matches, kpi_rows, registered_kpis
from revenue_oracle import revenue_kpis

MARTS = ["kpi_acquisition_cost", "kpi_customer_value", "kpi_retention", "kpi_abm_customers"]
REVENUE_KPIS = registered_kpis(*MARTS)


@pytest.fixture(scope="module")
def expected(build):
    return revenue_kpis(build.truth, build.as_of)


@pytest.fixture(scope="module")
def actual(build):
    # the marts, not kpi_values: the lead engineer unions them in
    union = " union all ".join(f"select * from marts.{m}" for m in MARTS)
    return kpi_rows(build, f"({union}) as kpis")


@pytest.mark.parametrize("kpi_id", REVENUE_KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual)
