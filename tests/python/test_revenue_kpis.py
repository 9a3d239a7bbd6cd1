"""The cost, revenue, retention and ABM customer KPIs equal the oracle's, from the truth."""

from __future__ import annotations

import pytest

from kpi_rows import assert_kpi_matches, kpi_rows
from revenue_oracle import revenue_kpis

MARTS = ["kpi_acquisition_cost", "kpi_customer_value", "kpi_retention", "kpi_abm_customers"]
REVENUE_KPIS = [
    "cost_per_lead", "cost_per_opportunity", "cac", "cac_marketing", "cac_paid",
    "cac_payback_months", "revenue", "clv", "clv_historical", "clv_lifetime_months",
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
    return kpi_rows(build, f"({union}) as kpis")


@pytest.mark.parametrize("kpi_id", REVENUE_KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual)
