"""Salesforce leads: who they are, where they come from, their walk through the status
picklist (the lifecycle state machine), their owners, and the lead and lead history tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkpi.generator import lifecycle as lc
from b2bkpi.generator import names as N
from b2bkpi.generator import params as P
from b2bkpi.generator.ads import pick_active
from b2bkpi.generator.campaigns import pick_campaign
from b2bkpi.generator.core import (
    DAY, MINUTE, NULL_TS, SECOND, Sim, draw_blocks, seasonal_times, sf_ids, to_date, weighted,
    whole_seconds,
)


def new_leads(sim, accounts, ads, campaigns) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The surviving leads' attributes, and the soft-deleted junk leads (ids interleaved by
    creation time, as Salesforce assigns them)."""
    rng = sim.rng("leads")
    n = sim.n_leads
    live = np.flatnonzero(~accounts["is_deleted"].to_numpy())
    weight = accounts["_weight"].to_numpy()[live]
    account = live[rng.choice(len(live), size=n, p=weight / weight.sum())]
    created = np.sort(seasonal_times(sim, rng, n))
    n_junk = max(2, int(n * P.JUNK_LEAD_SHARE))
    junk_created = np.sort(seasonal_times(sim, rng, n_junk, hour_mean=3.0))
    ids = sf_ids("00Q", n + n_junk)
    order = np.argsort(np.concatenate([created, junk_created]), kind="stable")
    ids = ids[np.argsort(order, kind="stable")]
    channel = weighted(rng, {c: v[1] for c, v in P.CHANNELS.items()}, n)
    first = np.array(N.FIRST_NAMES)[rng.integers(0, len(N.FIRST_NAMES), n)]
    last = np.array(N.LAST_NAMES)[rng.integers(0, len(N.LAST_NAMES), n)]
    local = pd.Series(first).str.cat(pd.Series(last), sep=".").str.replace(" ", "").str.lower()
    address = local + "@" + accounts["_domain"].to_numpy()[account]
    taken = address.groupby(address).cumcount()  # the same name at the same company
    email = np.where(taken > 0, local + (taken + 1).astype(str) + "@"
                     + accounts["_domain"].to_numpy()[account], address)
    web = rng.random(n) < np.array([P.CHANNELS[c][2] for c in channel])
    # a web lead's form fill reaches Marketo first and syncs to Salesforce minutes later
    t_form = np.where(web, np.maximum(created - rng.integers(30, 300, n) * SECOND, sim.t_start),
                      NULL_TS)
    people = pd.DataFrame({
        "idx": np.arange(n), "id": ids[:n], "first_name": first, "last_name": last,
        "email": email, "company": accounts["name"].to_numpy()[account], "account": account,
        "account_id": accounts["id"].to_numpy()[account],
        "abm": accounts["abm_target_c"].to_numpy()[account],
        "title": weighted(rng, N.TITLES, n),
        "industry": np.where(rng.random(n) < P.LEAD_INDUSTRY_MISSING, None,
                             accounts["industry"].to_numpy()[account]),
        "number_of_employees": np.where(rng.random(n) < P.LEAD_EMPLOYEES_MISSING, np.nan,
                                        accounts["number_of_employees"].to_numpy()[account]),
        "country": accounts["billing_country"].to_numpy()[account],
        "channel": channel, "lead_source": [P.CHANNELS[c][0] for c in channel],
        "created": created, "web": web, "t_form": t_form,
    })
    people["ad_campaign"] = _lead_ad_campaigns(sim, people, ads)
    people["first_campaign"] = _first_campaigns(sim, people, campaigns)
    junk = pd.DataFrame({"id": ids[n:], "created_date": junk_created})
    return people, junk


def _lead_ad_campaigns(sim: Sim, people: pd.DataFrame, ads) -> np.ndarray:
    """The ad campaign whose click created each paid lead (-1 for other channels)."""
    rng = sim.rng("lead-ads")
    channel = people["channel"].to_numpy()
    platform = np.where(channel == "paid_search", "google_ads",
                        np.where(rng.random(len(people)) < P.P_LINKEDIN_FOR_PAID_SOCIAL,
                                 "linkedin_ads", "facebook_ads"))
    paid = np.isin(channel, ["paid_search", "paid_social"])
    chosen = np.full(len(people), -1)
    chosen[paid] = pick_active(ads, platform[paid], people["t_form"].to_numpy()[paid], rng)
    return chosen


def _first_campaigns(sim: Sim, people: pd.DataFrame, campaigns: pd.DataFrame) -> np.ndarray:
    """The campaign (row) a lead responded to when it was created (-1: none), by channel."""
    rng = sim.rng("lead-campaigns")
    options = {  # channel: {campaign kind: weight}, "" = no campaign
        "events": {"Trade Show": 0.7, "Webinar": 0.3},
        "email": {"Email": 0.6, "Webinar": 0.2, "": 0.2},
        "organic": {"Content": 0.4, "": 0.6},
        "direct": {"Content": 0.2, "Webinar": 0.1, "": 0.7},
        "referral": {"Webinar": 0.2, "": 0.8},
    }
    kinds = np.full(len(people), "", dtype=object)
    channel = people["channel"].to_numpy()
    for code, weights in options.items():
        rows = np.flatnonzero(channel == code)
        kinds[rows] = weighted(rng, weights, len(rows))
    chosen = pick_campaign(campaigns, kinds.astype(str), people["created"].to_numpy(), rng)
    ad_campaigns = campaigns[campaigns["_ad"] >= 0]
    row_of_ad = pd.Series(ad_campaigns.index, index=ad_campaigns["_ad"])
    paid = people["ad_campaign"].to_numpy() >= 0
    chosen[paid] = row_of_ad.reindex(people["ad_campaign"].to_numpy()[paid]).to_numpy()
    return chosen


def lifecycle(sim: Sim, people: pd.DataFrame) -> pd.DataFrame:
    """Status events of every lead (the state machine); adds the lead's resulting state to
    `people` (status, reason, last change, conversion and acceptance times, demo request)."""
    rng = sim.rng("lifecycle")
    propensity = np.array([P.CHANNELS[c][3] for c in people["channel"]])
    p_mql = P.P_MQL * propensity * np.where(people["abm"], P.ABM_QUALIFY_BOOST, 1.0)
    draws = draw_blocks(rng, len(people), 48, 24)
    lead_idx, statuses, times, reasons = [], [], [], []
    demo = np.zeros(len(people), bool)
    for i, (d, p, t0) in enumerate(zip(draws, p_mql.tolist(), people["created"].tolist())):
        path = lc.run_path(lc.lead_path(d, p), t0, sim.t_end)
        for status, t, reason in path:
            lead_idx.append(i)
            statuses.append(status)
            times.append(t)
            reasons.append(reason)
        # skipped MQL from 'Working - Contacted': asked for a demo when it came in
        demo[i] = len(path) > 1 and path[0][0] == lc.WORKING and path[1][0] == lc.SALES_ACCEPTED
    events = pd.DataFrame({"lead_idx": lead_idx, "status": statuses, "t": times, "reason": reasons})
    last = events.groupby("lead_idx").tail(1).set_index("lead_idx")

    def first_time(status: str) -> np.ndarray:
        at = events[events["status"] == status].groupby("lead_idx")["t"].min()
        return at.reindex(people.index).fillna(NULL_TS).astype(np.int64).to_numpy()

    people["status"] = last["status"].reindex(people.index).fillna(lc.OPEN).to_numpy()
    people["dq_reason"] = last["reason"].reindex(people.index).to_numpy()
    people["last_change"] = last["t"].reindex(people.index).fillna(people["created"]).astype(np.int64)
    people["converted_at"] = first_time(lc.CONVERTED)
    people["accepted_at"] = first_time(lc.SALES_ACCEPTED)
    people["working_at"] = first_time(lc.WORKING)
    people["demo"] = demo & people["web"].to_numpy()
    return events


def owners(sim, people, users, accounts) -> pd.DataFrame:
    """Owner changes (lead_idx, t, old, new): the SDR at creation (old = None), a few
    reassignments between SDRs, and the account's AE when sales accepts the lead."""
    rng = sim.rng("owners")
    n = len(people)
    sdr = users[users["_role"] == "sdr"].reset_index(drop=True)
    created = people["created"].to_numpy()
    active = created[:, None] < sdr["_left_at"].to_numpy()[None, :]
    pick = np.floor(rng.random(n) * active.sum(axis=1))
    initial = (np.cumsum(active, axis=1) <= pick[:, None]).sum(axis=1)
    staying = np.flatnonzero(sdr["_left_at"].to_numpy() > sim.t_end)
    other = staying[rng.integers(0, len(staying), n)]
    accepted = people["accepted_at"].to_numpy()
    t_move = whole_seconds(created + (rng.uniform(0.5, 10, n) * DAY).astype(np.int64))
    move = ((rng.random(n) < P.P_OWNER_REASSIGN) & (other != initial) & (t_move <= sim.t_end)
            & ((accepted == NULL_TS) | (t_move < accepted)))
    sdr_ids = sdr["id"].to_numpy()
    t_handover = whole_seconds(accepted + rng.integers(1, 120, n) * MINUTE)
    handover = (accepted != NULL_TS) & (t_handover <= sim.t_end)
    before = sdr_ids[np.where(move, other, initial)]
    people["sdr"] = before
    changes = pd.concat([
        pd.DataFrame({"lead_idx": np.arange(n), "t": created, "old": None, "new": sdr_ids[initial]}),
        pd.DataFrame({"lead_idx": np.flatnonzero(move), "t": t_move[move],
                      "old": sdr_ids[initial[move]], "new": sdr_ids[other[move]]}),
        pd.DataFrame({"lead_idx": np.flatnonzero(handover), "t": t_handover[handover],
                      "old": before[handover],
                      "new": accounts["owner_id"].to_numpy()[people["account"].to_numpy()][handover]}),
    ], ignore_index=True)
    return changes.sort_values(["lead_idx", "t"], kind="stable", ignore_index=True)


def lead_table(people, owner_changes, opportunity) -> pd.DataFrame:
    opp_of = opportunity[opportunity["_lead_idx"] >= 0].set_index("_lead_idx")["id"]
    converted = people["converted_at"].to_numpy() != NULL_TS
    last_owner = owner_changes.groupby("lead_idx").agg(owner=("new", "last"), t=("t", "max"))
    modified = np.maximum(people["last_change"].to_numpy(), last_owner["t"].to_numpy())
    return pd.DataFrame({
        "id": people["id"], "email": people["email"], "first_name": people["first_name"],
        "last_name": people["last_name"], "company": people["company"], "title": people["title"],
        "industry": people["industry"], "number_of_employees": people["number_of_employees"],
        "country": people["country"], "lead_source": people["lead_source"],
        "status": people["status"], "owner_id": last_owner["owner"].to_numpy(),
        "created_date": people["created"], "is_converted": converted,
        "converted_date": np.where(converted, to_date(people["converted_at"].to_numpy()),
                                   np.datetime64("NaT")),
        "converted_account_id": np.where(converted, people["account_id"], None),
        "converted_contact_id": np.where(converted, people["contact_id"], None),
        "converted_opportunity_id": opp_of.reindex(people.index).to_numpy(),
        "disqualification_reason_c": np.where(people["status"] == lc.DISQUALIFIED,
                                              people["dq_reason"], None),
        "is_deleted": False, "system_modstamp": modified, "_modified": modified,
        "_lead_idx": people["idx"],
    })


def previous_leads(lead, events, owner_changes) -> pd.DataFrame:
    """Each changed lead as it was before its last status change (an older synced version)."""
    if events.empty:
        return lead.iloc[:0]
    last_two = events.groupby("lead_idx").tail(2)
    is_last = ~last_two.duplicated("lead_idx", keep="last")
    last = last_two[is_last].set_index("lead_idx")
    before = last_two[~is_last].set_index("lead_idx").reindex(last.index)
    rows = lead.set_index("_lead_idx").loc[last.index].reset_index()
    rows["status"] = before["status"].fillna(lc.OPEN).to_numpy()
    t = before["t"].fillna(rows["created_date"].set_axis(last.index)).astype(np.int64).to_numpy()
    owners = owner_changes.sort_values("t", kind="stable")
    owner_then = pd.merge_asof(pd.DataFrame({"t": t, "lead_idx": last.index}).sort_values("t"),
                               owners[["lead_idx", "t", "new"]], on="t", by="lead_idx")
    rows["owner_id"] = owner_then.set_index("lead_idx")["new"].reindex(last.index).to_numpy()
    was_converted = last["status"].to_numpy() == lc.CONVERTED
    for column in ("converted_account_id", "converted_contact_id", "converted_opportunity_id"):
        rows[column] = rows[column].where(~was_converted, None)
    rows["converted_date"] = rows["converted_date"].where(~was_converted)
    rows["is_converted"] = rows["is_converted"] & ~was_converted
    rows["disqualification_reason_c"] = rows["disqualification_reason_c"].where(
        last["status"].to_numpy() != lc.DISQUALIFIED, None)
    rows["system_modstamp"] = rows["_modified"] = t
    return rows[lead.columns]


def lead_history(people, events, owner_changes) -> pd.DataFrame:
    """'Status' rows (one per change; the initial status has none) and 'Owner' rows."""
    previous = events.groupby("lead_idx")["status"].shift(1).fillna(lc.OPEN)
    owner = owner_changes[owner_changes["old"].notna()]
    history = pd.concat([
        pd.DataFrame({"lead_idx": events["lead_idx"], "field": "Status", "old_value": previous,
                      "new_value": events["status"], "t": events["t"]}),
        pd.DataFrame({"lead_idx": owner["lead_idx"], "field": "Owner", "old_value": owner["old"],
                      "new_value": owner["new"], "t": owner["t"]}),
    ], ignore_index=True)
    return pd.DataFrame({
        "lead_id": people["id"].to_numpy()[history["lead_idx"]], "field": history["field"],
        "old_value": history["old_value"], "new_value": history["new_value"],
        "created_date": history["t"], "is_deleted": False, "_modified": history["t"],
    })


