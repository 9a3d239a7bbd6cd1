"""The truth: what the marts must recover, canonical and clean, built from the simulation
before any messiness is added. Schemas are explicit (`SCHEMAS`) so the truth files are stable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from b2bkpi.generator import lifecycle as lc
from b2bkpi.generator.core import NULL_TS

TS, DATE, STR, INT, NUM, BOOL = (pa.timestamp("us"), pa.date32(), pa.string(), pa.int64(),
                                 pa.float64(), pa.bool_())
SCHEMAS = {
    "leads": {
        "lead_id": STR, "email": STR, "lead_source": STR, "channel": STR, "owner_id": STR,
        "created_at": TS, "industry": STR, "number_of_employees": INT, "country": STR,
        "account_id": STR, "is_abm_target": BOOL, "campaign_id": STR, "first_visit_at": TS,
        "disqualification_reason": STR},
    "lead_status_events": {"lead_id": STR, "status": STR, "changed_at": TS},
    "lead_owner_changes": {"lead_id": STR, "owner_id": STR, "changed_at": TS},
    "opportunities": {
        "opportunity_id": STR, "account_id": STR, "lead_id": STR, "type": STR, "owner_id": STR,
        "amount": NUM, "currency": STR, "created_at": TS, "outcome": STR, "closed_at": TS,
        "close_date": DATE},
    "accounts": {
        "account_id": STR, "name": STR, "industry": STR, "number_of_employees": INT,
        "country": STR, "currency": STR, "is_abm_target": BOOL, "type": STR, "created_at": TS},
    "contracts": {
        "contract_id": STR, "account_id": STR, "status": STR, "start_date": DATE,
        "end_date": DATE, "contract_term": INT, "annual_value": NUM, "currency": STR},
    "ad_spend_daily": {
        "date": DATE, "platform": STR, "campaign_id": STR, "campaign_name": STR,
        "impressions": INT, "clicks": INT, "spend": NUM, "currency": STR},
    "email_sends": {
        "program_id": INT, "campaign_id": INT, "email_template_id": INT, "send_date": DATE,
        "sent": INT, "delivered": INT, "bounced": INT, "unique_opens": INT, "unique_clicks": INT,
        "unsubscribes": INT},
    "sessions": {
        "anonymous_id": STR, "session_start": TS, "session_end": TS, "page_count": INT,
        "landing_path": STR, "channel": STR, "utm_campaign": STR, "is_bounce": BOOL,
        "has_form_fill": BOOL},
    "expected_rejects": {"source": STR, "table_name": STR, "record_id": STR, "reason_code": STR},
    "expected_row_counts": {
        "source": STR, "table_name": STR, "raw_rows": INT, "duplicate_rows": INT,
        "deleted_rows": INT, "rejected_rows": INT, "staged_rows": INT},
}

# `--crm hubspot` only: the HubSpot id of each Salesforce id of the truth (`hubspot_ids`)
HUBSPOT_IDS_SCHEMA = {"object": STR, "salesforce_id": STR, "hubspot_id": INT}


def build(crm, web, email_sends: pd.DataFrame, ad_spend: pd.DataFrame) -> dict[str, pd.DataFrame]:
    t = crm.tables
    people = crm.people
    lead = t["salesforce/lead"].set_index("_lead_idx").loc[people.index]
    members = t["salesforce/campaign_member"]
    first_campaign = (members[members["lead_id"].notna() & ~members["is_deleted"]]
                      .sort_values(["created_date", "id"]).drop_duplicates("lead_id")
                      .set_index("lead_id")["campaign_id"])
    converted = people["converted_at"].to_numpy() != NULL_TS
    leads = pd.DataFrame({
        "lead_id": people["id"], "email": people["email"].str.strip().str.lower(),
        "lead_source": people["lead_source"], "channel": people["channel"],
        "owner_id": lead["owner_id"].to_numpy(), "created_at": people["created"],
        "industry": people["industry"], "number_of_employees": people["number_of_employees"],
        "country": people["country"],
        "account_id": np.where(converted, people["account_id"], None),
        "is_abm_target": pd.array(np.where(converted, people["abm"], None), dtype="boolean"),
        "campaign_id": first_campaign.reindex(people["id"]).to_numpy(),
        "first_visit_at": web.first_visits.reindex(people.index).fillna(NULL_TS).astype(np.int64),
        "disqualification_reason": lead["disqualification_reason_c"].to_numpy(),
    })
    events = crm.status_events
    status_events = pd.DataFrame({
        "lead_id": people["id"].to_numpy()[events["lead_idx"]], "status": events["status"],
        "changed_at": events["t"]}).sort_values(["lead_id", "changed_at"], ignore_index=True)

    rejected = {record for _, table, record, _ in crm.rejects if table == "opportunity"}
    opp = t["salesforce/opportunity"]
    opp = opp[~opp["id"].isin(rejected)]
    history = t["salesforce/opportunity_history"]
    closed_rows = history[history["stage_name"].isin([lc.WON, lc.LOST])]
    first_closed = closed_rows.groupby("opportunity_id")["created_date"].min()
    midnight = opp["close_date"].to_numpy().astype("datetime64[us]").astype(np.int64)
    closed_at = first_closed.reindex(opp["id"]).to_numpy()
    closed_at = np.where(pd.isna(closed_at), midnight, closed_at).astype(np.int64)
    opportunities = pd.DataFrame({
        "opportunity_id": opp["id"], "account_id": opp["account_id"],
        "lead_id": np.where(opp["_lead_idx"] >= 0,
                            people["id"].to_numpy()[np.maximum(opp["_lead_idx"], 0)], None),
        "type": opp["type"], "owner_id": opp["owner_id"], "amount": opp["amount"],
        "currency": opp["currency_iso_code"], "created_at": opp["created_date"],
        "outcome": np.select([opp["stage_name"] == lc.WON, opp["stage_name"] == lc.LOST],
                             ["won", "lost"], None),
        "closed_at": np.where(opp["is_closed"], closed_at, NULL_TS),
        "close_date": opp["close_date"],
    })

    account = t["salesforce/account"]
    account = account[~account["is_deleted"]]
    accounts = pd.DataFrame({
        "account_id": account["id"], "name": account["name"], "industry": account["industry"],
        "number_of_employees": account["number_of_employees"], "country": account["billing_country"],
        "currency": account["_currency"], "is_abm_target": account["abm_target_c"],
        "type": account["type"], "created_at": account["created_date"]})
    contract = t["salesforce/contract"]
    contracts = pd.DataFrame({
        "contract_id": contract["id"], "account_id": contract["account_id"],
        "status": contract["status"], "start_date": contract["start_date"],
        "end_date": contract["end_date"], "contract_term": contract["contract_term"],
        "annual_value": contract["annual_value_c"], "currency": contract["currency_iso_code"]})
    owners = crm.owner_changes
    owner_changes = pd.DataFrame({  # every owner from the creation on
        "lead_id": people["id"].to_numpy()[owners["lead_idx"]], "owner_id": owners["new"],
        "changed_at": owners["t"]}).sort_values(["lead_id", "changed_at"], kind="stable",
                                                ignore_index=True)
    return {
        "leads": leads, "lead_status_events": status_events, "lead_owner_changes": owner_changes,
        "opportunities": opportunities,
        "accounts": accounts, "contracts": contracts, "ad_spend_daily": ad_spend,
        "email_sends": email_sends, "sessions": web.sessions.sort_values(
            ["anonymous_id", "session_start"], ignore_index=True),
        "expected_rejects": expected_rejects(crm.rejects),
    }


def expected_rejects(rejects: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """The rows staging must reject, (source, table, record id, reason), sorted."""
    frame = pd.DataFrame(rejects, columns=["source", "table_name", "record_id", "reason_code"])
    return frame.sort_values(["source", "table_name", "record_id"], ignore_index=True)
