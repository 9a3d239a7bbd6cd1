"""Salesforce campaigns (advertising mirrors of the ad platforms, webinars, events, newsletters,
ebooks, expansion campaigns) and their members."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from b2bkpi.generator import names as N
from b2bkpi.generator.ads import AdCampaign
from b2bkpi.generator.core import (
    DAY, NULL_TS, SECOND, Sim, day_us, sf_ids, to_date, weighted, whole_seconds,
)


def campaign_table(sim: Sim, ads: list[AdCampaign]) -> pd.DataFrame:
    """Advertisement campaigns mirroring the ad platforms (same names), quarterly webinars,
    events, newsletters and ebooks, half-yearly expansion campaigns, a parent per year."""
    rng = sim.rng("campaigns")
    rows = []  # name, type, kind, start µs, end µs, budget, ad index

    def span(first: date, last: date) -> tuple[int, int]:
        return max(day_us(first), sim.t_start), min(day_us(last) + DAY - 1, sim.t_end)

    for year in range(sim.start.year, sim.end.year + 1):
        rows.append((f"FY{year} Demand Generation", "Other", "parent",
                     *span(date(year, 1, 1), date(year, 12, 31)), 0, -1))
    for ad in ads:
        rows.append((ad.name, "Advertisement", "ad", ad.start, ad.end, 40_000, ad.index))
    for q, quarter in enumerate(pd.period_range(sim.start, sim.end, freq="Q")):
        first, last = quarter.start_time.date(), quarter.end_time.date()
        label = f"{quarter.year}-Q{quarter.quarter}"
        for k in range(2):
            topic = N.WEBINAR_TOPICS[(2 * q + k) % len(N.WEBINAR_TOPICS)]
            rows.append((f"Webinar {label}: {topic}", "Webinar", "Webinar", *span(first, last),
                         4_000, -1))
        rows += [
            (f"Event {label}: {N.EVENTS[q % len(N.EVENTS)]}", "Trade Show", "Trade Show",
             *span(first, last), 25_000, -1),
            (f"Newsletter {label}", "Email", "Email", *span(first, last), 1_500, -1),
            (f"Ebook {label}: {N.EBOOKS[q % len(N.EBOOKS)]}", "Content", "Content",
             *span(first, last), 6_000, -1),
        ]
        if quarter.quarter in (1, 3):
            offer = N.EXPANSION_OFFERS[q // 2 % len(N.EXPANSION_OFFERS)]
            rows.append((f"Expansion {quarter.year}-H{1 + quarter.quarter // 3}: {offer}",
                         "Customer Marketing", "Customer Marketing",
                         *span(first, (quarter + 1).end_time.date()), 8_000, -1))
    for k in range(2):  # soft-deleted test campaigns, referenced by nothing
        rows.append((f"Test campaign {k + 1} - do not use", "Other", "deleted", sim.t_start,
                     sim.t_start + 30 * DAY, 0, -1))
    df = pd.DataFrame(rows, columns=["name", "type", "_kind", "_start", "_end", "budget", "_ad"])
    df = df.sort_values(["_start", "name"], ignore_index=True)
    n = len(df)
    df.insert(0, "id", sf_ids("701", n))
    year = to_date(df["_start"].to_numpy()).astype("datetime64[Y]").astype(int) + 1970
    parents = dict(zip(year[df["_kind"] == "parent"], df.loc[df["_kind"] == "parent", "id"]))
    df["parent_id"] = [None if kind in ("parent", "deleted") else parents[y]
                       for kind, y in zip(df["_kind"], year)]
    budget = df["budget"].to_numpy() * rng.uniform(0.8, 1.25, n)
    elapsed = np.clip((sim.t_end - df["_start"]) / np.maximum(df["_end"] - df["_start"], 1), 0, 1)
    df["budgeted_cost"] = np.round(budget, -2)
    df["actual_cost"] = np.round(budget * elapsed * rng.uniform(0.8, 1.1, n), 2)
    df["status"] = np.where(df["_end"].to_numpy() < sim.t_end, "Completed", "In Progress")
    df["start_date"] = to_date(df["_start"].to_numpy())
    df["end_date"] = to_date(df["_end"].to_numpy())
    df["is_deleted"] = df["_kind"] == "deleted"
    df["_modified"] = df["_end"].to_numpy()
    return df.drop(columns=["budget"])


def pick_campaign(campaigns: pd.DataFrame, kinds: np.ndarray, times: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """Row of a campaign of each requested kind running at each time (-1: none or no kind)."""
    chosen = np.full(len(times), -1)
    u = rng.random(len(times))
    for kind in np.unique(kinds[kinds != ""]):
        rows = np.flatnonzero(kinds == kind)
        own = campaigns.index[campaigns["_kind"] == kind].to_numpy()
        active = ((times[rows, None] >= campaigns.loc[own, "_start"].to_numpy())
                  & (times[rows, None] <= campaigns.loc[own, "_end"].to_numpy()))
        count = active.sum(axis=1)
        position = (np.cumsum(active, axis=1) <= np.floor(u[rows] * count)[:, None]).sum(axis=1)
        chosen[rows] = np.where(count > 0, own[np.minimum(position, len(own) - 1)], -1)
    return chosen


def members(sim, people, campaigns, contacts, opportunity) -> pd.DataFrame:
    """The campaign that created the lead, later responses (as the contact once converted), and
    customers' contacts answering expansion campaigns."""
    rng = sim.rng("members")
    first = people[people["first_campaign"] >= 0]
    extra = rng.choice(3, size=len(people), p=[0.5, 0.35, 0.15])
    lead_idx = np.repeat(people["idx"].to_numpy(), extra)
    t = whole_seconds(people["created"].to_numpy()[lead_idx]
                      + (rng.uniform(5, 240, len(lead_idx)) * DAY).astype(np.int64))
    kinds = weighted(rng, {"Webinar": 0.35, "Content": 0.3, "Email": 0.25, "Trade Show": 0.1},
                     len(t))
    members = pd.concat([
        pd.DataFrame({"campaign": first["first_campaign"].to_numpy(),
                      "lead_idx": first["idx"].to_numpy(),
                      "t": first["created"].to_numpy() + rng.integers(1, 60, len(first)) * SECOND,
                      "responded": True}),
        pd.DataFrame({"campaign": pick_campaign(campaigns, kinds, t, rng), "lead_idx": lead_idx,
                      "t": t, "responded": rng.random(len(t)) < 0.6}),
    ], ignore_index=True)
    members = members[(members["campaign"] >= 0) & (members["t"] <= sim.t_end)]
    members = members.drop_duplicates(["campaign", "lead_idx"])
    converted_at = people["converted_at"].to_numpy()[members["lead_idx"]]
    as_contact = (converted_at != NULL_TS) & (members["t"].to_numpy() >= converted_at)
    members["lead_id"] = np.where(as_contact, None, people["id"].to_numpy()[members["lead_idx"]])
    members["contact_id"] = np.where(as_contact, people["contact_id"].to_numpy()[members["lead_idx"]],
                                     None)
    expansion = opportunity[opportunity["campaign_id"].notna() & (opportunity["_lead_idx"] < 0)]
    contact_of_account = contacts[~contacts["is_deleted"]].groupby("account_id")["id"].first()
    who = contact_of_account.reindex(expansion["account_id"]).to_numpy()
    has = pd.notna(who)
    row_of = pd.Series(campaigns.index, index=campaigns["id"])
    members = pd.concat([members, pd.DataFrame({
        "campaign": row_of.reindex(expansion["campaign_id"].to_numpy()[has]).to_numpy(),
        "lead_idx": -1, "lead_id": None, "contact_id": who[has],
        "t": expansion["created_date"].to_numpy()[has] - rng.integers(1, 20, int(has.sum())) * DAY,
        "responded": True})], ignore_index=True)
    members = members.drop_duplicates(["campaign", "lead_id", "contact_id"]).sort_values(
        ["t", "campaign", "lead_idx"], kind="stable", ignore_index=True)
    kind = campaigns["type"].to_numpy()[members["campaign"]]
    webinar = kind == "Webinar"
    status = np.where(members["responded"], np.where(webinar, "Attended", "Responded"),
                      np.where(webinar, "Registered", "Sent"))
    return pd.DataFrame({
        "id": sf_ids("00v", len(members)),
        "campaign_id": campaigns["id"].to_numpy()[members["campaign"]],
        "lead_id": members["lead_id"].to_numpy(), "contact_id": members["contact_id"].to_numpy(),
        "status": status, "has_responded": members["responded"].to_numpy(),
        "first_responded_date": np.where(members["responded"], to_date(members["t"].to_numpy()),
                                         np.datetime64("NaT")),
        "created_date": members["t"].to_numpy(), "is_deleted": False,
        "_modified": members["t"].to_numpy(),
    })


