"""The funnel KPIs of kpi_values equal the oracle's, recomputed from the truth alone."""

from __future__ import annotations

import math

import pytest

from funnel_oracle import funnel_kpis

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
    frame = build.query(
        "select kpi_id, period_grain, period_start, dimension_name, dimension_value,"
        " value, numerator, denominator from marts.kpi_values"
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


@pytest.mark.parametrize("kpi_id", FUNNEL_KPIS)
def test_kpi_matches_oracle(kpi_id, expected, actual):
    want = {k: v for k, v in expected.items() if k[0] == kpi_id}
    got = {k: v for k, v in actual.items() if k[0] == kpi_id}
    assert want, f"the oracle produced no {kpi_id} rows: the generated data is too small"
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, f"missing {missing[:5]}, unexpected {extra[:5]}"
    wrong = [(k, got[k], want[k]) for k in want
             if not all(_close(g, w) for g, w in zip(got[k], want[k]))]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. {wrong[:3]}"

