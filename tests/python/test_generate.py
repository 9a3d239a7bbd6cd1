"""The data generator: determinism, the raw contract, and the truth's invariants."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pv
import pyarrow.parquet as pq
import pytest

from b2bkpi.generate import generate, main
from b2bkpi.generator.truth import SCHEMAS
from b2bkpi.raw_contract import TABLES

START, END = date(2024, 1, 1), date(2024, 12, 31)
N_LEADS = 600
ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
         "date": pa.date32(), "timestamp": pa.timestamp("us"), "timestamp_text": pa.string()}
STATUSES = {"Open - Not Contacted", "Working - Contacted", "Nurturing", "Marketing Qualified",
            "Sales Accepted", "Sales Qualified", "Disqualified", "Closed - Converted",
            "Closed - Not Converted"}
CHANNELS = {"Organic Search": "organic", "Paid Search": "paid_search", "Paid Social": "paid_social",
            "Email": "email", "Event": "events", "Referral": "referral", "Direct": "direct"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    counts = generate(root / "raw", root / "truth", 42, N_LEADS, START, END, log=lambda _: None)
    return root, counts


def raw(root, source, table) -> pd.DataFrame:
    path = root / "raw" / source
    if (path / f"{table}.csv").exists():
        return pd.read_csv(path / f"{table}.csv", dtype=str, keep_default_na=False)
    return pq.read_table(path / f"{table}.parquet").to_pandas()


def truth(root, name) -> pd.DataFrame:
    return pq.read_table(root / "truth" / f"{name}.parquet").to_pandas()


def digest(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_files(run, tmp_path):
    root, counts = run
    again = generate(tmp_path / "raw", tmp_path / "truth", 42, N_LEADS, START, END,
                     log=lambda _: None)
    assert again == counts
    assert digest(tmp_path) == digest(root)
    other = generate(tmp_path / "other", tmp_path / "other_truth", 43, N_LEADS, START, END,
                     log=lambda _: None)
    assert other != counts


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="before"):
        generate(tmp_path, tmp_path, 1, 10, END, START)
    with pytest.raises(ValueError, match="at least 1"):
        generate(tmp_path, tmp_path, 1, 0, START, END)
    for argv in (["--leads", "0"], ["--start", "2025-01-02", "--end", "2025-01-01"],
                 ["--start", "2025-13-01"]):
        with pytest.raises(SystemExit) as error:
            main(["--out", str(tmp_path), *argv])
        assert error.value.code == 2


def test_every_contract_table_has_its_columns_and_types(run):
    root, counts = run
    assert set(counts) == {f"{t.source}/{t.name}" for t in TABLES}
    for table in TABLES:
        path = root / "raw" / table.source / table.file_name
        assert path.exists(), path
        if table.file_format == "csv":
            header = pv.read_csv(path).column_names
            assert header == list(table.columns), path
            continue
        schema = pq.read_schema(path)
        extra = set(schema.names) - set(table.columns)
        assert not extra or (table.name in ("lead", "opportunity") and len(extra) <= 2), (path, extra)
        for column, logical in table.columns.items():
            actual = schema.field(column).type
            if table.source == "marketo" and column in ("activity_date", "created_at", "updated_at"):
                assert actual == pa.timestamp("us", tz="America/Chicago"), (path, column)
            else:
                assert actual == ARROW[logical], (path, column, actual)


def test_csv_and_text_values_parse(run):
    root, _ = run
    costs = raw(root, "finance", "marketing_sales_costs")
    assert costs["month"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert set(costs["currency"]) == {"EUR", "USD"}
    assert (costs["channel"] == "").any() and set(costs.loc[costs["category"] == "ads", "channel"]) == {
        "paid_search", "paid_social"}
    scores = raw(root, "surveys", "enps_responses")["score"]
    assert scores[scores != ""].astype(int).between(0, 10).all()  # '' = unscored, a reject
    pd.to_datetime(raw(root, "social", "page_daily_stats")["date"], format="%Y-%m-%d")
    stamps = raw(root, "segment", "pages")["timestamp"]
    pattern = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"
    assert stamps.str.fullmatch(pattern).all()
    assert stamps.str[-6:].nunique() >= 4  # visitors in several time zones


def test_costs_cover_the_range_only(run):
    """The finance export, like the other systems' extracts, starts with the range: a month of
    cost before any lead or touch would report an ROI of -100 %."""
    root, _ = run
    months = pd.to_datetime(raw(root, "finance", "marketing_sales_costs")["month"],
                            format="%Y-%m")
    assert months.min() == pd.Timestamp(START) and months.max() == pd.Timestamp(END).replace(day=1)


def test_nothing_happens_after_the_end(run):
    root, _ = run
    limit = np.datetime64(datetime(END.year, END.month, END.day, 23, 59, 59), "us")
    for table in TABLES:
        if table.file_format == "csv":
            continue
        frame = raw(root, table.source, table.name)
        for column, logical in table.columns.items():
            if logical == "timestamp" and frame[column].notna().any():
                values = pd.to_datetime(frame[column], utc=True).dt.tz_localize(None)
                assert values.max() <= limit, (table.name, column)


def test_row_accounting_adds_up(run):
    root, counts = run
    rows = truth(root, "expected_row_counts")
    assert len(rows) == len(TABLES)
    for row in rows.itertuples():
        assert row.raw_rows == counts[f"{row.source}/{row.table_name}"]
        assert row.raw_rows == row.staged_rows + row.duplicate_rows + row.deleted_rows + row.rejected_rows
        if row.source in ("salesforce", "marketo") and row.raw_rows >= 50:
            assert row.duplicate_rows >= 1, row.table_name
    salesforce = rows[rows["source"] == "salesforce"].set_index("table_name")
    assert salesforce.loc["lead", "staged_rows"] == N_LEADS == len(truth(root, "leads"))
    assert salesforce.loc["lead", "deleted_rows"] >= 1
    assert salesforce.loc["opportunity", "staged_rows"] == len(truth(root, "opportunities"))


def test_rejects_are_in_raw_and_not_in_truth(run):
    root, _ = run
    rejects = truth(root, "expected_rejects")
    assert set(rejects["reason_code"]) == {"orphan_reference", "missing_required_value", "unknown_currency"}
    lead = raw(root, "salesforce", "lead")
    history = raw(root, "salesforce", "lead_history")
    opportunity = raw(root, "salesforce", "opportunity")
    for row in rejects[rejects["source"] == "salesforce"].itertuples():
        table = {"lead": lead, "lead_history": history, "opportunity": opportunity}[row.table_name]
        assert (table["id"] == row.record_id).sum() == 1
    # survey responses without a score: in the raw export, not in the clean table
    responses = raw(root, "surveys", "enps_responses")
    unscored = rejects.loc[rejects["table_name"] == "enps_responses", "record_id"]
    assert len(unscored) >= 1
    assert set(unscored) == set(responses.loc[responses["score"] == "", "response_id"])
    clean = pd.read_parquet(root / "truth" / "clean" / "surveys" / "enps_responses.parquet")
    assert not clean["response_id"].isin(unscored).any() and clean["score"].notna().all()
    orphans = rejects.loc[rejects["reason_code"] == "orphan_reference", "record_id"]
    assert not history.loc[history["id"].isin(orphans), "lead_id"].isin(lead["id"]).any()
    assert lead.loc[lead["id"].isin(rejects["record_id"]), "created_date"].isna().all()
    assert not truth(root, "leads")["lead_id"].isin(rejects["record_id"]).any()
    assert not truth(root, "opportunities")["opportunity_id"].isin(rejects["record_id"]).any()


def test_truth_files_have_their_schemas(run):
    root, _ = run
    for name, schema in SCHEMAS.items():
        assert pq.read_schema(root / "truth" / f"{name}.parquet") == pa.schema(schema), name


def test_truth_leads_are_clean_and_match_the_latest_raw_rows(run):
    root, _ = run
    leads = truth(root, "leads")
    assert leads["lead_id"].is_unique
    assert (leads["email"] == leads["email"].str.strip().str.lower()).all()
    assert (leads["lead_source"].map(CHANNELS) == leads["channel"]).all()
    assert (leads["is_abm_target"].isna() == leads["account_id"].isna()).all()
    visited = leads[leads["first_visit_at"].notna()]
    assert (visited["first_visit_at"] <= visited["created_at"]).all()
    assert leads["campaign_id"].notna().mean() > 0.5 and len(visited) > 0.5 * len(leads)
    all_rows = raw(root, "salesforce", "lead")
    lead = all_rows.sort_values("_fivetran_synced").drop_duplicates("id", keep="last")
    latest = leads.merge(lead, left_on="lead_id", right_on="id")
    assert len(latest) == len(leads) and not latest["is_deleted"].any()
    assert (latest["owner_id_x"] == latest["owner_id_y"]).all()
    assert (latest["email_x"] == latest["email_y"].str.strip().str.lower()).all()
    rejected = latest["status"].str.lower() == "disqualified"
    assert (latest["disqualification_reason"].notna() == rejected).all()
    # re-synced older versions and other casing are there for staging to undo
    versions = all_rows.groupby("id")["status"].agg(lambda s: s.str.lower().nunique())
    assert (versions > 1).any()
    statuses = all_rows["status"]
    assert (~statuses.isin(STATUSES)).any()
    assert statuses.str.lower().isin({s.lower() for s in STATUSES}).all()


def test_truth_lifecycle_has_the_hard_cases(run):
    root, _ = run
    events = truth(root, "lead_status_events")
    leads = truth(root, "leads").set_index("lead_id")
    assert set(events["status"]) <= STATUSES - {"Open - Not Contacted"}
    assert (events["changed_at"] > leads.loc[events["lead_id"], "created_at"].to_numpy()).all()
    by_lead = events.groupby("lead_id")["status"].agg(list)
    mql, sql = "Marketing Qualified", {"Sales Accepted", "Sales Qualified"}
    assert (by_lead.map(lambda s: s.count(mql)) >= 2).any()  # re-qualified after recycling
    assert by_lead.map(lambda s: mql not in s and "Closed - Converted" in s).any()  # skipped MQL
    assert by_lead.map(lambda s: any(a in sql | {mql} and b == "Nurturing"
                                     for a, b in zip(s, s[1:]))).any()  # went back
    share_mql = by_lead.map(lambda s: mql in s).sum() / N_LEADS
    assert 0.25 < share_mql < 0.45
    history = raw(root, "salesforce", "lead_history")
    status_rows = history[(history["field"] == "Status") & history["lead_id"].isin(leads.index)]
    assert status_rows["id"].nunique() == len(events)


def test_truth_opportunities_follow_the_history(run):
    root, _ = run
    opps = truth(root, "opportunities")
    closed = opps[opps["outcome"].notna()]
    assert opps["closed_at"].notna().equals(opps["outcome"].notna())
    assert (closed["closed_at"].dt.date == closed["close_date"]).all()
    assert set(opps["currency"]) <= {"EUR", "USD", "GBP", "CHF"}
    history = raw(root, "salesforce", "opportunity_history")
    without = closed[~closed["opportunity_id"].isin(history["opportunity_id"])]
    assert len(without) >= 1 and (without["closed_at"] == pd.to_datetime(without["close_date"])).all()
    from_leads = opps[opps["lead_id"].notna()]
    # a lead converted at a customer account may open an upsell or cross-sell
    assert set(from_leads["type"]) <= {"New Business", "Upsell", "Cross-sell"}
    assert (from_leads["type"] == "New Business").mean() > 0.5
    converted = truth(root, "lead_status_events").query("status == 'Closed - Converted'")
    joined = from_leads.merge(converted, on="lead_id")
    assert len(joined) == len(from_leads) and (joined["created_at"] == joined["changed_at"]).all()
    nb_closed = closed[closed["type"] == "New Business"]
    assert 0.15 < (nb_closed["outcome"] == "won").mean() < 0.45
    assert {"Renewal", "Upsell", "Cross-sell"} & set(opps["type"])


def test_contracts_have_every_status_and_one_live_subscription(run):
    """Draft, Expired and Terminated contracts exist beside the activated ones (so the rule
    'a customer has an Activated contract' is exercised), and an account runs one
    subscription at a time: the activated contracts covering a day all end together (later
    deals are co-termed add-ons, a renewal starts the day after its contract ends)."""
    root, _ = run
    contracts = raw(root, "salesforce", "contract")
    assert {"Activated", "Draft", "Expired", "Terminated"} <= set(contracts["status"])
    activated = truth(root, "contracts").query("status == 'Activated'")
    for _, own in activated.groupby("account_id"):
        for day in own["start_date"]:
            covering = own[(own["start_date"] <= day) & (own["end_date"] >= day)]
            assert covering["end_date"].nunique() == 1, covering


def test_marketo_activities_depend_on_each_other(run):
    root, _ = run
    def pairs(table):
        frame = raw(root, "marketo", table)
        return set(zip(frame["lead_id"], frame["email_template_id"]))
    assert pairs("activity_open_email") <= pairs("activity_email_delivered") <= pairs("activity_send_email")
    assert pairs("activity_click_email") <= pairs("activity_open_email")
    assert not pairs("activity_email_bounced") & pairs("activity_email_delivered")


def test_sessions_truth_matches_the_thirty_minute_rule(run):
    root, _ = run
    pages = raw(root, "segment", "pages")
    pages["ts"] = pd.to_datetime(pages["timestamp"], utc=True, format="ISO8601")
    pages = pages.sort_values(["anonymous_id", "ts"])
    gap = pages.groupby("anonymous_id")["ts"].diff()
    sessions = (gap.isna() | (gap > pd.Timedelta(minutes=30))).sum()
    expected = truth(root, "sessions")
    assert sessions == len(expected)
    assert set(expected["channel"]) == {"organic", "direct", "paid_search", "paid_social",
                                        "referral", "email"}
    paid = pages[pages["context_campaign_medium"].isin(["cpc", "paid_social"])]
    spend = truth(root, "ad_spend_daily")
    assert set(paid["context_campaign_name"]) <= set(spend["campaign_name"])
    assert re.fullmatch(r"[0-9a-f-]{36}", pages["anonymous_id"].iat[0])


def test_daily_loads_hold_the_contact_of_every_converted_lead(tmp_path):
    """A day's load never names a contact the loads so far do not hold (the daily run's
    relationship test on int_people.contact_id): the lead's and the contact's syncs lag
    independently, so the contact is moved up to its converted lead's load. This seed and
    range had a contact landing a day after its lead."""
    n_days = 60
    generate(tmp_path / "raw", tmp_path / "truth", 42, N_LEADS, START, END, log=lambda _: None,
             daily_increments=n_days)
    folders = ["base", *(f"day_{k}" for k in range(1, n_days + 1))]

    def landed(table: str) -> pd.DataFrame:
        parts = [pd.read_parquet(tmp_path / "raw" / folder / "salesforce" / f"{table}.parquet")
                 for folder in folders]
        return pd.concat([part.assign(day=k) for k, part in enumerate(parts)])

    leads, contacts = landed("lead"), landed("contact")
    first_lead = leads.dropna(subset=["converted_contact_id"]) \
        .groupby("converted_contact_id")["day"].min()
    first_contact = contacts.groupby("id")["day"].min().reindex(first_lead.index)
    assert first_lead.size > 50
    late = first_lead[~(first_contact <= first_lead)]
    assert late.empty, f"contacts landing after their converted lead: {late.to_dict()}"
