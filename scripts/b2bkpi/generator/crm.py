"""Salesforce: users, accounts, campaigns, leads with their status history, opportunities from
conversions and from subscriptions (renewals, expansions), contracts, contacts, campaign members,
tasks, events and the dated conversion rates.

Tables are built clean here, with internal columns prefixed `_` (`_modified`: the simulated
time a row was last changed, from which `_fivetran_synced` is derived; `_no_copy`: never
re-synced); `mess` adds the re-sync duplicates and casing afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from b2bkpi.generator import lifecycle as lc
from b2bkpi.generator import names as N
from b2bkpi.generator import params as P
from b2bkpi.generator.ads import AdCampaign, pick_active
from b2bkpi.generator.core import (
    DAY, HOUR, MINUTE, NULL_TS, SECOND, Fx, Sim, day_us, draw_blocks, lognormal_days,
    seasonal_times, sf_ids, to_date, weighted, whole_seconds,
)

CHANNEL_OF_SOURCE = {source: code for code, (source, *_) in P.CHANNELS.items()}
CURRENCY = {country: currency for country, (currency, *_) in P.COUNTRIES.items()}


@dataclass
class Crm:
    tables: dict[str, pd.DataFrame]
    previous: dict[str, pd.DataFrame]  # earlier versions of rows, for re-sync duplicates
    people: pd.DataFrame  # one row per surviving lead: what web, email and truth need
    status_events: pd.DataFrame  # lead_idx, status, t
    rejects: list[tuple[str, str, str, str]] = field(default_factory=list)


def build(sim: Sim, fx: Fx, ads: list[AdCampaign]) -> Crm:
    users = _users(sim)
    accounts = _accounts(sim, users)
    campaigns = _campaigns(sim, ads)
    people, junk_leads = _leads(sim, accounts, ads, campaigns)
    events = _lifecycle(sim, people)
    owner_changes = _owners(sim, people, users, accounts)
    opps, contracts, accounts = _opportunities(sim, fx, people, accounts, campaigns)
    contacts = _contacts(sim, people, accounts)
    people["contact_id"] = (contacts[contacts["_lead_idx"] >= 0].set_index("_lead_idx")["id"]
                            .reindex(people.index).to_numpy())
    opportunity, opportunity_history = _opportunity_tables(sim, opps, people, accounts, campaigns)
    lead = _lead_table(people, owner_changes, opportunity)
    tables = {
        "salesforce/user": users.drop(columns=["_role", "_left_at"]),
        "salesforce/account": _account_table(sim, accounts, contracts),
        "salesforce/contact": contacts,
        "salesforce/lead": lead,
        "salesforce/lead_history": _lead_history(people, events, owner_changes),
        "salesforce/opportunity": opportunity,
        "salesforce/opportunity_history": opportunity_history,
        "salesforce/contract": _contract_table(contracts, accounts),
        "salesforce/campaign": campaigns.drop(columns=["_kind", "_start", "_end", "_ad"]),
        "salesforce/campaign_member": _members(sim, people, campaigns, contacts, opportunity),
        "salesforce/dated_conversion_rate": _conversion_rates(sim, fx),
    }
    tables["salesforce/task"], tables["salesforce/event"] = _activities(
        sim, people, events, opportunity)
    previous = {
        "salesforce/lead": _previous_leads(lead, events, owner_changes),
        "salesforce/opportunity": _previous_opportunities(opportunity, opportunity_history),
    }
    crm = Crm(tables, previous, people, events)
    _add_rejects(sim, crm, junk_leads)
    return crm


# ---- users and accounts ----------------------------------------------------------------------
_STAFF = (  # name, department, title, role, manager (row number)
    ("Laura Becker", "Sales", "VP Sales", "head", None),
    ("Tom Richter", "Sales", "Sales Development Manager", "manager", 0),
    *((name, "Sales", "Sales Development Representative", "sdr", 1) for name in (
        "Nina Hoffmann", "Max Brandt", "Julia Lang", "Samuel Okafor", "Ella Nowak", "Finn Larsen")),
    *((name, "Sales", "Account Executive", "ae", 0) for name in (
        "Sarah Klein", "Marc Dupont", "Oliver Grant", "Anja Vogel", "Ricardo Silva",
        "Hanna Berg", "Peter Walsh", "Lisa Moretti", "Kevin Brooks")),
    ("Claire Dubois", "Marketing", "VP Marketing", "head", None),
    ("Jonas Weber", "Marketing", "Demand Generation Manager", "marketing", 17),
    ("Priya Nair", "Marketing", "Marketing Operations Manager", "marketing", 17),
    ("Sofia Rossi", "Marketing", "Content Marketing Manager", "marketing", 17),
    ("Daniel Keller", "Customer Success", "Customer Success Manager", "cs", 0),
    ("Fivetran Integration", "IT", "Integration User", "integration", None),
)


def _users(sim: Sim) -> pd.DataFrame:
    n = len(_STAFF)
    ids = sf_ids("005", n)
    rng = sim.rng("users")
    created = whole_seconds(sim.t_start - rng.integers(60, 900, n) * DAY + 9 * HOUR)
    role = np.array([s[3] for s in _STAFF])
    # the last SDR leaves at 60 % of the range: inactive, keeps the leads owned until then
    left_at = np.full(n, np.iinfo(np.int64).max)
    left_at[np.flatnonzero(role == "sdr")[-1]] = sim.t_start + int(0.6 * (sim.t_end - sim.t_start))
    users = pd.DataFrame({
        "id": ids,
        "name": [s[0] for s in _STAFF],
        "email": [s[0].lower().replace(" ", ".") + "@example.com" for s in _STAFF],
        "department": [s[1] for s in _STAFF],
        "title": [s[2] for s in _STAFF],
        "is_active": left_at > sim.t_end,
        "manager_id": [ids[s[4]] if s[4] is not None else None for s in _STAFF],
        "created_date": created,
        "_fivetran_deleted": role == "integration",
        "_role": role,
        "_left_at": left_at,
        "_modified": np.minimum(np.maximum(created, left_at), sim.t_end),
    })
    return users


def _accounts(sim: Sim, users: pd.DataFrame) -> pd.DataFrame:
    """Accounts with an internal lead-attraction weight; a few deleted ones at the end."""
    rng = sim.rng("accounts")
    n_live = max(20, sim.n_leads // 8)
    n = n_live + max(2, n_live // 200)
    words, sectors = len(N.COMPANY_WORDS), len(N.COMPANY_SECTORS)
    two_words = words * sectors
    total = two_words + words * two_words
    combos = np.concatenate([rng.permutation(total) for _ in range(n // total + 1)])[:n]
    country = weighted(rng, {c: v[1] for c, v in P.COUNTRIES.items()}, n)
    names, domains = [], []
    for k, (code, land) in enumerate(zip(combos.tolist(), country.tolist())):
        parts = [N.COMPANY_WORDS[code // sectors % words], N.COMPANY_SECTORS[code % sectors]]
        if code >= two_words:
            parts.insert(0, N.COMPANY_WORDS[(code - two_words) // two_words])
        if k >= total:  # more accounts than names: number the repeats
            parts.append(str(k // total + 1))
        form, tld = N.LEGAL_FORM[land]
        names.append(" ".join([*parts, form]))
        domains.append("".join(parts).lower() + "." + tld)
    employees = np.clip(np.round(rng.lognormal(np.log(P.EMPLOYEES_MEDIAN), P.EMPLOYEES_SIGMA, n)),
                        5, 80_000).astype(np.int64)
    live = np.arange(n) < n_live
    abm = (rng.random(n) < P.ACCOUNT_ABM_SHARE) & live
    aes = users.loc[users["_role"] == "ae", "id"].to_numpy()
    return pd.DataFrame({
        "id": sf_ids("001", n),
        "name": names,
        "industry": weighted(rng, P.INDUSTRIES, n),
        "number_of_employees": employees,
        "annual_revenue": np.round(employees * rng.lognormal(np.log(160_000), 0.4, n), -3),
        "billing_country": country,
        "owner_id": aes[rng.integers(0, len(aes), n)],
        "is_deleted": ~live,
        "abm_target_c": abm,
        "_currency": [CURRENCY[c] for c in country],
        "_domain": domains,
        "_weight": rng.lognormal(0, 1, n) * np.where(abm, 3.0, 1.0) * live,
        "_existing_customer": (rng.random(n) < P.EXISTING_CUSTOMER_SHARE) & live,
        "_created": whole_seconds(sim.t_start - rng.integers(30, 1500, n) * DAY + 10 * HOUR),
    })


# ---- campaigns -------------------------------------------------------------------------------
def _campaigns(sim: Sim, ads: list[AdCampaign]) -> pd.DataFrame:
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


def _pick_campaign(campaigns: pd.DataFrame, kinds: np.ndarray, times: np.ndarray,
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


# ---- leads -----------------------------------------------------------------------------------
def _leads(sim, accounts, ads, campaigns) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    chosen = _pick_campaign(campaigns, kinds.astype(str), people["created"].to_numpy(), rng)
    ad_campaigns = campaigns[campaigns["_ad"] >= 0]
    row_of_ad = pd.Series(ad_campaigns.index, index=ad_campaigns["_ad"])
    paid = people["ad_campaign"].to_numpy() >= 0
    chosen[paid] = row_of_ad.reindex(people["ad_campaign"].to_numpy()[paid]).to_numpy()
    return chosen


def _lifecycle(sim: Sim, people: pd.DataFrame) -> pd.DataFrame:
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


def _owners(sim, people, users, accounts) -> pd.DataFrame:
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


def _lead_table(people, owner_changes, opportunity) -> pd.DataFrame:
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


def _previous_leads(lead, events, owner_changes) -> pd.DataFrame:
    """Each changed lead as it was before its last status change (an older synced version)."""
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


def _lead_history(people, events, owner_changes) -> pd.DataFrame:
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


# ---- opportunities and subscriptions ---------------------------------------------------------
@dataclass
class _Deal:
    opp: lc.Opp
    account: int
    lead_idx: int = -1
    campaign: int = -1  # campaign row


def _opportunities(sim, fx, people, accounts, campaigns):
    """New Business from conversions; subscriptions of won deals and of the existing base with
    their contracts, renewals and expansions. Also dates accounts before their first activity."""
    rng = sim.rng("opportunities")
    converted = people[people["converted_at"] != NULL_TS]
    currency = accounts["_currency"].to_numpy()[converted["account"]]
    size = (accounts["number_of_employees"].to_numpy()[converted["account"]] / 250) ** 0.3
    acv_eur = rng.lognormal(np.log(P.ACV_MEDIAN_EUR), P.ACV_SIGMA, len(converted)) * size
    amount = np.round(acv_eur * fx.rate(currency, converted["converted_at"].to_numpy()), -2)
    draws = draw_blocks(rng, len(converted), 48, 24)
    deals = [
        _Deal(lc.new_business(d, t, value, sim.t_end), account, lead, campaign)
        for d, lead, account, t, value, campaign in zip(
            draws, converted["idx"].tolist(), converted["account"].tolist(),
            converted["converted_at"].tolist(), amount.tolist(),
            converted["first_campaign"].tolist())
    ]
    won = [deal for deal in deals if deal.opp.stage == lc.WON]
    base = np.flatnonzero(accounts["_existing_customer"].to_numpy())
    base_acv = np.round(rng.lognormal(np.log(P.ACV_MEDIAN_EUR), P.ACV_SIGMA, len(base))
                        * fx.rate(accounts["_currency"].to_numpy()[base], sim.t_start), -2)
    subscriptions = [(lc.as_date(deal.opp.closed_at), deal.opp.rows[-1][2], deal.account)
                     for deal in won]
    subscriptions += [(sim.start - timedelta(days=int(days)), acv, account) for days, acv, account
                      in zip(rng.integers(30, 3 * 365, len(base)), base_acv.tolist(), base.tolist())]
    years = (sim.end - sim.start).days // 365 + 5
    draws = draw_blocks(sim.rng("subscriptions"), len(subscriptions), 30 * years, 8 * years)
    abm = accounts["abm_target_c"].to_numpy()
    expansion_campaigns = campaigns[campaigns["_kind"] == "Customer Marketing"]
    contracts = []
    for d, (start, acv, account) in zip(draws, subscriptions):
        own_contracts, own_opps = lc.subscription(d, start, acv, bool(abm[account]), sim.start,
                                                  sim.end)
        contracts += [(account, c) for c in own_contracts]
        for opp in own_opps:
            running = expansion_campaigns[(expansion_campaigns["_start"] <= opp.created)
                                          & (expansion_campaigns["_end"] >= opp.created)]
            answered = opp.type != "Renewal" and len(running) and d.u() < 0.6
            deals.append(_Deal(opp, account, campaign=running.index[0] if answered else -1))
    # an account exists before anything happens on it
    first = pd.concat([
        pd.Series([deal.opp.created for deal in deals], index=[deal.account for deal in deals]),
        pd.Series([day_us(c.start) for _, c in contracts], index=[a for a, _ in contracts]),
        people.set_index("account")["created"],
    ]).groupby(level=0).min().reindex(accounts.index)
    accounts = accounts.assign(_created=np.minimum(
        accounts["_created"].to_numpy(), first.fillna(sim.t_end).astype(np.int64) - 2 * DAY))
    return deals, contracts, accounts


def _opportunity_tables(sim, deals, people, accounts, campaigns):
    """The opportunity table (current state = last history row) and its history rows; a few
    closed opportunities lose their history rows (never synced)."""
    deals = sorted(deals, key=lambda deal: (deal.opp.created, deal.account, deal.opp.type))
    ids = sf_ids("006", len(deals))
    rng = sim.rng("opportunity-rows")
    closed = [i for i, deal in enumerate(deals) if deal.opp.closed_at is not None]
    k = max(2, int(len(closed) * P.P_OPP_WITHOUT_HISTORY)) if len(closed) >= 10 else 0
    without_history = set(rng.choice(closed, size=k, replace=False).tolist()) if k else set()
    account_id, account_name = accounts["id"].tolist(), accounts["name"].tolist()
    account_owner, account_currency = accounts["owner_id"].tolist(), accounts["_currency"].tolist()
    lead_source, contact_id = people["lead_source"].tolist(), people["contact_id"].tolist()
    campaign_id = campaigns["id"].tolist()
    records, history = [], []
    for i, deal in enumerate(deals):
        opp, a = deal.opp, deal.account
        stage, t_last, amount, close_day = opp.rows[-1]
        label = f"Renewal {lc.as_date(close_day).year}" if opp.type == "Renewal" else opp.type
        from_lead = deal.lead_idx >= 0
        records.append((
            ids[i], account_id[a], f"{account_name[a]} - {label}", opp.type, amount,
            account_currency[a], stage, float(P.OPP_STAGES[stage]),
            lead_source[deal.lead_idx] if from_lead else None,
            campaign_id[deal.campaign] if deal.campaign >= 0 else None, account_owner[a],
            opp.created, close_day, stage in (lc.WON, lc.LOST), stage == lc.WON,
            opp.loss_reason if stage == lc.LOST else None, t_last, deal.lead_idx,
            contact_id[deal.lead_idx] if from_lead else None))
        if i not in without_history:
            history += [(ids[i], s, value, float(P.OPP_STAGES[s]), expected, t)
                        for s, t, value, expected in opp.rows]
    opportunity = pd.DataFrame(records, columns=[
        "id", "account_id", "name", "type", "amount", "currency_iso_code", "stage_name",
        "probability", "lead_source", "campaign_id", "owner_id", "created_date", "close_date",
        "is_closed", "is_won", "loss_reason_c", "_modified", "_lead_idx", "_contact_id"])
    opportunity["close_date"] = to_date(opportunity["close_date"].to_numpy())
    opportunity["is_deleted"] = False
    opportunity["system_modstamp"] = opportunity["_modified"]
    opportunity_history = pd.DataFrame(history, columns=[
        "opportunity_id", "stage_name", "amount", "probability", "close_date", "created_date"])
    opportunity_history = opportunity_history.sort_values(
        "created_date", kind="stable", ignore_index=True)
    opportunity_history.insert(0, "id", sf_ids("008", len(opportunity_history)))
    opportunity_history["close_date"] = to_date(opportunity_history["close_date"].to_numpy())
    opportunity_history["is_deleted"] = False
    opportunity_history["_modified"] = opportunity_history["created_date"]
    return opportunity, opportunity_history


def _previous_opportunities(opportunity, history) -> pd.DataFrame:
    """Each opportunity with two or more history rows as it was before the last one."""
    previous = history.groupby("opportunity_id").nth(-2).set_index("opportunity_id")
    rows = opportunity.set_index("id").loc[previous.index].reset_index()
    for column in ("stage_name", "amount", "probability", "close_date"):
        rows[column] = previous[column].to_numpy()
    rows["is_closed"] = rows["stage_name"].isin([lc.WON, lc.LOST])
    rows["is_won"] = rows["stage_name"] == lc.WON
    rows["loss_reason_c"] = rows["loss_reason_c"].where(rows["stage_name"] == lc.LOST, None)
    rows["system_modstamp"] = rows["_modified"] = previous["created_date"].to_numpy()
    return rows[opportunity.columns]


def _contacts(sim, people, accounts) -> pd.DataFrame:
    """A contact per converted lead, one or two per customer from before the range, and a few
    soft-deleted contacts referenced by nothing."""
    rng = sim.rng("contacts")
    converted = people[people["converted_at"] != NULL_TS]
    base = np.flatnonzero(accounts["_existing_customer"].to_numpy())
    base = np.repeat(base, rng.integers(1, 3, len(base)))
    n_deleted = max(2, len(converted) // 300)
    others = np.concatenate([base, rng.choice(np.flatnonzero(~accounts["is_deleted"]), n_deleted)])
    first = np.array(N.FIRST_NAMES)[rng.integers(0, len(N.FIRST_NAMES), len(others))]
    last = np.array(N.LAST_NAMES)[rng.integers(0, len(N.LAST_NAMES), len(others))]
    local = (pd.Series(first).str.cat(pd.Series(last), sep=".").str.replace(" ", "").str.lower()
             + (np.arange(len(others)) % 7 + 1).astype(str))
    account_created = accounts["_created"].to_numpy()[others]
    created = np.maximum(np.minimum(account_created + rng.integers(1, 60, len(others)) * DAY,
                                    sim.t_start - DAY), account_created + HOUR)
    created[len(base):] = sim.t_start + rng.integers(0, sim.n_days, n_deleted) * DAY + 11 * HOUR
    contacts = pd.concat([
        pd.DataFrame({
            "account_id": converted["account_id"].to_numpy(), "email": converted["email"].to_numpy(),
            "first_name": converted["first_name"].to_numpy(),
            "last_name": converted["last_name"].to_numpy(), "title": converted["title"].to_numpy(),
            "lead_source": converted["lead_source"].to_numpy(),
            "owner_id": accounts["owner_id"].to_numpy()[converted["account"]],
            "created_date": converted["converted_at"].to_numpy(), "is_deleted": False,
            "_lead_idx": converted["idx"].to_numpy()}),
        pd.DataFrame({
            "account_id": accounts["id"].to_numpy()[others],
            "email": (local + "@" + accounts["_domain"].to_numpy()[others]).to_numpy(),
            "first_name": first, "last_name": last, "title": weighted(rng, N.TITLES, len(others)),
            "lead_source": None, "owner_id": accounts["owner_id"].to_numpy()[others],
            "created_date": whole_seconds(created), "is_deleted": np.arange(len(others)) >= len(base),
            "_lead_idx": -1}),
    ], ignore_index=True).sort_values(["created_date", "account_id"], kind="stable", ignore_index=True)
    contacts.insert(0, "id", sf_ids("003", len(contacts)))
    contacts["_modified"] = contacts["created_date"]
    return contacts


def _account_table(sim, accounts, contracts) -> pd.DataFrame:
    """Accounts with their type as of the end: customer while an activated contract runs."""
    had = {a for a, c in contracts if c.status == "Activated"}
    active = {a for a, c in contracts if c.status == "Activated" and c.start <= sim.end <= c.end}
    table = accounts[["id", "name", "industry", "number_of_employees", "annual_revenue",
                      "billing_country"]].copy()
    table["type"] = ["Customer" if i in active else "Former Customer" if i in had else "Prospect"
                     for i in range(len(accounts))]
    table["owner_id"] = accounts["owner_id"]
    table["created_date"] = accounts["_created"]
    table["is_deleted"] = accounts["is_deleted"]
    table["abm_target_c"] = accounts["abm_target_c"]
    table["_currency"] = accounts["_currency"]
    table["_modified"] = accounts["_created"]
    return table


def _contract_table(contracts, accounts) -> pd.DataFrame:
    rows = sorted((c.start, accounts["id"].iat[a], c.end, c.term, c.annual_value, c.status,
                   accounts["_currency"].iat[a]) for a, c in contracts)
    table = pd.DataFrame(rows, columns=["start_date", "account_id", "end_date", "contract_term",
                                        "annual_value_c", "status", "currency_iso_code"])
    table.insert(0, "id", sf_ids("800", len(table)))
    table["is_deleted"] = False
    table["start_date"] = table["start_date"].astype("datetime64[s]").to_numpy().astype("datetime64[D]")
    table["end_date"] = table["end_date"].astype("datetime64[s]").to_numpy().astype("datetime64[D]")
    table["_modified"] = table["start_date"].to_numpy().astype("datetime64[us]").astype(np.int64)
    return table


# ---- campaign members, tasks, events -----------------------------------------------------------
def _members(sim, people, campaigns, contacts, opportunity) -> pd.DataFrame:
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
        pd.DataFrame({"campaign": _pick_campaign(campaigns, kinds, t, rng), "lead_idx": lead_idx,
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


def _activities(sim, people, events, opportunity) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tasks (calls, emails, to-dos) by the SDR on contacted leads and by the AE on
    opportunities; meetings: a demo for accepted leads and one or two per opportunity."""
    rng = sim.rng("activities")
    working = people[people["working_at"] != NULL_TS]
    n_lead = rng.poisson(2.5, len(working)) + 1
    lead_rows = np.repeat(working.index.to_numpy(), n_lead)
    opp = opportunity
    n_opp = rng.poisson(3, len(opp)) + (opp["type"] == "New Business").to_numpy()
    opp_rows = np.repeat(np.arange(len(opp)), n_opp)
    created = opp["created_date"].to_numpy()[opp_rows]
    open_until = np.where(opp["is_closed"].to_numpy()[opp_rows], opp["_modified"].to_numpy()[opp_rows],
                          np.minimum(created + 90 * DAY, sim.t_end))
    none_lead, none_opp = np.full(len(lead_rows), None), np.full(len(opp_rows), None)
    tasks = pd.DataFrame({
        "who_id": np.concatenate([people["id"].to_numpy()[lead_rows],
                                  opp["_contact_id"].to_numpy()[opp_rows]]),
        "what_id": np.concatenate([none_lead, opp["id"].to_numpy()[opp_rows]]),
        "account_id": np.concatenate([none_lead, opp["account_id"].to_numpy()[opp_rows]]),
        "owner_id": np.concatenate([people["sdr"].to_numpy()[lead_rows],
                                    opp["owner_id"].to_numpy()[opp_rows]]),
        "created_date": whole_seconds(np.concatenate([
            people["working_at"].to_numpy()[lead_rows]
            + (rng.uniform(0, 21, len(lead_rows)) * DAY).astype(np.int64),
            created + ((open_until - created) * rng.random(len(opp_rows))).astype(np.int64)])),
    })
    tasks = tasks[tasks["created_date"] <= sim.t_end].sort_values(
        "created_date", kind="stable", ignore_index=True)
    n = len(tasks)
    subtype = weighted(rng, {"Call": 0.45, "Email": 0.4, "Task": 0.15}, n)
    subjects = {"Call": ("Call", "Follow-up call", "Discovery call"),
                "Email": ("Email: Intro", "Email: Follow up", "Email: Resources"),
                "Task": ("Send proposal", "Prepare demo", "Update CRM notes")}
    due = tasks["created_date"].to_numpy() + rng.integers(0, 3, n) * DAY
    tasks.insert(0, "id", sf_ids("00T", n))
    tasks["task_subtype"] = subtype
    tasks["type"] = np.where(subtype == "Task", "Other", subtype)
    tasks["subject"] = [subjects[s][k] for s, k in zip(subtype.tolist(), rng.integers(0, 3, n).tolist())]
    tasks["activity_date"] = to_date(np.minimum(due, sim.t_end))
    tasks["status"] = np.where(due <= sim.t_end, "Completed", "Not Started")
    tasks["is_deleted"] = False
    tasks["_modified"] = np.minimum(due, sim.t_end)

    accepted = people[people["accepted_at"] != NULL_TS]
    meet_rows = np.repeat(np.arange(len(opp)), rng.poisson(1.2, len(opp)))
    none_accepted = np.full(len(accepted), None)
    meetings = pd.DataFrame({
        "who_id": np.concatenate([accepted["id"].to_numpy(), opp["_contact_id"].to_numpy()[meet_rows]]),
        "what_id": np.concatenate([none_accepted, opp["id"].to_numpy()[meet_rows]]),
        "account_id": np.concatenate([none_accepted, opp["account_id"].to_numpy()[meet_rows]]),
        "owner_id": np.concatenate([accepted["sdr"].to_numpy(), opp["owner_id"].to_numpy()[meet_rows]]),
        "type": np.concatenate([np.full(len(accepted), "Demo"),
                                weighted(rng, {"Meeting": 0.6, "Demo": 0.4}, len(meet_rows))]),
        "created_date": whole_seconds(np.concatenate([accepted["accepted_at"].to_numpy(),
                                                      opp["created_date"].to_numpy()[meet_rows]])
                                      + rng.integers(5, 240, len(accepted) + len(meet_rows)) * MINUTE),
    })
    m = len(meetings)
    meetings["start_date_time"] = (meetings["created_date"].to_numpy() // DAY * DAY
                                   + rng.integers(1, 9, m) * DAY + rng.integers(8, 17, m) * HOUR)
    meetings["duration_in_minutes"] = rng.choice([30, 45, 60], m)
    meetings = meetings[meetings["start_date_time"] <= sim.t_end].sort_values(
        "created_date", kind="stable", ignore_index=True)
    meetings.insert(0, "id", sf_ids("00U", len(meetings)))
    meetings["is_deleted"] = False
    meetings["_modified"] = meetings["created_date"]
    return tasks, meetings


def _conversion_rates(sim: Sim, fx: Fx) -> pd.DataFrame:
    """Monthly periods per currency; the last period of each runs to 9999-12-31."""
    rows = []
    for c, currency in enumerate(fx.currencies):
        for m, month in enumerate(fx.months):
            following = fx.months[m + 1] if m + 1 < len(fx.months) else np.datetime64("9999-12")
            rows.append((currency, fx.table[c, m], month.astype("datetime64[D]"),
                         following.astype("datetime64[D]")))
    table = pd.DataFrame(rows, columns=["iso_code", "conversion_rate", "start_date", "next_start_date"])
    table = table.sort_values(["start_date", "iso_code"], ignore_index=True)
    table.insert(0, "id", sf_ids("04w", len(table)))
    start = table["start_date"].to_numpy().astype("datetime64[us]").astype(np.int64)
    table["_modified"] = np.maximum(start - DAY, sim.t_start - DAY) + 6 * HOUR
    return table


# ---- deliberate junk and rejectable rows --------------------------------------------------------
def _add_rejects(sim: Sim, crm: Crm, junk: pd.DataFrame) -> None:
    """Soft-deleted spam leads; leads without a created date, orphan history rows and
    opportunities in an unknown currency (the last three listed as expected rejects).
    None of them is ever re-synced (`_no_copy`)."""
    rng = sim.rng("rejects")
    t = crm.tables
    lead = t["salesforce/lead"]
    owner = lead["owner_id"].iat[0]
    junk = junk.assign(
        email=[("test@test.com", "asdf@asdf.de", f"spam{k}@mailinator.com")[k % 3]
               for k in range(len(junk))],
        first_name="Test", last_name="Test", company="Test",
        lead_source=weighted(rng, {"Direct": 0.5, "Organic Search": 0.5}, len(junk)),
        status=lc.OPEN, owner_id=owner, is_converted=False, is_deleted=True,
        _modified=junk["created_date"] + DAY, _lead_idx=-1, _no_copy=True)
    n_missing = P.REJECTS["lead_without_created_date"]
    missing = pd.DataFrame({
        "id": sf_ids("00Q", n_missing, first=len(lead) + len(junk)),
        "email": [f"import.{k}@example.org" for k in range(n_missing)],
        "first_name": "Imported", "last_name": [f"Contact {k}" for k in range(n_missing)],
        "company": "Unknown", "lead_source": "Event", "status": lc.OPEN, "owner_id": owner,
        "created_date": NULL_TS, "is_converted": False, "is_deleted": False,
        "_modified": sim.t_end - 2 * DAY, "_lead_idx": -1, "_no_copy": True,
    })
    lead = pd.concat([lead, junk], ignore_index=True).sort_values("id", ignore_index=True)
    lead = pd.concat([lead, missing], ignore_index=True)
    lead["_no_copy"] = lead["_no_copy"].fillna(False).astype(bool)
    lead["system_modstamp"] = lead["_modified"]
    t["salesforce/lead"] = lead
    crm.rejects += [("salesforce", "lead", i, "missing_required_value") for i in missing["id"]]

    n_orphan = P.REJECTS["orphan_history"]
    orphan_times = np.sort(seasonal_times(sim, rng, n_orphan))
    orphans = pd.DataFrame({
        "lead_id": sf_ids("00Q", n_orphan, first=len(lead) + 5_000),  # leads purged long ago
        "field": "Status", "old_value": lc.OPEN, "new_value": lc.WORKING,
        "created_date": orphan_times, "is_deleted": False, "_modified": orphan_times,
        "_no_copy": True,
    })
    history = pd.concat([t["salesforce/lead_history"], orphans], ignore_index=True).sort_values(
        ["created_date", "field"], kind="stable", ignore_index=True)
    history.insert(0, "id", sf_ids("017", len(history)))
    history["_no_copy"] = history["_no_copy"].fillna(False).astype(bool)
    t["salesforce/lead_history"] = history
    crm.rejects += [("salesforce", "lead_history", i, "orphan_reference")
                    for i in history.loc[history["_no_copy"], "id"]]

    opportunity = t["salesforce/opportunity"]
    n_xyz = P.REJECTS["unknown_currency_opportunity"]
    account = t["salesforce/account"]
    live = account[~account["is_deleted"]].iloc[:n_xyz]
    xyz_created = np.sort(whole_seconds(sim.t_end - rng.integers(5, 60, n_xyz) * DAY))
    xyz = pd.DataFrame({
        "id": sf_ids("006", n_xyz, first=len(opportunity)),
        "account_id": live["id"].to_numpy(), "name": live["name"].to_numpy() + " - New Business",
        "type": "New Business", "amount": np.round(rng.uniform(5_000, 30_000, n_xyz), -2),
        "currency_iso_code": "XYZ", "stage_name": "Prospecting", "probability": 10.0,
        "owner_id": live["owner_id"].to_numpy(), "created_date": xyz_created,
        "close_date": to_date(xyz_created + 60 * DAY), "is_closed": False, "is_won": False,
        "is_deleted": False, "system_modstamp": xyz_created, "_modified": xyz_created,
        "_lead_idx": -1, "_no_copy": True,
    })
    opportunity = pd.concat([opportunity, xyz], ignore_index=True)
    opportunity["_no_copy"] = opportunity["_no_copy"].fillna(False).astype(bool)
    t["salesforce/opportunity"] = opportunity
    crm.rejects += [("salesforce", "opportunity", i, "unknown_currency") for i in xyz["id"]]
