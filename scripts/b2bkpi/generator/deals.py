"""Salesforce deals: New Business opportunities from converted leads, subscriptions (contracts,
renewals, expansions, churn) of won deals and of the customers from before the range, contacts,
the account and contract tables, and the sales activities (tasks, meetings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from b2bkpi.generator import lifecycle as lc
from b2bkpi.generator import names as N
from b2bkpi.generator import params as P
from b2bkpi.generator.core import (
    DAY, HOUR, MINUTE, NULL_TS, day_us, draw_blocks, sf_ids, to_date, weighted,
    whole_seconds,
)


@dataclass
class _Deal:
    opp: lc.Opp
    account: int
    lead_idx: int = -1
    campaign: int = -1  # campaign row


def opportunities(sim, fx, people, accounts, campaigns):
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
    _deals_at_customers(sim.rng("deal-types"), deals, accounts)
    won = [deal for deal in deals if deal.opp.stage == lc.WON]
    base = np.flatnonzero(accounts["_existing_customer"].to_numpy())
    base_acv = np.round(rng.lognormal(np.log(P.ACV_MEDIAN_EUR), P.ACV_SIGMA, len(base))
                        * fx.rate(accounts["_currency"].to_numpy()[base], sim.t_start), -2)
    signed = [(lc.as_date(deal.opp.closed_at), deal.opp.rows[-1][2], deal.account)
              for deal in won]
    signed += [(sim.start - timedelta(days=int(days)), acv, account) for days, acv, account
               in zip(rng.integers(30, 3 * 365, len(base)), base_acv.tolist(), base.tolist())]
    years = (sim.end - sim.start).days // 365 + 5
    draws = draw_blocks(sim.rng("subscriptions"), len(signed), 30 * years, 8 * years)
    by_account: dict[int, list] = {}
    for d, (day, acv, account) in sorted(zip(draws, signed), key=lambda x: (x[1][2], x[1][0])):
        by_account.setdefault(account, []).append((day, acv, d))
    abm = accounts["abm_target_c"].to_numpy()
    expansion_campaigns = campaigns[campaigns["_kind"] == "Customer Marketing"]
    contracts = []
    # one live subscription per account: a deal signed while one runs is an add-on to it
    for account, pending in by_account.items():
        while pending:
            (start, acv, d), later = pending[0], pending[1:]
            own_contracts, own_opps, left = lc.subscription(
                d, start, acv, bool(abm[account]), sim.start, sim.end,
                [(day, value) for day, value, _ in later])
            pending = later[len(later) - len(left):]
            contracts += [(account, c) for c in own_contracts]
            for opp in own_opps:
                running = expansion_campaigns[(expansion_campaigns["_start"] <= opp.created)
                                              & (expansion_campaigns["_end"] >= opp.created)]
                answered = opp.type != "Renewal" and len(running) and d.u() < 0.6
                deals.append(_Deal(opp, account, campaign=running.index[0] if answered else -1))
    contracts += _unsigned_contracts(sim.rng("unsigned-contracts"), deals, contracts, sim)
    # an account exists before anything happens on it
    first = pd.concat([
        pd.Series([deal.opp.created for deal in deals], index=[deal.account for deal in deals]),
        pd.Series([day_us(c.start) for _, c in contracts], index=[a for a, _ in contracts]),
        people.set_index("account")["created"],
    ]).groupby(level=0).min().reindex(accounts.index)
    accounts = accounts.assign(_created=np.minimum(
        accounts["_created"].to_numpy(), first.fillna(sim.t_end).astype(np.int64) - 2 * DAY))
    return deals, contracts, accounts


def _deals_at_customers(rng, deals, accounts) -> None:
    """A lead converted at an account that is already a customer (one from before the range,
    or one that won an earlier deal) opens an expansion-sized deal, mostly typed Upsell or
    Cross-sell by the rep; the rest keep the default 'New Business'."""
    existing = accounts["_existing_customer"].to_numpy()
    won_at: dict[int, list[int]] = {}
    for deal in deals:
        if deal.opp.stage == lc.WON:
            won_at.setdefault(deal.account, []).append(deal.opp.closed_at)
    low, high = P.EXPANSION_SHARE_OF_ACV
    for deal in deals:
        earlier = any(t < deal.opp.created for t in won_at.get(deal.account, ()))
        if not (existing[deal.account] or earlier):
            continue
        share = low + (high - low) * rng.random()
        deal.opp.rows = [(stage, t, round(amount * share, -2), close_day)
                         for stage, t, amount, close_day in deal.opp.rows]
        if rng.random() >= P.P_NEW_BUSINESS_AT_CUSTOMER:
            deal.opp.type = "Upsell" if rng.random() < 0.5 else "Cross-sell"


def _some(rng, rows: list, share: float) -> list:
    """About `share` of `rows`, at least one when there are any."""
    if not rows:
        return []
    k = max(1, round(len(rows) * share))
    return [rows[i] for i in sorted(rng.choice(len(rows), size=k, replace=False).tolist())]


def _unsigned_contracts(rng, deals, contracts, sim) -> list:
    """Contracts that never made an account a customer: drafts of New Business deals lost after
    a value proposition, and activated contracts re-issued after signature (the first version
    'Terminated', same dates)."""
    quoted = P.OPP_STAGES["Value Proposition"]
    lost = [deal for deal in deals
            if deal.opp.type == "New Business" and deal.opp.stage == lc.LOST
            and len(deal.opp.rows) > 1 and P.OPP_STAGES[deal.opp.rows[-2][0]] >= quoted
            and lc.as_date(deal.opp.rows[-2][1]) + timedelta(days=14) <= sim.end]
    unsigned = []
    for deal in _some(rng, lost, P.P_DRAFT_WHEN_LOST):
        start = lc.as_date(deal.opp.rows[-2][1]) + timedelta(days=14)
        unsigned.append((deal.account, lc.Contract(
            start, lc.add_months(start, 12) - timedelta(days=1), 12, deal.opp.rows[-1][2], "Draft")))
    signed = [(a, c) for a, c in contracts if c.status == "Activated" and c.start >= sim.start]
    for account, c in _some(rng, signed, P.P_CONTRACT_REISSUED):
        unsigned.append((account, lc.Contract(
            c.start, c.end, c.term, round(c.annual_value * (0.9 + 0.2 * rng.random()), -2),
            "Terminated")))
    return unsigned


def opportunity_tables(sim, deals, people, accounts, campaigns):
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


def previous_opportunities(opportunity, history) -> pd.DataFrame:
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


def contacts(sim, people, accounts) -> pd.DataFrame:
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


def account_table(sim, accounts, contracts) -> pd.DataFrame:
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


def contract_table(contracts, accounts) -> pd.DataFrame:
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


def activities(sim, people, opportunity) -> tuple[pd.DataFrame, pd.DataFrame]:
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


