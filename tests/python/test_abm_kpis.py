"""The pipeline and ABM KPIs equal the oracle's, recomputed from the truth alone."""

from __future__ import annotations

import pytest

from abm_oracle import abm_kpis
from kpi_rows import assert_kpi_matches, kpi_rows, registered_kpis

KPIS = {model: registered_kpis(model) for model in ("kpi_pipeline", "kpi_abm")}
CASES = [(model, kpi_id) for model, kpi_ids in KPIS.items() for kpi_id in kpi_ids]


@pytest.fixture(scope="module")
def expected(build):
    return abm_kpis(build.truth, build.as_of)


@pytest.fixture(scope="module")
def actual(build):
    return {model: kpi_rows(build, f"marts.{model}") for model in KPIS}


@pytest.mark.parametrize(("model", "kpi_id"), CASES)
def test_kpi_matches_oracle(model, kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual[model], require_all_rows=True)
