"""Salesforce: assembles the org's tables from users, accounts, campaigns (`campaigns`), leads
(`leads`) and deals (`deals`), then adds the deliberate junk and rejectable rows.

Tables are built clean, with internal columns prefixed `_` (`_modified`: the simulated time a
row last changed, from which `_fivetran_synced` is derived; `_no_copy`: never re-synced);
`mess` adds the re-sync duplicates and casing afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from b2bkpi.generator import campaigns, deals, leads
from b2bkpi.generator import lifecycle as lc
from b2bkpi.generator import names as N
from b2bkpi.generator import params as P
from b2bkpi.generator.ads import AdCampaign
from b2bkpi.generator.core import (
    DAY, HOUR, NULL_TS, Fx, Sim, seasonal_times, sf_ids, to_date, weighted, whole_seconds,
)

CURRENCY = {country: currency for country, (currency, *_) in P.COUNTRIES.items()}


@dataclass
class Crm:
    tables: dict[str, pd.DataFrame]
    previous: dict[str, pd.DataFrame]  # earlier versions of rows, for re-sync duplicates
    people: pd.DataFrame  # one row per surviving lead: what web, email and truth need
    status_events: pd.DataFrame  # lead_idx, status, t
    owner_changes: pd.DataFrame  # lead_idx, t, old, new (the first owner at creation: old None)
    rejects: list[tuple[str, str, str, str]] = field(default_factory=list)


def build(sim: Sim, fx: Fx, ads: list[AdCampaign]) -> Crm:
    users = _users(sim)
    accounts = _accounts(sim, users)
    campaign = campaigns.campaign_table(sim, ads)
    people, junk_leads = leads.new_leads(sim, accounts, ads, campaign)
    events = leads.lifecycle(sim, people)
    owner_changes = leads.owners(sim, people, users, accounts)
    opps, contracts, accounts = deals.opportunities(sim, fx, people, accounts, campaign)
    contact = deals.contacts(sim, people, accounts)
    people["contact_id"] = (contact[contact["_lead_idx"] >= 0].set_index("_lead_idx")["id"]
                            .reindex(people.index).to_numpy())
    opportunity, opportunity_history = deals.opportunity_tables(sim, opps, people, accounts, campaign)
    lead = leads.lead_table(people, owner_changes, opportunity)
    tables = {
        "salesforce/user": users.drop(columns=["_role", "_left_at"]),
        "salesforce/account": deals.account_table(sim, accounts, contracts),
        "salesforce/contact": contact,
        "salesforce/lead": lead,
        "salesforce/lead_history": leads.lead_history(people, events, owner_changes),
        "salesforce/opportunity": opportunity,
        "salesforce/opportunity_history": opportunity_history,
        "salesforce/contract": deals.contract_table(contracts, accounts),
        "salesforce/campaign": campaign.drop(columns=["_kind", "_start", "_end", "_ad"]),
        "salesforce/campaign_member": campaigns.members(sim, people, campaign, contact, opportunity),
        "salesforce/dated_conversion_rate": _conversion_rates(sim, fx),
    }
    tables["salesforce/task"], tables["salesforce/event"] = deals.activities(
        sim, people, opportunity)
    previous = {
        "salesforce/lead": leads.previous_leads(lead, events, owner_changes),
        "salesforce/opportunity": deals.previous_opportunities(opportunity, opportunity_history),
    }
    crm = Crm(tables, previous, people, events, owner_changes)
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
        # changed when created, and again when the rep leaves within the range
        "_modified": np.where(left_at <= sim.t_end, left_at, created),
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


def _conversion_rates(sim: Sim, fx: Fx) -> pd.DataFrame:
    """Monthly periods per currency; the last period of each runs to 9999-12-31."""
    rows = []
    for c, currency in enumerate(fx.currencies):
        for m, month in enumerate(fx.months):
            following = fx.months[m + 1] if m + 1 < len(fx.months) else np.datetime64("9999-12-31")
            rows.append((currency, fx.table[c, m], month.astype("datetime64[D]"),
                         np.datetime64(following, "D")))
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
