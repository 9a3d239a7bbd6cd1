"""The marketing-channel KPIs (catalogue section 3) and their intermediate models equal the
oracle's, recomputed from the truth alone."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi_rows import assert_kpi_matches, kpi_rows, registered_kpis
from marketing_oracle import marketing_kpis

KPI_MODELS = {model: registered_kpis(model)
              for model in ("kpi_web_sessions", "kpi_email", "kpi_social", "kpi_ads")}
CASES = [(model, kpi_id) for model, kpi_ids in KPI_MODELS.items() for kpi_id in kpi_ids]


@pytest.fixture(scope="module")
def expected(build):
    return marketing_kpis(build.truth)


@pytest.fixture(scope="module")
def actual(build):
    return {k: v for model in KPI_MODELS for k, v in kpi_rows(build, f"marts.{model}").items()}


@pytest.mark.parametrize("model,kpi_id", CASES)
def test_kpi_matches_oracle(model, kpi_id, expected, actual):
    assert_kpi_matches(kpi_id, expected, actual)


def test_web_sessions_match_truth(build):
    """Every generated session, with the generator's channel, landing page, pages and form
    fill; the UTM campaign of paid sessions (the truth names only ad campaigns)."""
    truth = pd.read_parquet(build.truth / "sessions.parquet")
    ours = build.query("select * from intermediate.int_web_sessions")
    merged = truth.merge(ours, left_on=["anonymous_id", "session_start"],
                         right_on=["anonymous_id", "started_at"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged["_merge"].value_counts().to_dict()
    assert (merged["session_end"] == merged["ended_at"]).all()
    for column in ("page_count", "landing_path", "channel", "is_bounce"):
        assert (merged[f"{column}_x"] == merged[f"{column}_y"]).all(), column
    assert (merged["has_form_fill"] == merged["has_conversion"]).all()
    paid = merged[merged["channel_x"].isin(["paid_search", "paid_social"])]
    assert (paid["utm_campaign_x"] == paid["utm_campaign_y"]).all()


def test_ad_spend_daily_matches_truth(build):
    truth = pd.read_parquet(build.truth / "ad_spend_daily.parquet")
    truth["date"] = truth["date"].map(lambda d: pd.Timestamp(d).date())
    ours = build.query("select * from intermediate.int_ad_spend_daily")
    ours["date"] = ours["spend_date"].map(lambda d: pd.Timestamp(d).date())
    merged = truth.merge(ours, on=["date", "platform", "campaign_id"], how="outer",
                         indicator=True)
    assert (merged["_merge"] == "both").all(), merged["_merge"].value_counts().to_dict()
    for column in ("impressions", "clicks", "campaign_name"):
        assert (merged[f"{column}_x"] == merged[f"{column}_y"]).all(), column
    assert (merged["currency"] == merged["currency_code"]).all()
    assert ((merged["spend_x"] - merged["spend_y"]).abs() <= 1e-9).all()
