"""The funnel KPIs of kpi_values equal the oracle's, recomputed from the truth alone."""

from __future__ import annotations

import pytest

from funnel_oracle import funnel_kpis
from kpi_rows import assert_kpi_matches, kpi_rows

FUNNEL_KPIS = [
    "leads_created", "mqls", "sqls", "opportunities_created", "customers_won",
    "lead_to_mql_rate", "mql_to_sql_rate", "sql_to_opportunity_rate", "lead_to_customer_rate",
    "opportunity_win_rate", "mql_rejection_rate",
    "stage_duration_days", "stage_duration_days_median",
    "open_stage_spells", "open_stage_spell_age_days",
    "lead_to_close_days", "lead_to_close_days_median",
    "sales_cycle_days", "sales_cycle_days_median",
]


@pytest.fixture(scope="module")
def expected(build):
    return funnel_kpis(build.truth, build.as_of)


@pytest.fixture(scope="module")
def actual(build):
    return kpi_rows(build, "marts.kpi_values")


@pytest.mark.parametrize("kpi_id", FUNNEL_KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual)

