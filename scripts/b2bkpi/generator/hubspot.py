"""HubSpot as the CRM: the simulated company's CRM, written as the tables Fivetran's HubSpot
connector lands (`raw_contract.HUBSPOT_TABLES`, docs/hubspot.md) instead of Salesforce's.

Only the export differs: `export` takes the Salesforce tables the simulation built (clean,
before the mess) and writes the same people, walks, owners, companies and deals in HubSpot's
shape, so one seed gives one truth whichever CRM is written.

- A Salesforce lead and the contact it converts into are one HubSpot contact; the customers'
  other contacts are contacts without a lead status. A contact is a lead when it has an
  `hs_lead_status`.
- The lead status walk is the `hs_lead_status` property history (the org's picklist, one value
  per Salesforce status, `LEAD_STATUS`); HubSpot's own `lifecyclestage` follows it
  (`LIFECYCLE_OF_STATUS`, customer when the converted deal is won) with its
  `hs_lifecyclestage_<stage>_date` stamps on the contact; owner changes are
  `hubspot_owner_id` history rows. Every property history starts with the value set at
  creation.
- Opportunities are deals in one pipeline whose stage ids are the Salesforce stage names
  (`stage_id`); stage changes are `deal_stage` rows (Fivetran's history: `_fivetran_start` to
  `_fivetran_end`), amount-only revisions are not (they would be `deal_property_history`).
- Salesforce tasks (calls, emails, to-dos) and events (meetings) are engagements, with their
  call, email and meeting details and their contact and deal associations.
- Exchange rates are HubSpot's: per additional currency, units of the company currency per 1
  unit (the reciprocal of Salesforce's units per 1 unit of the corporate currency), effective
  from each Salesforce period's start; the company currency itself has none.
- Contracts, which HubSpot has no object for, are the billing system's CSV export: one row per
  contract with the HubSpot company it bills, the billing system's status names.
- Ids are HubSpot's integers, assigned in the Salesforce tables' order; the truth keeps the
  Salesforce ids and `ids` gives the HubSpot id of each (`truth/hubspot_ids.parquet`).
- Rejectable rows: the leads without a created date are contacts without `createdate`, the
  orphan status history rows name contacts that do not exist. Opportunities in an unknown
  currency are not written (HubSpot only allows the portal's currencies).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from b2bkpi.generator import lifecycle as lc
from b2bkpi.generator import params as P
from b2bkpi.generator.core import DAY, NULL_TS, SECOND, Sim

CONTACT_BASE, COMPANY_BASE, DEAL_BASE, OWNER_BASE = 1_001, 5_000_000_001, 9_000_000_001, 30_000_001
ENGAGEMENT_BASE = 20_000_000_001
EXCHANGE_RATE_BASE = 70_000_001
ENGAGEMENT_TYPE = {"Call": "CALL", "Email": "EMAIL", "Task": "TASK"}  # Salesforce task subtype
CALL_STATUS = {"Completed": "COMPLETED", "Not Started": "QUEUED"}
ORPHAN_BASE = 900_000_001  # contacts purged long ago
PIPELINE_ID = "default"
LEAD_STATUS = {  # Salesforce lead status: the org's hs_lead_status value
    lc.OPEN: "NEW", lc.WORKING: "ATTEMPTED_TO_CONNECT", lc.NURTURING: "BAD_TIMING",
    lc.MQL: "OPEN", lc.SALES_ACCEPTED: "CONNECTED", lc.SALES_QUALIFIED: "IN_PROGRESS",
    lc.DISQUALIFIED: "UNQUALIFIED", lc.CONVERTED: "OPEN_DEAL",
    lc.NOT_CONVERTED: "CLOSED_NOT_CONVERTED",
}
LIFECYCLE_OF_STATUS = {  # HubSpot lifecyclestage a status sets (a disqualification keeps it)
    lc.OPEN: "lead", lc.WORKING: "lead", lc.NURTURING: "lead",
    lc.MQL: "marketingqualifiedlead", lc.SALES_ACCEPTED: "salesqualifiedlead",
    lc.SALES_QUALIFIED: "salesqualifiedlead", lc.CONVERTED: "opportunity",
}
DATED_STAGES = ("lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer")
ANALYTICS_SOURCE = {  # Salesforce lead source: hs_analytics_source (original source)
    "Organic Search": "ORGANIC_SEARCH", "Paid Search": "PAID_SEARCH",
    "Paid Social": "PAID_SOCIAL", "Email": "EMAIL_MARKETING", "Event": "OFFLINE",
    "Referral": "REFERRALS", "Direct": "DIRECT_TRAFFIC",
}
DEAL_TYPE = {"New Business": "newbusiness", "Renewal": "renewal", "Upsell": "upsell",
             "Cross-sell": "crosssell"}
CONTRACT_STATUS = {"Activated": "active", "Draft": "draft", "Expired": "expired",
                   "Terminated": "cancelled"}  # Salesforce contract status: the billing system's
COMPANY_TYPE = {"Customer": "CUSTOMER", "Former Customer": "FORMER_CUSTOMER",
                "Prospect": "PROSPECT"}
EMPLOYEE_RANGES = ((5, "1-5"), (25, "5-25"), (50, "25-50"), (100, "50-100"), (500, "100-500"),
                   (1000, "500-1000"))
DEAL_COMPANY_TYPE, DEAL_CONTACT_TYPE = 5, 3  # HubSpot's default deal association type ids
OPEN_END = int(np.datetime64("9999-12-31T23:59:59", "us").astype(np.int64))  # active row's end
MILLISECOND = SECOND // 1000


def stage_id(stage_name: str) -> str:
    """The pipeline stage id of a Salesforce stage: 'Closed Won' is HubSpot's 'closedwon'."""
    return re.sub("[^a-z]", "", stage_name.lower())


def export(sim: Sim, tables: dict, previous: dict, rejects: list):
    """Replace the 'salesforce/*' entries of `tables` (and `previous`) by 'hubspot/*' ones;
    return the HubSpot rejects in place of the Salesforce ones and the id map (object,
    salesforce_id, hubspot_id)."""
    sf = {name.split("/")[1]: tables.pop(name) for name in list(tables)
          if name.startswith("salesforce/")}
    unknown_currency = {r for _, table, r, reason in rejects
                        if table == "opportunity" and reason == "unknown_currency"}
    ids = _Ids(sf, unknown_currency)
    lead, history = sf["lead"], sf["lead_history"]
    customer_at = _customer_dates(sf["opportunity"])
    contact_history, orphans = _contact_history(sim, ids, lead, history, sf["contact"], customer_at)
    tables["hubspot/contact"] = pd.concat([
        _lead_contacts(ids, lead, contact_history, customer_at),
        _other_contacts(ids, sf["contact"])], ignore_index=True)
    tables["hubspot/contact_property_history"] = contact_history
    tables["hubspot/company"] = _companies(ids, sf["account"])
    opportunity = sf["opportunity"][~sf["opportunity"]["id"].isin(unknown_currency)]
    tables["hubspot/deal"] = _deals(ids, opportunity)
    tables["hubspot/deal_stage"] = _deal_stages(ids, sf["opportunity_history"])
    tables["hubspot/deal_pipeline"], tables["hubspot/deal_pipeline_stage"] = _pipeline(sim)
    tables["hubspot/deal_company"] = _associations(
        opportunity, ids.deal, "company_id", ids.company(opportunity["account_id"]),
        DEAL_COMPANY_TYPE)
    linked = opportunity[opportunity["_contact_id"].notna()]
    tables["hubspot/deal_contact"] = _associations(
        linked, ids.deal, "contact_id", ids.contact_of_sf_contact(linked["_contact_id"]),
        DEAL_CONTACT_TYPE)
    tables["hubspot/owner"] = _owners(ids, sf["user"])
    tables.update(_engagements(ids, sf["task"], sf["event"]))
    tables["hubspot/currency_exchange_rate"] = _exchange_rates(sf["dated_conversion_rate"])
    tables["billing/contracts"] = _billing_contracts(ids, sf["contract"])
    for name in [n for n in previous if n.startswith("salesforce/")]:
        older = previous.pop(name)
        if name == "salesforce/lead":
            previous["hubspot/contact"] = _lead_contacts(ids, older, contact_history, customer_at,
                                                         current=False)
        elif name == "salesforce/opportunity":
            previous["hubspot/deal"] = _deals(ids, older[~older["id"].isin(unknown_currency)])
    missing = lead.loc[lead["created_date"] == NULL_TS, "id"]
    hubspot_rejects = [
        *(("hubspot", "contact", str(i), "missing_required_value") for i in ids.contact(missing)),
        *(("hubspot", "contact_property_history", key, "orphan_reference") for key in orphans),
        *(r for r in rejects if r[0] != "salesforce"),
    ]
    return hubspot_rejects, ids.frame()


class _Ids:
    """HubSpot ids of the Salesforce records, in the Salesforce tables' order."""

    def __init__(self, sf: dict, unknown_currency: set):
        lead, contact = sf["lead"], sf["contact"]
        others = contact.loc[contact["_lead_idx"] < 0, "id"].to_numpy()
        self._contact = pd.Series(CONTACT_BASE + np.arange(len(lead) + len(others)),
                                  index=np.concatenate([lead["id"].to_numpy(), others]))
        lead_of = lead[lead["_lead_idx"] >= 0].set_index("_lead_idx")["id"]
        converted = contact[contact["_lead_idx"] >= 0]
        self._sf_contact = pd.concat([
            self._contact.reindex(lead_of.reindex(converted["_lead_idx"]).to_numpy())
            .set_axis(converted["id"].to_numpy()),
            self._contact.loc[others]])
        account = sf["account"]["id"].to_numpy()
        self._company = pd.Series(COMPANY_BASE + np.arange(len(account)), index=account)
        opportunity = sf["opportunity"]["id"]
        opportunity = opportunity[~opportunity.isin(unknown_currency)].to_numpy()
        self._deal = pd.Series(DEAL_BASE + np.arange(len(opportunity)), index=opportunity)
        user = sf["user"]["id"].to_numpy()
        self._owner = pd.Series(OWNER_BASE + np.arange(len(user)), index=user)

    @staticmethod
    def _map(series: pd.Series, values) -> pd.array:
        return pd.array(series.reindex(np.asarray(values, dtype=object)).to_numpy(), dtype="Int64")

    def contact(self, lead_ids):
        return self._map(self._contact, lead_ids)

    def contact_of_sf_contact(self, contact_ids):
        return self._map(self._sf_contact, contact_ids)

    def contact_of_person(self, who_ids):
        """The contact of a Salesforce lead or contact id (an activity's `who_id`)."""
        people = pd.concat([self._contact, self._sf_contact])  # customers' contacts in both
        return self._map(people[~people.index.duplicated()], who_ids)

    def company(self, account_ids):
        return self._map(self._company, account_ids)

    def deal(self, opportunity_ids):
        return self._map(self._deal, opportunity_ids)

    def owner(self, user_ids):
        return self._map(self._owner, user_ids)

    def frame(self) -> pd.DataFrame:
        parts = [("lead", self._contact), ("contact", self._sf_contact),
                 ("account", self._company), ("opportunity", self._deal),
                 ("user", self._owner)]
        return pd.concat([pd.DataFrame({"object": name, "salesforce_id": series.index,
                                        "hubspot_id": series.to_numpy(dtype=np.int64)})
                          for name, series in parts], ignore_index=True)


def _customer_dates(opportunity: pd.DataFrame) -> pd.Series:
    """When each lead's converted deal was won (the lead index's customer date)."""
    won = opportunity[(opportunity["_lead_idx"] >= 0) & opportunity["is_won"]]
    return won.groupby("_lead_idx")["_modified"].min()


def _history_rows(contact_id, name: str, value, t, source: str, no_copy=False) -> pd.DataFrame:
    return pd.DataFrame({"contact_id": contact_id, "name": name, "value": value, "timestamp": t,
                         "source": source, "source_id": None, "_modified": t,
                         "_no_copy": no_copy})


def _contact_history(sim, ids: _Ids, lead, history, contact, customer_at):
    """`hs_lead_status`, `lifecyclestage` and `hubspot_owner_id` rows of every contact, and the
    record keys of the orphan rows (status changes of contacts that no longer exist)."""
    live = lead[(lead["created_date"] != NULL_TS) & ~lead["is_deleted"]]
    known = history["lead_id"].isin(lead["id"])
    status = history[(history["field"] == "Status") & known]
    owner = history[(history["field"] == "Owner") & known]
    first_owner = owner.groupby("lead_id")["old_value"].first()
    initial_owner = first_owner.reindex(live["id"]).fillna(live.set_index("id")["owner_id"])
    created = pd.DataFrame({"lead_id": live["id"].to_numpy(), "status": lc.OPEN,
                            "t": live["created_date"].to_numpy()})
    walk = pd.concat([created, pd.DataFrame({"lead_id": status["lead_id"].to_numpy(),
                                             "status": status["new_value"].to_numpy(),
                                             "t": status["created_date"].to_numpy()})],
                     ignore_index=True).sort_values(["lead_id", "t"], kind="stable")
    stage = walk.assign(value=walk["status"].map(LIFECYCLE_OF_STATUS))
    idx = live.set_index("id")["_lead_idx"]
    won = customer_at.reindex(idx.to_numpy()).set_axis(idx.index).dropna()
    stage = pd.concat([stage.dropna(subset=["value"]),
                       pd.DataFrame({"lead_id": won.index, "value": "customer",
                                     "t": won.to_numpy(dtype=np.int64)})], ignore_index=True)
    stage = stage.sort_values(["lead_id", "t"], kind="stable")
    stage = stage[stage["value"] != stage.groupby("lead_id")["value"].shift()]
    others = contact[(contact["_lead_idx"] < 0) & ~contact["is_deleted"]]
    other_ids = ids.contact_of_sf_contact(others["id"])
    n_orphan = int((~known).sum())
    orphan = history[~known]
    orphan_rows = _history_rows(
        pd.array(ORPHAN_BASE + np.arange(n_orphan), dtype="Int64"), "hs_lead_status",
        orphan["new_value"].map(LEAD_STATUS).to_numpy(), orphan["created_date"].to_numpy(),
        "CRM_UI", True)
    rows = pd.concat([
        _history_rows(ids.contact(walk["lead_id"]), "hs_lead_status",
                      walk["status"].map(LEAD_STATUS).to_numpy(), walk["t"].to_numpy(), "CRM_UI"),
        _history_rows(ids.contact(stage["lead_id"]), "lifecyclestage", stage["value"].to_numpy(),
                      stage["t"].to_numpy(), "AUTOMATION_PLATFORM"),
        _history_rows(ids.contact(live["id"]), "hubspot_owner_id",
                      ids.owner(initial_owner.to_numpy()).astype(str),
                      live["created_date"].to_numpy(), "CRM_UI"),
        _history_rows(ids.contact(owner["lead_id"]), "hubspot_owner_id",
                      ids.owner(owner["new_value"]).astype(str),
                      owner["created_date"].to_numpy(), "CRM_UI"),
        _history_rows(other_ids, "lifecyclestage", "customer",
                      others["created_date"].to_numpy(), "IMPORT"),
        orphan_rows,
    ], ignore_index=True)
    rows["timestamp"] = rows["_modified"] = rows["timestamp"].astype(np.int64)
    rows = rows.sort_values(["timestamp", "contact_id", "name"], kind="stable", ignore_index=True)
    stamps = pd.to_datetime(orphan_rows["timestamp"].astype(np.int64), unit="us")
    keys = (orphan_rows["contact_id"].astype(str) + "|hs_lead_status|"
            + stamps.dt.strftime("%Y-%m-%d %H:%M:%S"))
    return rows, keys.tolist()


def _first_stage_dates(contact_ids, history: pd.DataFrame, as_of) -> dict[str, np.ndarray]:
    """Each contact's first entry into each dated lifecycle stage by `as_of` (µs; NaT when
    none), and its lifecyclestage then."""
    stages = history[history["name"] == "lifecyclestage"]
    frame = pd.DataFrame({"contact_id": contact_ids, "as_of": as_of})
    joined = frame.reset_index().merge(stages, on="contact_id", how="left")
    joined = joined[joined["timestamp"] <= joined["as_of"]]
    out = {}
    for stage in DATED_STAGES:
        first = joined[joined["value"] == stage].groupby("index")["timestamp"].min()
        out[stage] = first.reindex(frame.index).fillna(NULL_TS).astype(np.int64).to_numpy()
    current = joined.sort_values("timestamp", kind="stable").groupby("index")["value"].last()
    out["current"] = current.reindex(frame.index).to_numpy()
    return out


def _employee_range(employees) -> np.ndarray:
    values = pd.Series(employees, dtype=float)
    labels = np.full(len(values), "1000+", dtype=object)
    for upper, label in reversed(EMPLOYEE_RANGES):
        labels[(values < upper).to_numpy()] = label
    labels[values.isna().to_numpy()] = None
    return labels


def _lead_contacts(ids: _Ids, lead, history, customer_at, current: bool = True) -> pd.DataFrame:
    """Contacts of the lead rows, as of the end (`current`) or, for the earlier versions of
    leads (`previous`), as of each version's last change."""
    contact_id = ids.contact(lead["id"])
    modified = lead["_modified"].to_numpy(dtype=np.int64)
    if current:  # the won deal makes the contact a customer
        won = customer_at.reindex(lead["_lead_idx"].to_numpy()).fillna(NULL_TS).astype(np.int64)
        modified = np.maximum(modified, won.to_numpy())
    dates = _first_stage_dates(contact_id, history, modified)
    return pd.DataFrame({
        "id": contact_id, "property_email": lead["email"].to_numpy(),
        "property_firstname": lead["first_name"].to_numpy(),
        "property_lastname": lead["last_name"].to_numpy(),
        "property_company": lead["company"].to_numpy(), "property_jobtitle": lead["title"].to_numpy(),
        "property_industry": lead["industry"].to_numpy(),
        "property_numemployees": _employee_range(lead["number_of_employees"].to_numpy()),
        "property_country": lead["country"].to_numpy(),
        "property_createdate": lead["created_date"].to_numpy(),
        "property_lifecyclestage": np.where(pd.isna(dates["current"]), "lead", dates["current"]),
        "property_hs_lead_status": lead["status"].map(LEAD_STATUS).to_numpy(),
        **{f"property_hs_lifecyclestage_{stage}_date": dates[stage] for stage in DATED_STAGES},
        "property_hs_analytics_source": lead["lead_source"].map(ANALYTICS_SOURCE).to_numpy(),
        "property_hubspot_owner_id": ids.owner(lead["owner_id"]),
        "property_associatedcompanyid": ids.company(lead["converted_account_id"]),
        "property_disqualification_reason": lead["disqualification_reason_c"].to_numpy(),
        "_fivetran_deleted": lead["is_deleted"].to_numpy(), "_modified": modified,
        "_no_copy": lead["_no_copy"].to_numpy() if "_no_copy" in lead else False,
    })


def _other_contacts(ids: _Ids, contact) -> pd.DataFrame:
    """The contacts no lead converted into: customers' people from before the range (and a few
    deleted ones): no lead status, lifecycle stage customer from their creation."""
    others = contact[contact["_lead_idx"] < 0]
    created = others["created_date"].to_numpy(dtype=np.int64)
    deleted = others["is_deleted"].to_numpy()
    return pd.DataFrame({
        "id": ids.contact_of_sf_contact(others["id"]), "property_email": others["email"].to_numpy(),
        "property_firstname": others["first_name"].to_numpy(),
        "property_lastname": others["last_name"].to_numpy(), "property_company": None,
        "property_jobtitle": others["title"].to_numpy(), "property_industry": None,
        "property_numemployees": None, "property_country": None,
        "property_createdate": created,
        "property_lifecyclestage": np.where(deleted, None, "customer"),
        "property_hs_lead_status": None,
        **{f"property_hs_lifecyclestage_{stage}_date": np.where(
            (stage == "customer") & ~deleted, created, NULL_TS) for stage in DATED_STAGES},
        "property_hs_analytics_source": "OFFLINE",
        "property_hubspot_owner_id": ids.owner(others["owner_id"]),
        "property_associatedcompanyid": ids.company(others["account_id"]),
        "property_disqualification_reason": None, "_fivetran_deleted": deleted,
        "_modified": others["_modified"].to_numpy(), "_no_copy": False,
    })


def _companies(ids: _Ids, account) -> pd.DataFrame:
    return pd.DataFrame({
        "id": ids.company(account["id"]), "property_name": account["name"].to_numpy(),
        "property_industry": account["industry"].to_numpy(),
        "property_numberofemployees": account["number_of_employees"].to_numpy(),
        "property_annualrevenue": account["annual_revenue"].to_numpy(),
        "property_country": account["billing_country"].to_numpy(),
        "property_type": account["type"].map(COMPANY_TYPE).to_numpy(),
        "property_hs_is_target_account": account["abm_target_c"].to_numpy(),
        "property_hubspot_owner_id": ids.owner(account["owner_id"]),
        "property_createdate": account["created_date"].to_numpy(),
        "is_deleted": account["is_deleted"].to_numpy(), "_modified": account["_modified"].to_numpy(),
    })


def _deals(ids: _Ids, opportunity) -> pd.DataFrame:
    """Deals of the opportunity rows (also of earlier versions of them: `previous`)."""
    return pd.DataFrame({
        "deal_id": ids.deal(opportunity["id"]), "owner_id": ids.owner(opportunity["owner_id"]),
        "deal_pipeline_id": PIPELINE_ID,
        "deal_pipeline_stage_id": opportunity["stage_name"].map(stage_id).to_numpy(),
        "property_dealname": opportunity["name"].to_numpy(),
        "property_dealtype": opportunity["type"].map(DEAL_TYPE).to_numpy(),
        "property_amount": opportunity["amount"].to_numpy(),
        "property_deal_currency_code": opportunity["currency_iso_code"].to_numpy(),
        "property_createdate": opportunity["created_date"].to_numpy(),
        # HubSpot's close date is an instant: the expected or actual close day, at midnight UTC
        "property_closedate": opportunity["close_date"].to_numpy().astype("datetime64[us]")
        .astype(np.int64),
        "property_closed_lost_reason": opportunity["loss_reason_c"].to_numpy(),
        "is_deleted": opportunity["is_deleted"].to_numpy(),
        "_modified": opportunity["_modified"].to_numpy(),
        "_no_copy": opportunity["_no_copy"].to_numpy() if "_no_copy" in opportunity else False,
    })


def _deal_stages(ids: _Ids, history) -> pd.DataFrame:
    """One row per stage a deal entered (a revised amount within a stage is no stage change),
    each active until the next one starts."""
    history = history.sort_values(["opportunity_id", "created_date"], kind="stable")
    changed = history["stage_name"] != history.groupby("opportunity_id")["stage_name"].shift()
    rows = history[changed]
    start = rows["created_date"].to_numpy(dtype=np.int64)
    following = rows.groupby("opportunity_id")["created_date"].shift(-1)
    active = following.isna().to_numpy()
    end = np.where(active, OPEN_END, following.fillna(0).to_numpy(dtype=np.int64) - MILLISECOND)
    table = pd.DataFrame({
        "deal_id": ids.deal(rows["opportunity_id"]),
        "value": rows["stage_name"].map(stage_id).to_numpy(), "date_entered": start,
        "source": "CRM_UI", "source_id": None, "_fivetran_start": start, "_fivetran_end": end,
        "_fivetran_active": active,
        "_modified": np.where(active, start, end + MILLISECOND),
    })
    return table.sort_values(["_fivetran_start", "deal_id"], kind="stable", ignore_index=True)


def _pipeline(sim: Sim) -> tuple[pd.DataFrame, pd.DataFrame]:
    set_up = sim.t_start - 400 * DAY
    pipeline = pd.DataFrame({"pipeline_id": [PIPELINE_ID], "label": ["Sales Pipeline"],
                             "display_order": [0], "active": [True], "_fivetran_deleted": [False],
                             "_modified": [set_up]})
    names = list(P.OPP_STAGES)
    stages = pd.DataFrame({
        "stage_id": [stage_id(name) for name in names], "pipeline_id": PIPELINE_ID,
        "label": names, "display_order": np.arange(len(names)),
        "probability": [P.OPP_STAGES[name] / 100 for name in names],
        "closed_won": [name == lc.WON for name in names], "active": True,
        "_fivetran_deleted": False, "_modified": set_up})
    return pipeline, stages


def _associations(opportunity, deal_ids, column: str, other_ids, type_id: int) -> pd.DataFrame:
    return pd.DataFrame({"deal_id": deal_ids(opportunity["id"]), column: other_ids,
                         "type_id": type_id, "category": "HUBSPOT_DEFINED",
                         "_modified": opportunity["created_date"].to_numpy()})


def _owners(ids: _Ids, user) -> pd.DataFrame:
    first, _, last = user["name"].str.partition(" ").T.to_numpy()
    return pd.DataFrame({
        "owner_id": ids.owner(user["id"]), "email": user["email"].to_numpy(),
        "first_name": first, "last_name": last, "type": "PERSON",
        "is_active": user["is_active"].to_numpy(), "created_at": user["created_date"].to_numpy(),
        "updated_at": user["_modified"].to_numpy(),
        "_fivetran_deleted": user["_fivetran_deleted"].to_numpy(),
        "_modified": user["_modified"].to_numpy(),
    })


def _engagements(ids: _Ids, task, event) -> dict[str, pd.DataFrame]:
    """Tasks and events as engagements: calls, emails and to-dos at the task's due day (its
    `activity_date`), meetings at their start; their details and associations."""
    n_task = len(task)
    engagement_id = pd.array(ENGAGEMENT_BASE + np.arange(n_task + len(event)), dtype="Int64")
    task_id, event_id = engagement_id[:n_task], engagement_id[n_task:]
    start = event["start_date_time"].to_numpy(dtype=np.int64)
    due = task["activity_date"].to_numpy().astype("datetime64[us]").astype(np.int64)
    created = np.concatenate([task["created_date"].to_numpy(dtype=np.int64),
                              event["created_date"].to_numpy(dtype=np.int64)])
    modified = np.concatenate([task["_modified"].to_numpy(dtype=np.int64),
                               event["_modified"].to_numpy(dtype=np.int64)])
    engagement = pd.DataFrame({
        "id": engagement_id,
        "type": np.concatenate([task["task_subtype"].map(ENGAGEMENT_TYPE).to_numpy(),
                                np.full(len(event), "MEETING")]),
        "owner_id": ids.owner(np.concatenate([task["owner_id"].to_numpy(),
                                              event["owner_id"].to_numpy()])),
        "timestamp": np.concatenate([np.maximum(due, created[:n_task]), start]),
        "created_at": created, "last_updated": modified, "active": True, "_modified": modified,
    })
    calls = (task["task_subtype"] == "Call").to_numpy()
    emails = (task["task_subtype"] == "Email").to_numpy()
    call = pd.DataFrame({"engagement_id": task_id[calls], "title": task["subject"].to_numpy()[calls],
                         "status": task["status"].map(CALL_STATUS).to_numpy()[calls],
                         "_modified": modified[:n_task][calls]})
    email = pd.DataFrame({"engagement_id": task_id[emails],
                          "subject": task["subject"].to_numpy()[emails],
                          "_modified": modified[:n_task][emails]})
    minutes = event["duration_in_minutes"].to_numpy(dtype=np.int64)
    meeting = pd.DataFrame({"engagement_id": event_id, "title": event["type"].to_numpy(),
                            "start_time": start, "end_time": start + minutes * 60 * SECOND,
                            "_modified": modified[n_task:]})
    who = np.concatenate([task["who_id"].to_numpy(), event["who_id"].to_numpy()])
    what = np.concatenate([task["what_id"].to_numpy(), event["what_id"].to_numpy()])
    contact_id, deal_id = ids.contact_of_person(who), ids.deal(what)
    has_contact, has_deal = ~pd.isna(contact_id), ~pd.isna(deal_id)
    return {
        "hubspot/engagement": engagement, "hubspot/engagement_call": call,
        "hubspot/engagement_email": email, "hubspot/engagement_meeting": meeting,
        "hubspot/engagement_contact": pd.DataFrame({
            "engagement_id": engagement_id[has_contact], "contact_id": contact_id[has_contact],
            "_modified": created[has_contact]}),
        "hubspot/engagement_deal": pd.DataFrame({
            "engagement_id": engagement_id[has_deal], "deal_id": deal_id[has_deal],
            "_modified": created[has_deal]}),
    }


def _exchange_rates(rates) -> pd.DataFrame:
    """Salesforce's dated conversion rates as HubSpot's exchange rates to the company currency
    (the one whose rate is 1 throughout)."""
    company = rates.groupby("iso_code")["conversion_rate"].apply(lambda r: (r == 1).all())
    (company_currency,) = company[company].index
    other = rates[rates["iso_code"] != company_currency].sort_values(
        ["start_date", "iso_code"], kind="stable", ignore_index=True)
    return pd.DataFrame({
        "id": pd.array(EXCHANGE_RATE_BASE + np.arange(len(other)), dtype="Int64"),
        "from_currency_code": other["iso_code"].to_numpy(),
        "to_currency_code": company_currency,
        "conversion_rate": 1 / other["conversion_rate"].to_numpy(),
        "effective_at": other["start_date"].to_numpy().astype("datetime64[us]").astype(np.int64),
        "_modified": other["_modified"].to_numpy(),
    })


def _billing_contracts(ids: _Ids, contract) -> pd.DataFrame:
    """Salesforce's contracts as the billing system exports them (no deleted ones)."""
    contract = contract[~contract["is_deleted"].astype(bool)]
    return pd.DataFrame({
        "contract_id": [f"C-{n:07d}" for n in range(1, len(contract) + 1)],
        "hubspot_company_id": ids.company(contract["account_id"]),
        "status": contract["status"].map(CONTRACT_STATUS).to_numpy(),
        "start_date": contract["start_date"].to_numpy(),
        "end_date": contract["end_date"].to_numpy(),
        "term_months": contract["contract_term"].to_numpy(),
        "annual_value": contract["annual_value_c"].to_numpy(),
        "currency": contract["currency_iso_code"].to_numpy(),
    })
