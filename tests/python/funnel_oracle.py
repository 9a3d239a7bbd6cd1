"""An independent oracle for the funnel KPIs (catalogue section 1).

It reads only the generator's truth folder (the canonical events, never our tables or
seeds) and applies the catalogue's definitions in plain pandas, producing rows keyed like
`kpi_values`: (kpi_id, period_grain, period_start, dimension_name, dimension_value) ->
(value, numerator, denominator).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

# raw_sources.md, "Default picklists": which lead status means which lifecycle stage
STATUS_STAGE = {
    "open - not contacted": "lead",
    "working - contacted": "lead",
    "nurturing": "lead",
    "marketing qualified": "mql",
    "sales accepted": "sql",
    "sales qualified": "sql",
    "disqualified": "disqualified",
    "closed - not converted": "disqualified",
    "closed - converted": None,  # conversion: the opportunity times the next stage
}
STAGE_ORDER = {"lead": 1, "mql": 2, "sql": 3, "opportunity": 4, "customer": 5,
               "disqualified": 6, "lost": 7}
TERMINAL = {"customer", "disqualified", "lost"}
# the company_size_bands of raw_sources.md's segment conventions
SIZE_BANDS = [(0, 49, "1-49"), (50, 249, "50-249"), (250, 999, "250-999"),
              (1000, 999_999_999, "1000+")]
# catalogue: leads by period x channel x segment (industry, company size, region) and ABM flag
SEGMENTS = {"industry": "industry", "company_size": "company_size_band", "country": "country",
            "abm_target": "abm_target"}

Key = tuple[str, str, dt.date, str, str]
Row = tuple[float | None, float | None, float | None]


def _month(ts: pd.Timestamp) -> dt.date:
    return dt.date(ts.year, ts.month, 1)


def _days(earlier: pd.Timestamp, later: pd.Timestamp) -> float:
    return (later - earlier) / pd.Timedelta(seconds=1) / 86_400


def _earliest(*values):
    present = [v for v in values if v is not None and not pd.isna(v)]
    return min(present) if present else None


def lifecycle(truth: Path) -> pd.DataFrame:
    """One row per lead with its stage times, following the catalogue's conventions."""
    leads = pd.read_parquet(truth / "leads.parquet")
    events = pd.read_parquet(truth / "lead_status_events.parquet")
    opportunities = pd.read_parquet(truth / "opportunities.parquet")
    events["stage"] = events["status"].str.lower().map(STATUS_STAGE)
    events = events[events["stage"].notna()]
    by_lead = {lead_id: group for lead_id, group in events.groupby("lead_id")}
    converted = opportunities[opportunities["lead_id"].notna()].set_index("lead_id")

    rows = []
    for lead in leads.itertuples(index=False):
        history = by_lead.get(lead.lead_id, events.iloc[0:0])
        first = history.groupby("stage")["changed_at"].min().to_dict()
        opportunity = converted.loc[lead.lead_id] if lead.lead_id in converted.index else None
        opportunity_created = customer_at = lost_at = None
        opportunity_owner = None
        if opportunity is not None:
            opportunity_created = opportunity["created_at"]
            opportunity_owner = opportunity["owner_id"]
            if opportunity["outcome"] == "won":
                customer_at = opportunity["closed_at"]
            elif opportunity["outcome"] == "lost":
                lost_at = opportunity["closed_at"]
        opportunity_at = _earliest(opportunity_created, customer_at, lost_at)
        sql_at = _earliest(first.get("sql"), opportunity_at)
        mql_at = _earliest(first.get("mql"), sql_at)
        disqualifications = history.loc[history["stage"] == "disqualified", "changed_at"]
        rejected = mql_at is not None and bool((disqualifications >= mql_at).any())
        rows.append({
            "lead_id": lead.lead_id, "channel": lead.channel, "owner_id": lead.owner_id,
            "opportunity_owner_id": opportunity_owner,
            "lead_at": lead.created_at, "mql_at": mql_at, "sql_at": sql_at,
            "opportunity_at": opportunity_at, "customer_at": customer_at, "lost_at": lost_at,
            "mql_rejected": rejected,
        })
    frame = pd.DataFrame(rows)
    owners = owner_changes(truth)
    for stage in ("lead", "mql", "sql"):
        frame[f"{stage}_owner_id"] = [_owner_at(owners.get(lead), at) for lead, at in
                                      zip(frame["lead_id"], frame[f"{stage}_at"])]
    return frame


def owner_changes(truth: Path) -> dict[str, list[tuple[pd.Timestamp, str]]]:
    """Per lead, its owners from the creation on, in time order."""
    changes = pd.read_parquet(truth / "lead_owner_changes.parquet")
    return {lead: list(zip(group["changed_at"], group["owner_id"]))
            for lead, group in changes.sort_values("changed_at", kind="stable").groupby("lead_id")}


def _owner_at(changes: list[tuple[pd.Timestamp, str]] | None, at) -> str | None:
    """The owner at time `at`: the last change at or before it (None when `at` is)."""
    if at is None or pd.isna(at) or not changes:
        return None
    before = [owner for changed_at, owner in changes if changed_at <= at]
    return before[-1] if before else changes[0][1]


def _size_band(employees) -> str | None:
    if employees is None or pd.isna(employees):
        return None
    return next(label for low, high, label in SIZE_BANDS if low <= employees <= high)


def segments(truth: Path) -> pd.DataFrame:
    """Per lead, its company's segment: the converted account's industry, size and country
    (the company as sales knows it), else the lead's own form values; ABM target flag of the
    account (non_target without one)."""
    leads = pd.read_parquet(truth / "leads.parquet").set_index("lead_id")
    accounts = pd.read_parquet(truth / "accounts.parquet").set_index("account_id")
    account = accounts.reindex(leads["account_id"]).set_index(leads.index)
    has_account = leads["account_id"].isin(accounts.index)
    frame = pd.DataFrame(index=leads.index)
    for column in ("industry", "number_of_employees", "country"):
        frame[column] = account[column].where(has_account, leads[column])
    frame["company_size_band"] = frame["number_of_employees"].map(_size_band)
    frame["abm_target"] = np.where(has_account & account["is_abm_target"].fillna(False).astype(bool),
                                   "target", "non_target")
    return frame[list(SEGMENTS.values())]


def churned_at(truth: Path, lifecycle_frame: pd.DataFrame,
               as_of: pd.Timestamp) -> dict[str, pd.Timestamp]:
    """Per lead: the first day after its win on which the won account had no activated
    contract (catalogue: a customer has an 'Activated' contract with start <= day <= end)."""
    contracts = pd.read_parquet(truth / "contracts.parquet")
    contracts = contracts[contracts["status"] == "Activated"]
    leads = pd.read_parquet(truth / "leads.parquet").set_index("lead_id")["account_id"]
    by_account = {account: group for account, group in contracts.groupby("account_id")}
    result = {}
    for lead in lifecycle_frame.itertuples(index=False):
        account = leads.get(lead.lead_id)
        if lead.customer_at is None or pd.isna(lead.customer_at) or account not in by_account:
            continue
        own = by_account[account]
        days = sorted({end + dt.timedelta(days=1) for end in own["end_date"]})
        for day in days:
            covered = ((own["start_date"] <= day) & (own["end_date"] >= day)).any()
            if day > lead.customer_at.date() and day <= as_of.date() and not covered:
                result[lead.lead_id] = pd.Timestamp(day)
                break
    return result


def stage_entries(truth: Path) -> dict[str, list[tuple[pd.Timestamp, int, str]]]:
    """Every stage entry per lead, in time order (ties by stage order)."""
    leads = pd.read_parquet(truth / "leads.parquet")
    events = pd.read_parquet(truth / "lead_status_events.parquet")
    opportunities = pd.read_parquet(truth / "opportunities.parquet")
    entries: dict[str, list] = {lead: [(ts, "lead")] for lead, ts in
                                zip(leads["lead_id"], leads["created_at"])}
    for lead, status, ts in zip(events["lead_id"], events["status"], events["changed_at"]):
        stage = STATUS_STAGE[status.lower()]
        if stage and lead in entries:
            entries[lead].append((ts, stage))
    for opportunity in opportunities[opportunities["lead_id"].notna()].itertuples():
        if opportunity.lead_id not in entries:
            continue
        entries[opportunity.lead_id].append((opportunity.created_at, "opportunity"))
        if opportunity.outcome in ("won", "lost"):
            stage = "customer" if opportunity.outcome == "won" else "lost"
            entries[opportunity.lead_id].append((opportunity.closed_at, stage))
    return {lead: sorted(items, key=lambda e: (e[0], STAGE_ORDER[e[1]]))
            for lead, items in entries.items()}


def spells(truth: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    """Stage spells: consecutive entries of one stage merged, exit = next spell's entry."""
    rows = []
    for lead, entries in stage_entries(truth).items():
        merged = [e for i, e in enumerate(entries) if i == 0 or e[1] != entries[i - 1][1]]
        for i, (entered, stage) in enumerate(merged):
            exited = merged[i + 1][0] if i + 1 < len(merged) else None
            is_open = exited is None and stage not in TERMINAL
            rows.append({
                "lead_id": lead, "stage": stage, "entered_at": entered, "exited_at": exited,
                "duration_days": _days(entered, exited) if exited is not None else None,
                "open_age_days": _days(entered, as_of) if is_open else None,
                "is_open": is_open,
            })
    return pd.DataFrame(rows)


def _counts(frame: pd.DataFrame, kpi_id: str, grain: str, time_column: str,
            dimensions: dict[str, str]) -> dict[Key, Row]:
    result = {}
    reached = frame[frame[time_column].notna()]
    for name, column in dimensions.items():
        values = reached[column].fillna("unknown") if column else pd.Series("all", reached.index)
        months = reached[time_column].map(_month)
        for (month, value), n in reached.groupby([months, values]).size().items():
            result[(kpi_id, grain, month, name, value)] = (float(n), float(n), None)
    return result


def _rates(frame: pd.DataFrame, kpi_id: str, grain: str, time_column: str,
           converted: pd.Series, dimensions: dict[str, str]) -> dict[Key, Row]:
    result = {}
    in_cohort = frame[time_column].notna()
    cohort, hits = frame[in_cohort], converted[in_cohort].astype(int)
    for name, column in dimensions.items():
        values = cohort[column].fillna("unknown") if column else pd.Series("all", cohort.index)
        months = cohort[time_column].map(_month)
        grouped = hits.groupby([months, values]).agg(["sum", "count"])
        for (month, value), (numerator, denominator) in grouped.iterrows():
            result[(kpi_id, grain, month, name, value)] = (
                numerator / denominator, float(numerator), float(denominator))
    return result


def _averages(values: pd.DataFrame, kpi_id: str, grain: str, period: pd.Series,
              dimension: pd.Series, dimension_name: str) -> dict[Key, Row]:
    result = {}
    for (month, value), days in values.groupby([period, dimension]):
        total, n = float(days.sum()), float(len(days))
        result[(kpi_id, grain, month, dimension_name, value)] = (total / n, total, n)
        result[(f"{kpi_id}_median", grain, month, dimension_name, value)] = (
            float(np.median(days)), None, n)
    return result


ALL = {"all": None}


def funnel_kpis(truth: Path, as_of: pd.Timestamp) -> dict[Key, Row]:
    """Every section-1 KPI of `kpi_values`, recomputed from the truth."""
    life = lifecycle(truth)
    by_channel = {**ALL, "channel": "channel"}
    kpis: dict[Key, Row] = {}
    segmented = life.join(segments(truth), on="lead_id")
    for kpi_id, column in [("leads_created", "lead_at"), ("mqls", "mql_at"), ("sqls", "sql_at"),
                           ("opportunities_created", "opportunity_at"),
                           ("customers_won", "customer_at")]:
        kpis.update(_counts(segmented, kpi_id, "month", column, {**by_channel, **SEGMENTS}))

    # the rep of a cohort: the owner when the lead entered the denominator's stage
    conversions = [
        ("lead_to_mql_rate", "lead", "mql_at"),
        ("mql_to_sql_rate", "mql", "sql_at"),
        ("sql_to_opportunity_rate", "sql", "opportunity_at"),
        ("lead_to_customer_rate", "lead", "customer_at"),
    ]
    for kpi_id, stage, next_column in conversions:
        kpis.update(_rates(life, kpi_id, "cohort_month", f"{stage}_at",
                           life[next_column].notna(),
                           {**by_channel, "rep": f"{stage}_owner_id"}))

    closed = life.assign(closed_at=life["customer_at"].fillna(life["lost_at"]))
    closed = closed[closed["closed_at"].notna()]
    kpis.update(_rates(closed, "opportunity_win_rate", "month", "closed_at",
                       closed["customer_at"].notna(),
                       {**by_channel, "rep": "opportunity_owner_id"}))

    kpis.update(_rates(life, "mql_rejection_rate", "cohort_month", "mql_at",
                       life["mql_rejected"], by_channel))
    reasons = pd.read_parquet(truth / "leads.parquet").set_index("lead_id")
    mqls = life[life["mql_at"].notna()].copy()
    mqls["month"] = mqls["mql_at"].map(_month)
    mqls["reason"] = mqls["lead_id"].map(reasons["disqualification_reason"]).fillna("unknown")
    cohort_size = mqls.groupby("month").size()
    for (month, reason), n in mqls[mqls["mql_rejected"]].groupby(["month", "reason"]).size().items():
        kpis[("mql_rejection_rate", "cohort_month", month, "reason", reason)] = (
            n / cohort_size[month], float(n), float(cohort_size[month]))

    won = life[life["customer_at"].notna()]
    lead_to_close = pd.Series([_days(a, b) for a, b in zip(won["lead_at"], won["customer_at"])],
                              index=won.index, dtype=float)
    won_month = won["customer_at"].map(_month)
    cycle = pd.Series([_days(a, b) for a, b in zip(closed["opportunity_at"], closed["closed_at"])],
                      index=closed.index, dtype=float)
    close_month = closed["closed_at"].map(_month)
    for name, dims_won, dims_closed in [
        ("all", pd.Series("all", won.index), pd.Series("all", closed.index)),
        ("channel", won["channel"], closed["channel"]),
        ("rep", won["opportunity_owner_id"], closed["opportunity_owner_id"]),
    ]:
        kpis.update(_averages(lead_to_close, "lead_to_close_days", "month", won_month,
                              dims_won, name))
        kpis.update(_averages(cycle, "sales_cycle_days", "month", close_month,
                              dims_closed, name))

    stage_spells = spells(truth, as_of)
    ended = stage_spells[stage_spells["exited_at"].notna()]
    still_open = stage_spells[stage_spells["is_open"]]
    snapshot = as_of.date()
    for name, ended_by, open_by in [
        ("all", pd.Series("all", ended.index), pd.Series("all", still_open.index)),
        ("stage", ended["stage"], still_open["stage"]),
    ]:
        kpis.update(_averages(ended["duration_days"], "stage_duration_days", "month",
                              ended["exited_at"].map(_month), ended_by, name))
        for value, ages in still_open["open_age_days"].groupby(open_by):
            n, total = float(len(ages)), float(ages.sum())
            kpis[("open_stage_spells", "snapshot", snapshot, name, value)] = (n, n, None)
            kpis[("open_stage_spell_age_days", "snapshot", snapshot, name, value)] = (
                total / n, total, n)
    return kpis
