"""Touchpoints, the six attribution models' credits and the marketing_roi / roas KPIs equal
the oracle's, recomputed from the truth alone; every model credits the total won revenue."""

from __future__ import annotations

import pandas as pd
import pytest

from attribution_oracle import MODELS, attribution_kpis, credits, touchpoints
from kpi_rows import assert_kpi_matches, close, kpi_rows, registered_kpis
from revenue_oracle import Fx, won_opportunities

TOUCH_COLUMNS = ["touch_type", "touched_at", "channel", "campaign", "platform", "lead_id",
                 "contact_id", "account_id"]


def _key(value):
    return None if pd.isna(value) else value


@pytest.fixture(scope="module")
def expected_credits(build):
    return credits(build.truth)


@pytest.fixture(scope="module")
def actual_credits(build):
    frame = build.query("select opportunity_id, attribution_model, touchpoint_id,"
                        " credited_amount from marts.fct_attribution")
    return {(r.opportunity_id, r.attribution_model, _key(r.touchpoint_id)): r.credited_amount
            for r in frame.itertuples(index=False)}


def test_touchpoints_match_oracle(build):
    want = touchpoints(build.truth).set_index("touchpoint_id")
    got = build.query("select * from marts.fct_touchpoints").set_index("touchpoint_id")
    assert len(want) > 1000, "the generated data has too few touches"
    assert set(want.index) == set(got.index)
    want = want.loc[got.index]
    for column in TOUCH_COLUMNS:
        left, right = want[column], got[column]
        differs = ~((left == right) | (left.isna() & right.isna()))
        assert not differs.any(), f"{column}: {differs.sum()} touches differ"


@pytest.mark.parametrize("model", MODELS)
def test_credits_match_oracle(model, expected_credits, actual_credits):
    want = {k: v for k, v in expected_credits.items() if k[1] == model}
    got = {k: v for k, v in actual_credits.items() if k[1] == model}
    assert any(k[2] is not None for k in want), "the oracle attributed nothing"
    missing, extra = sorted(set(want) - set(got), key=str), sorted(set(got) - set(want), key=str)
    assert not missing and not extra, f"missing {missing[:5]}, unexpected {extra[:5]}"
    wrong = [(k, got[k], want[k]) for k in want if not close(got[k], want[k])]
    assert not wrong, f"{len(wrong)} of {len(want)} credits differ, e.g. {wrong[:3]}"


@pytest.mark.parametrize("model", MODELS)
def test_credits_sum_to_won_revenue(build, model, actual_credits):
    won = won_opportunities(build.truth, Fx(build.truth))
    credited = sum(v for k, v in actual_credits.items() if k[1] == model)
    assert close(credited, won["amount_eur"].sum(), 1e-6)


@pytest.mark.parametrize("kpi_id", registered_kpis("kpi_attribution"))
def test_kpi_matches_oracle(build, kpi_id):
    actual = kpi_rows(build, "marts.kpi_attribution")
    assert_kpi_matches(kpi_id, attribution_kpis(build.truth), actual, require_all_rows=True)
