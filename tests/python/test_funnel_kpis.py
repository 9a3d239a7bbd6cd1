"""The funnel KPIs of kpi_values equal the oracle's, recomputed from the truth alone."""

from __future__ import annotations

import pytest

from funnel_oracle import funnel_kpis
from kpi_rows import assert_kpi_matches, kpi_rows, registered_kpis

FUNNEL_KPIS = registered_kpis("kpi_funnel_stage_counts", "kpi_funnel_conversion_rates",
                              "kpi_mql_rejections", "kpi_stage_durations", "kpi_sales_cycle")


@pytest.fixture(scope="module")
def expected(build):
    return funnel_kpis(build.truth, build.as_of)


@pytest.fixture(scope="module")
def actual(build):
    return kpi_rows(build, "marts.kpi_values")


@pytest.mark.parametrize("kpi_id", FUNNEL_KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual)

