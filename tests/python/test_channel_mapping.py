"""One channel, one mapping: every channel value of every source (lead source, campaign type,
finance channel, ad platform, UTM) goes through the `channel_mapping` seed whatever its casing
or plural, and a value the seed does not list is warned by name.

A small generated extract, hand-edited as a user's would be: lead sources `Events` and
`events` for the generator's `Event`, campaign types `Event` (for Trade Show) and `webinars`,
the finance channel `Events`, and one lead source nobody mapped (`Podcast`). Expected channels
come from the generator's truth (the lead's channel; webinars and trade shows are events), not
from the seed.
"""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pandas as pd
import pytest
from conftest import run_dbt

from b2bkpi.generate import generate
from b2bkpi.load import load_folder

SEED, LEADS = 11, 300
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
AS_OF = "2025-01-01 00:00:00"
UNMAPPED = "Podcast"


def _plant(raw) -> dict:
    sf = raw / "salesforce"
    lead = pd.read_parquet(sf / "lead.parquet", dtype_backend="pyarrow")
    event_rows = lead.index[lead["lead_source"] == "Event"]
    assert len(event_rows) >= 4
    lead.loc[event_rows, "lead_source"] = ["Events", " events"] * (len(event_rows) // 2) \
        + ["Events"] * (len(event_rows) % 2)
    podcast = lead[(lead["lead_source"] == "Organic Search") & ~lead["is_deleted"]
                   & lead["created_date"].notna()]["id"].iloc[0]
    lead.loc[lead["id"] == podcast, "lead_source"] = UNMAPPED
    lead.to_parquet(sf / "lead.parquet")

    campaign = pd.read_parquet(sf / "campaign.parquet", dtype_backend="pyarrow")
    renamed = {"Trade Show": "Event", "Webinar": "webinars"}
    events = campaign.loc[campaign["type"].isin(list(renamed)), "name"].tolist()
    campaign["type"] = campaign["type"].replace(renamed)
    campaign.to_parquet(sf / "campaign.parquet")

    costs = raw / "finance/marketing_sales_costs.csv"
    frame = pd.read_csv(costs, dtype=str, keep_default_na=False)
    assert (frame["channel"] == "events").any()
    frame["channel"] = frame["channel"].replace({"events": "Events"})
    frame.to_csv(costs, index=False)
    return {"podcast_lead": podcast, "event_campaigns": events}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("channel_mapping")
    generate(folder / "raw", folder / "truth", SEED, LEADS, START, END)
    cases = _plant(folder / "raw")
    database = folder / "warehouse.duckdb"
    load_folder(folder / "raw", database, log=lambda message: None)
    result = run_dbt(database, "build", "--exclude", "resource_type:unit_test",
                     "--vars", f"{{lifecycle_as_of: '{AS_OF}'}}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]

    def query(sql: str) -> pd.DataFrame:
        with duckdb.connect(str(database), read_only=True) as con:
            return con.execute(sql).df()

    return query, folder / "truth", cases, database, result.stdout


def test_every_lead_has_its_true_channel_whatever_the_spelling(planted):
    query, truth, cases, _, _ = planted
    expected = pd.read_parquet(truth / "leads.parquet").set_index("lead_id")["channel"]
    expected[cases["podcast_lead"]] = "unknown"  # unmapped, so unknown (and warned)
    got = query("select lead_id, channel from marts.fct_lead_lifecycle").set_index("lead_id")
    assert (got["channel"] == expected.reindex(got.index)).all(), \
        got[got["channel"] != expected.reindex(got.index)].head()
    spelled = query("select distinct lead_source from marts.fct_lead_lifecycle"
                    " where channel = 'events'")["lead_source"]
    assert {"Events", "events"} <= set(spelled)  # and the generator's own casing mess


def test_event_and_webinar_campaign_responses_are_events(planted):
    query, _, cases, _, _ = planted
    names = "', '".join(name.replace("'", "''") for name in cases["event_campaigns"])
    channels = query("select channel, count(*) as touches from marts.fct_touchpoints"
                     f" where touch_type = 'campaign_response' and campaign in ('{names}')"
                     " group by channel")
    assert channels["channel"].tolist() == ["events"] and channels["touches"].item() > 0


def test_finance_channel_events_is_the_events_channel(planted):
    query, _, _, _, _ = planted
    channels = query("select distinct channel from intermediate.int_marketing_sales_costs_monthly"
                     " where cost_source = 'finance'")["channel"]
    assert set(channels.dropna()) == {"events"} and channels.isna().any()
    cost_rows = query("select distinct dimension_value from marts.kpi_values"
                      " where kpi_id = 'cost_per_lead' and dimension_name = 'channel'")
    assert "events" in set(cost_rows["dimension_value"])
    assert "Events" not in set(cost_rows["dimension_value"])


def test_only_the_unmapped_value_is_listed_as_unmapped(planted):
    query, _, _, _, _ = planted
    unmapped = query("select source_field, source_value, row_count"
                     " from intermediate.int_channel_values where not is_mapped")
    assert unmapped.to_dict("records") == [
        {"source_field": "lead_source", "source_value": UNMAPPED, "row_count": 1}]


def test_unmapped_value_is_warned_by_name(planted, tmp_path):
    from b2bkpi.quality import run_suites

    _, _, _, database, dbt_output = planted
    assert "Warning in test warn_unmapped_channel_values" in dbt_output, dbt_output[-3000:]
    results = run_suites(database, tmp_path / "docs", layers=("marts",), log=lambda m: None)
    warned = {c.suite: c.detail for c in results.warnings}
    assert warned["intermediate.int_channel_values"] == f"1 rows, e.g. 'lead_source: {UNMAPPED}' (1)"
