"""An independent oracle for the pipeline and account-based marketing KPIs (catalogue
sections 1 and 6): pipeline_value, pipeline_value_weighted, abm_account_engagement,
abm_account_to_opportunity_rate, abm_win_rate and abm_pipeline_value.

It reads only the generator's truth folder (`truth/*.parquet` and `truth/clean/...`), never
our tables or seeds, and returns rows keyed like `kpi_values`:
(kpi_id, period_grain, period_start, dimension_name, dimension_value) ->
(value, numerator, denominator).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from identity_oracle import visitor_emails

REPORTING_CURRENCY = "EUR"
# Salesforce's default stage probabilities (%), the picklist of raw_sources.md
STAGE_PROBABILITY = {
    "Prospecting": 10, "Qualification": 10, "Needs Analysis": 20, "Value Proposition": 50,
    "Id. Decision Makers": 60, "Perception Analysis": 70, "Proposal/Price Quote": 75,
    "Negotiation/Review": 90, "Closed Won": 100, "Closed Lost": 0,
}
# the documented default engagement weights (var abm_engagement_weights)
WEIGHTS = {"web_session": 1.0, "web_minute": 0.1, "email_open": 1.0, "email_click": 3.0,
           "content_download": 5.0, "engaged_contact": 2.0}
SESSION_GAP_S = 1800

Key = tuple[str, str, dt.date, str, str]
Row = tuple[float | None, float | None, float | None]


def _clean(truth: Path, source: str, table: str) -> pd.DataFrame:
    return pd.read_parquet(truth / "clean" / source / f"{table}.parquet")


def _utc(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text, utc=True, format="ISO8601").dt.tz_localize(None)


def _seconds(ts: pd.Series) -> np.ndarray:
    """Seconds since the epoch, with their fraction."""
    return ts.astype("datetime64[us]").astype(np.int64).to_numpy() / 1_000_000


def _segments(truth: Path) -> dict[str, str]:
    accounts = pd.read_parquet(truth / "accounts.parquet")
    return {a: ("target" if t else "non_target")
            for a, t in zip(accounts["account_id"], accounts["is_abm_target"])}


def _rate(rates: pd.DataFrame, currency: str, day: dt.date) -> float:
    hit = rates[(rates["iso_code"] == currency) & (rates["start_date"] <= day)
                & (rates["next_start_date"] > day)]
    assert len(hit) == 1, (currency, day)
    return float(hit["conversion_rate"].iloc[0])


def pipeline_snapshots(truth: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    """Open opportunities at every month end (state at the end of the day) and at as_of."""
    opportunities = pd.read_parquet(truth / "opportunities.parquet")
    history = _clean(truth, "salesforce", "opportunity_history").sort_values(["created_date", "id"])
    rates = _clean(truth, "salesforce", "dated_conversion_rate")
    rates["start_date"] = pd.to_datetime(rates["start_date"].astype(str)).dt.date
    rates["next_start_date"] = pd.to_datetime(
        rates["next_start_date"].astype(str).replace("None", "9999-12-31")).dt.date
    segments = _segments(truth)

    first = opportunities["created_at"].min()
    month = pd.Timestamp(first.year, first.month, 1)
    snapshots = []
    while (end := month + pd.DateOffset(months=1)) <= as_of:
        snapshots.append(((end - pd.Timedelta(days=1)).date(), end))
        month = end
    snapshots.append((as_of.date(), as_of))

    by_opportunity = {o: g for o, g in history.groupby("opportunity_id")}
    rows = []
    for day, instant in snapshots:
        is_open = (opportunities["created_at"] < instant) & (
            opportunities["closed_at"].isna() | (opportunities["closed_at"] >= instant))
        for opp in opportunities[is_open].itertuples(index=False):
            own = by_opportunity.get(opp.opportunity_id)
            before = own[own["created_date"] < instant] if own is not None else None
            # catalogue: money at the FX rate of the transaction date; for a deal, its
            # (expected) close date as known with the amount
            if before is None or before.empty:
                stage, amount, probability, closes = None, opp.amount, None, opp.close_date
            else:
                last = before.iloc[-1]
                stage, amount, closes = last["stage_name"], last["amount"], last["close_date"]
                probability = STAGE_PROBABILITY[stage] / 100
            closes = pd.Timestamp(closes).date()
            converted = (amount / _rate(rates, opp.currency, closes)
                         * _rate(rates, REPORTING_CURRENCY, closes))
            rows.append({
                "snapshot_date": day, "is_as_of": instant == as_of and day == as_of.date(),
                "stage": stage or "unknown",
                "abm_target": segments.get(opp.account_id, "unknown"), "amount": converted,
                "weighted": None if probability is None else converted * probability})
    frame = pd.DataFrame(rows)
    frame["weighted"] = frame["weighted"].astype(float)
    return frame


def _sums(frame: pd.DataFrame, kpi_id: str, column: str, dimensions: list[str]) -> dict[Key, Row]:
    result = {}
    for name in dimensions:
        values = pd.Series("all", frame.index) if name == "all" else frame[name]
        for (day, value), group in frame.groupby(["snapshot_date", values])[column]:
            total = group.sum(min_count=1)
            total = None if pd.isna(total) else float(total)
            result[(kpi_id, "snapshot", day, name, value)] = (total, total, None)
    return result


def _account_people(truth: Path) -> pd.DataFrame:
    leads = _clean(truth, "salesforce", "lead")
    contacts = _clean(truth, "salesforce", "contact")
    leads = leads[leads["converted_account_id"].notna()]
    contacts = contacts[contacts["account_id"].notna()]
    people = pd.concat([
        pd.DataFrame({"account_id": leads["converted_account_id"], "record_type": "lead",
                      "record_id": leads["id"], "email": leads["email"]}),
        pd.DataFrame({"account_id": contacts["account_id"], "record_type": "contact",
                      "record_id": contacts["id"], "email": contacts["email"]}),
    ], ignore_index=True)
    people["email"] = people["email"].str.strip().str.lower()
    people["person"] = people["email"].fillna(people["record_id"])
    return people


def _sessions(truth: Path) -> pd.DataFrame:
    pages = _clean(truth, "segment", "pages")
    pages = pages[pages["anonymous_id"].notna()].copy()
    pages["at"] = _utc(pages["timestamp"])
    pages = pages.sort_values(["anonymous_id", "at", "id"], ignore_index=True)
    seconds = _seconds(pages["at"])
    same_visitor = pages["anonymous_id"].eq(pages["anonymous_id"].shift())
    gap = seconds - np.roll(seconds, 1)
    pages["new"] = ~same_visitor | (gap > SESSION_GAP_S)
    pages["session"] = pages["new"].cumsum()
    sessions = pages.groupby("session").agg(
        anonymous_id=("anonymous_id", "first"), started_at=("at", "min"), ended_at=("at", "max"))
    sessions["duration_s"] = (sessions["ended_at"] - sessions["started_at"]).dt.total_seconds()
    return sessions.reset_index()


def account_activities(truth: Path) -> pd.DataFrame:
    """(account, person, activity type, activity id, time, duration) of the accounts' people."""
    people = _account_people(truth)
    # the anonymous id's latest identify names its person (identity_oracle)
    identifies = visitor_emails(truth).rename_axis("anonymous_id").reset_index()
    identified = identifies.merge(
        people, on="email")[["anonymous_id", "account_id", "person"]].drop_duplicates()

    sessions = _sessions(truth).merge(identified, on="anonymous_id")
    web = pd.DataFrame({"account_id": sessions["account_id"], "person": sessions["person"],
                        "type": "web_session", "id": sessions["session"].astype(str),
                        "at": sessions["started_at"], "duration_s": sessions["duration_s"]})
    tracks = _clean(truth, "segment", "tracks")
    tracks = tracks[tracks["event"].str.lower() == "content_downloaded"].copy()
    tracks["at"] = _utc(tracks["timestamp"])
    tracks = tracks.merge(identified, on="anonymous_id")
    downloads = pd.DataFrame({"account_id": tracks["account_id"], "person": tracks["person"],
                              "type": "content_download", "id": tracks["id"], "at": tracks["at"],
                              "duration_s": 0})

    marketo = _clean(truth, "marketo", "lead")
    by_lead = marketo.merge(people[people["record_type"] == "lead"],
                            left_on="sfdc_lead_id", right_on="record_id")
    by_contact = marketo.merge(people[people["record_type"] == "contact"],
                               left_on="sfdc_contact_id", right_on="record_id")
    marketo_people = pd.concat([by_lead, by_contact])[
        ["id", "account_id", "person"]].drop_duplicates().rename(columns={"id": "lead_id"})
    emails = []
    for table, kind in [("activity_open_email", "email_open"),
                        ("activity_click_email", "email_click")]:
        activity = _clean(truth, "marketo", table).merge(marketo_people, on="lead_id")
        emails.append(pd.DataFrame({
            "account_id": activity["account_id"], "person": activity["person"], "type": kind,
            "id": activity["id"].astype(str), "at": activity["activity_date"], "duration_s": 0}))
    return pd.concat([web, downloads, *emails], ignore_index=True)


def weekly_engagement(truth: Path) -> pd.DataFrame:
    activities = account_activities(truth)
    activities["week"] = (activities["at"].dt.normalize()
                          - pd.to_timedelta(activities["at"].dt.day_of_week, unit="D")).dt.date
    unique = activities.drop_duplicates(["account_id", "week", "type", "id"])
    counts = unique.pivot_table(index=["account_id", "week"], columns="type", values="id",
                                aggfunc="count", fill_value=0)
    for kind in ("web_session", "email_open", "email_click", "content_download"):
        if kind not in counts:
            counts[kind] = 0
    counts["web_time_s"] = unique.groupby(["account_id", "week"])["duration_s"].sum()
    counts["engaged"] = activities.groupby(["account_id", "week"])["person"].nunique()
    counts["score"] = (WEIGHTS["web_session"] * counts["web_session"]
                       + WEIGHTS["web_minute"] * counts["web_time_s"] / 60
                       + WEIGHTS["email_open"] * counts["email_open"]
                       + WEIGHTS["email_click"] * counts["email_click"]
                       + WEIGHTS["content_download"] * counts["content_download"]
                       + WEIGHTS["engaged_contact"] * counts["engaged"])
    counts = counts.reset_index()
    segments = _segments(truth)
    counts["abm_target"] = counts["account_id"].map(segments).fillna("non_target")
    return counts


def _quarter(ts: pd.Timestamp) -> dt.date:
    return dt.date(ts.year, 3 * ((ts.month - 1) // 3) + 1, 1)


def abm_kpis(truth: Path, as_of: pd.Timestamp) -> dict[Key, Row]:
    kpis: dict[Key, Row] = {}
    snapshots = pipeline_snapshots(truth, as_of)
    dims = ["all", "stage", "abm_target"]
    kpis.update(_sums(snapshots, "pipeline_value", "amount", dims))
    kpis.update(_sums(snapshots, "pipeline_value_weighted", "weighted", dims))
    kpis.update(_sums(snapshots[snapshots["is_as_of"]], "abm_pipeline_value", "amount",
                      ["all", "abm_target"]))

    engagement = weekly_engagement(truth)
    for name in ("all", "abm_target"):
        values = pd.Series("all", engagement.index) if name == "all" else engagement[name]
        for (week, value), scores in engagement.groupby(["week", values])["score"]:
            total, n = float(scores.sum()), float(len(scores))
            kpis[("abm_account_engagement", "week", week, name, value)] = (total / n, total, n)

    opportunities = pd.read_parquet(truth / "opportunities.parquet")
    segments = _segments(truth)
    targets = {a for a, s in segments.items() if s == "target"}
    opportunities["quarter"] = opportunities["created_at"].map(_quarter)
    hits = opportunities[opportunities["account_id"].isin(targets)].groupby(
        "quarter")["account_id"].nunique()
    for quarter in opportunities["quarter"].unique():
        n = float(hits.get(quarter, 0))
        kpis[("abm_account_to_opportunity_rate", "quarter", quarter, "all", "all")] = (
            n / len(targets), n, float(len(targets)))

    # catalogue section 6: opportunity_win_rate restricted to target accounts, so the same
    # deals: opportunities converted from a lead, not renewals or upsells of the base
    closed = opportunities[opportunities["outcome"].isin(["won", "lost"])
                           & opportunities["lead_id"].notna()].copy()
    closed["month"] = closed["closed_at"].map(lambda t: dt.date(t.year, t.month, 1))
    closed["abm_target"] = closed["account_id"].map(segments).fillna("unknown")
    closed["won"] = (closed["outcome"] == "won").astype(int)
    for name in ("all", "abm_target"):
        values = pd.Series("all", closed.index) if name == "all" else closed[name]
        for (month, value), won in closed.groupby(["month", values])["won"]:
            kpis[("abm_win_rate", "month", month, name, value)] = (
                won.sum() / len(won), float(won.sum()), float(len(won)))
    return kpis
