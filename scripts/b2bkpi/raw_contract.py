"""The raw layer's contract (../shared/raw_sources.md) as data.

One place says which files a raw folder holds, which columns each table must have and of
which logical type, and which columns identify a row. The generator writes to it, the loader
checks against it, and the dbt sources declare the same tables.

Logical types:
- ``string``, ``integer``, ``number``, ``boolean``, ``date``;
- ``timestamp``: an instant; Parquet timestamps (naive = UTC, or tz-aware) are accepted;
- ``timestamp_text``: ISO-8601 text with a UTC offset, as some exports write it
  (``2025-03-01T10:04:05+01:00``); staging converts it to UTC.

Bounds: every text value of a raw file (contract column or not) is at most ``TEXT_LIMIT``
characters, unless its table's ``text_limits`` allows a column more; dates, timestamps and
numbers are finite (no ``infinity``, ``NaN``). The loader refuses a file that breaks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the longest text value a raw file may hold (characters): far above any real name, URL or
# comment, and small enough that no value can make a step run for minutes
TEXT_LIMIT = 64 * 1024


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    file_format: str = "parquet"
    # columns allowed more than TEXT_LIMIT characters
    text_limits: dict[str, int] = field(default_factory=dict, hash=False)

    @property
    def file_name(self) -> str:
        return f"{self.name}.{self.file_format}"

    def text_limit(self, column: str) -> int:
        return self.text_limits.get(column, TEXT_LIMIT)


def _t(source, name, columns, key=("id",), file_format="parquet"):
    return RawTable(source, name, columns, tuple(key), file_format)


S, I, N, B, D, TS, TT = "string", "integer", "number", "boolean", "date", "timestamp", "timestamp_text"
_SYNCED = {"_fivetran_synced": TS}

_MARKETO_EMAIL_ACTIVITY = {
    "id": I, "lead_id": I, "activity_date": TS, "campaign_id": I,
    "email_template_id": I, "primary_attribute_value_id": I,
}

TABLES: tuple[RawTable, ...] = (
    # salesforce
    _t("salesforce", "account", {
        "id": S, "name": S, "industry": S, "number_of_employees": I, "annual_revenue": N,
        "billing_country": S, "type": S, "owner_id": S, "created_date": TS, "is_deleted": B,
        "abm_target_c": B, **_SYNCED}),
    _t("salesforce", "contact", {
        "id": S, "account_id": S, "email": S, "first_name": S, "last_name": S, "title": S,
        "lead_source": S, "owner_id": S, "created_date": TS, "is_deleted": B, **_SYNCED}),
    _t("salesforce", "lead", {
        "id": S, "email": S, "first_name": S, "last_name": S, "company": S, "title": S,
        "industry": S, "number_of_employees": I, "country": S, "lead_source": S, "status": S,
        "owner_id": S, "created_date": TS, "is_converted": B, "converted_date": D,
        "converted_account_id": S, "converted_contact_id": S, "converted_opportunity_id": S,
        "disqualification_reason_c": S, "is_deleted": B, **_SYNCED}),
    _t("salesforce", "lead_history", {
        "id": S, "lead_id": S, "field": S, "old_value": S, "new_value": S, "created_date": TS,
        "is_deleted": B, **_SYNCED}),
    _t("salesforce", "opportunity", {
        "id": S, "account_id": S, "name": S, "type": S, "amount": N, "currency_iso_code": S,
        "stage_name": S, "probability": N, "lead_source": S, "campaign_id": S, "owner_id": S,
        "created_date": TS, "close_date": D, "is_closed": B, "is_won": B, "loss_reason_c": S,
        "is_deleted": B, **_SYNCED}),
    _t("salesforce", "opportunity_history", {
        "id": S, "opportunity_id": S, "stage_name": S, "amount": N, "probability": N,
        "close_date": D, "created_date": TS, "is_deleted": B, **_SYNCED}),
    _t("salesforce", "contract", {
        "id": S, "account_id": S, "status": S, "start_date": D, "end_date": D,
        "contract_term": I, "annual_value_c": N, "currency_iso_code": S, "is_deleted": B,
        **_SYNCED}),
    _t("salesforce", "campaign", {
        "id": S, "name": S, "type": S, "status": S, "start_date": D, "end_date": D,
        "budgeted_cost": N, "actual_cost": N, "parent_id": S, "is_deleted": B, **_SYNCED}),
    _t("salesforce", "campaign_member", {
        "id": S, "campaign_id": S, "lead_id": S, "contact_id": S, "status": S,
        "has_responded": B, "first_responded_date": D, "created_date": TS, "is_deleted": B,
        **_SYNCED}),
    _t("salesforce", "task", {
        "id": S, "who_id": S, "what_id": S, "account_id": S, "owner_id": S, "task_subtype": S,
        "type": S, "subject": S, "activity_date": D, "created_date": TS, "status": S,
        "is_deleted": B, **_SYNCED}),
    _t("salesforce", "event", {
        "id": S, "who_id": S, "what_id": S, "account_id": S, "owner_id": S, "type": S,
        "start_date_time": TS, "duration_in_minutes": I, "created_date": TS, "is_deleted": B,
        **_SYNCED}),
    _t("salesforce", "user", {
        "id": S, "name": S, "email": S, "department": S, "title": S, "is_active": B,
        "manager_id": S, "created_date": TS, "_fivetran_deleted": B, **_SYNCED}),
    _t("salesforce", "dated_conversion_rate", {
        "id": S, "iso_code": S, "conversion_rate": N, "start_date": D, "next_start_date": D,
        **_SYNCED}),
    # marketo
    _t("marketo", "lead", {
        "id": I, "email": S, "sfdc_lead_id": S, "sfdc_contact_id": S, "sfdc_account_id": S,
        "created_at": TS, "updated_at": TS, "lead_score": I, "unsubscribed": B, **_SYNCED}),
    _t("marketo", "program", {
        "id": I, "name": S, "type": S, "channel": S, "created_at": TS, "_fivetran_deleted": B,
        **_SYNCED}),
    _t("marketo", "campaign", {
        "id": I, "name": S, "program_id": I, "type": S, "created_at": TS,
        "_fivetran_deleted": B, **_SYNCED}),
    *(
        _t("marketo", name, {**_MARKETO_EMAIL_ACTIVITY, **_SYNCED})
        for name in (
            "activity_send_email", "activity_email_delivered", "activity_open_email",
            "activity_email_bounced", "activity_unsubscribe_email",
        )
    ),
    _t("marketo", "activity_click_email", {**_MARKETO_EMAIL_ACTIVITY, "link": S, **_SYNCED}),
    _t("marketo", "activity_fill_out_form", {
        "id": I, "lead_id": I, "activity_date": TS, "campaign_id": I, "webform_id": I,
        "referrer_url": S, **_SYNCED}),
    _t("marketo", "activity_change_score", {
        "id": I, "lead_id": I, "activity_date": TS, "campaign_id": I, "change_value": I,
        "old_value": I, "new_value": I, "reason": S, **_SYNCED}),
    # segment
    _t("segment", "pages", {
        "id": S, "anonymous_id": S, "user_id": S, "timestamp": TT, "received_at": TS,
        "path": S, "url": S, "referrer": S, "title": S, "context_campaign_source": S,
        "context_campaign_medium": S, "context_campaign_name": S, "context_ip": S}),
    _t("segment", "identifies", {
        "id": S, "anonymous_id": S, "user_id": S, "email": S, "timestamp": TT}),
    _t("segment", "tracks", {
        "id": S, "anonymous_id": S, "user_id": S, "event": S, "timestamp": TT}),
    # ad platforms
    _t("google_ads", "campaign_stats", {
        "customer_id": I, "date": D, "id": I, "ad_network_type": S, "device": S,
        "impressions": I, "clicks": I, "cost_micros": I, "conversions": N,
        "conversions_value": N, **_SYNCED},
        key=("customer_id", "date", "id", "ad_network_type", "device")),
    _t("google_ads", "campaign_history", {
        "id": I, "updated_at": TS, "customer_id": I, "name": S, "status": S, **_SYNCED},
        key=("id", "updated_at")),
    _t("google_ads", "account_history", {
        "id": I, "updated_at": TS, "descriptive_name": S, "currency_code": S, "time_zone": S,
        **_SYNCED}, key=("id", "updated_at")),
    _t("linkedin_ads", "ad_analytics_by_campaign", {
        "campaign_id": I, "day": D, "impressions": I, "clicks": I,
        "cost_in_local_currency": N, "cost_in_usd": N, "external_website_conversions": I,
        "one_click_leads": I, **_SYNCED}, key=("campaign_id", "day")),
    _t("linkedin_ads", "campaign_history", {
        "id": I, "last_modified_time": TS, "account_id": I, "campaign_group_id": I,
        "created_time": TS, "name": S, "version_tag": S, **_SYNCED},
        key=("id", "last_modified_time")),
    _t("linkedin_ads", "account_history", {
        "id": I, "last_modified_time": TS, "created_time": TS, "name": S, "currency": S,
        "version_tag": S, **_SYNCED}, key=("id", "last_modified_time")),
    _t("facebook_ads", "basic_ad", {
        "ad_id": S, "date": D, "account_id": S, "impressions": I, "inline_link_clicks": I,
        "spend": N, "reach": I, **_SYNCED}, key=("ad_id", "date")),
    _t("facebook_ads", "ad_history", {
        "id": S, "updated_time": TS, "account_id": S, "ad_set_id": S, "campaign_id": S,
        "name": S, **_SYNCED}, key=("id", "updated_time")),
    _t("facebook_ads", "campaign_history", {
        "id": S, "updated_time": TS, "account_id": S, "name": S, **_SYNCED},
        key=("id", "updated_time")),
    _t("facebook_ads", "account_history", {
        "id": S, "name": S, "currency": S, "timezone_name": S, **_SYNCED},
        key=("id", "_fivetran_synced")),
    # exports from other tools (CSV files)
    _t("social", "page_daily_stats", {
        "date": D, "network": S, "followers": I, "impressions": I, "engagements": I,
        "clicks": I, "shares": I}, key=("date", "network"), file_format="csv"),
    _t("finance", "marketing_sales_costs", {
        "month": S, "cost_center": S, "category": S, "channel": S, "amount": N, "currency": S},
        key=("month", "cost_center", "category", "channel"), file_format="csv"),
    _t("surveys", "enps_responses", {
        "response_id": S, "survey_id": S, "survey_date": D, "team": S, "score": I,
        "comment": S}, key=("response_id",), file_format="csv"),
)

# HubSpot as the CRM instead of Salesforce (`generate --crm hubspot`; docs/hubspot.md): the
# tables and column names Fivetran's HubSpot connector lands, the subset the project uses.
# Object properties are `property_<internal name>` columns; timestamps are UTC instants.
HUBSPOT_TABLES: tuple[RawTable, ...] = (
    _t("hubspot", "contact", {
        "id": I, "property_email": S, "property_firstname": S, "property_lastname": S,
        "property_company": S, "property_jobtitle": S, "property_industry": S,
        "property_numemployees": S, "property_country": S, "property_createdate": TS,
        "property_lifecyclestage": S, "property_hs_lead_status": S,
        "property_hs_lifecyclestage_lead_date": TS,
        "property_hs_lifecyclestage_marketingqualifiedlead_date": TS,
        "property_hs_lifecyclestage_salesqualifiedlead_date": TS,
        "property_hs_lifecyclestage_opportunity_date": TS,
        "property_hs_lifecyclestage_customer_date": TS, "property_hs_analytics_source": S,
        "property_hubspot_owner_id": I, "property_associatedcompanyid": I,
        "property_disqualification_reason": S, "_fivetran_deleted": B, **_SYNCED}),
    _t("hubspot", "contact_property_history", {
        "contact_id": I, "name": S, "value": S, "timestamp": TS, "source": S, "source_id": S,
        **_SYNCED}, key=("contact_id", "name", "timestamp")),
    _t("hubspot", "company", {
        "id": I, "property_name": S, "property_industry": S, "property_numberofemployees": I,
        "property_annualrevenue": N, "property_country": S, "property_type": S,
        "property_hs_is_target_account": B, "property_hubspot_owner_id": I,
        "property_createdate": TS, "is_deleted": B, **_SYNCED}),
    _t("hubspot", "deal", {
        "deal_id": I, "owner_id": I, "deal_pipeline_id": S, "deal_pipeline_stage_id": S,
        "property_dealname": S, "property_dealtype": S, "property_amount": N,
        "property_deal_currency_code": S, "property_createdate": TS, "property_closedate": TS,
        "property_closed_lost_reason": S, "is_deleted": B, **_SYNCED}, key=("deal_id",)),
    _t("hubspot", "deal_stage", {
        "deal_id": I, "value": S, "date_entered": TS, "source": S, "source_id": S,
        "_fivetran_start": TS, "_fivetran_end": TS, "_fivetran_active": B, **_SYNCED},
        key=("deal_id", "_fivetran_start")),
    _t("hubspot", "deal_pipeline", {
        "pipeline_id": S, "label": S, "display_order": I, "active": B, "_fivetran_deleted": B,
        **_SYNCED}, key=("pipeline_id",)),
    _t("hubspot", "deal_pipeline_stage", {
        "stage_id": S, "pipeline_id": S, "label": S, "display_order": I, "probability": N,
        "closed_won": B, "active": B, "_fivetran_deleted": B, **_SYNCED}, key=("stage_id",)),
    _t("hubspot", "deal_company", {
        "deal_id": I, "company_id": I, "type_id": I, "category": S, **_SYNCED},
        key=("deal_id", "company_id", "type_id", "category")),
    _t("hubspot", "deal_contact", {
        "deal_id": I, "contact_id": I, "type_id": I, "category": S, **_SYNCED},
        key=("deal_id", "contact_id", "type_id", "category")),
    _t("hubspot", "engagement", {
        "id": I, "type": S, "owner_id": I, "timestamp": TS, "created_at": TS,
        "last_updated": TS, "active": B, **_SYNCED}),
    _t("hubspot", "engagement_call", {
        "engagement_id": I, "title": S, "status": S, **_SYNCED}, key=("engagement_id",)),
    _t("hubspot", "engagement_email", {
        "engagement_id": I, "subject": S, **_SYNCED}, key=("engagement_id",)),
    _t("hubspot", "engagement_meeting", {
        "engagement_id": I, "title": S, "start_time": TS, "end_time": TS, **_SYNCED},
        key=("engagement_id",)),
    _t("hubspot", "engagement_contact", {"engagement_id": I, "contact_id": I, **_SYNCED},
       key=("engagement_id", "contact_id")),
    _t("hubspot", "engagement_deal", {"engagement_id": I, "deal_id": I, **_SYNCED},
       key=("engagement_id", "deal_id")),
    _t("hubspot", "owner", {
        "owner_id": I, "email": S, "first_name": S, "last_name": S, "type": S, "is_active": B,
        "created_at": TS, "updated_at": TS, "_fivetran_deleted": B, **_SYNCED},
        key=("owner_id",)),
    # the account's dated exchange rates (HubSpot's currencies settings, an exchange-rates
    # landing: docs/hubspot.md), in place of Salesforce's dated_conversion_rate
    _t("hubspot", "currency_exchange_rate", {
        "id": I, "from_currency_code": S, "to_currency_code": S, "conversion_rate": N,
        "effective_at": TS, **_SYNCED}),
    # HubSpot has no contract object: the billing system's export of its contracts, each with
    # the HubSpot company it bills (docs/hubspot.md)
    _t("billing", "contracts", {
        "contract_id": S, "hubspot_company_id": I, "status": S, "start_date": D, "end_date": D,
        "term_months": I, "annual_value": N, "currency": S}, key=("contract_id",),
        file_format="csv"),
)
CRMS: tuple[str, ...] = ("salesforce", "hubspot")

SOURCES: tuple[str, ...] = tuple(dict.fromkeys(t.source for t in TABLES))
BY_NAME: dict[tuple[str, str], RawTable] = {(t.source, t.name): t for t in (*TABLES, *HUBSPOT_TABLES)}


def tables_for(crm: str = "salesforce") -> tuple[RawTable, ...]:
    """The contract of a raw folder whose CRM is `crm`: `TABLES` (Salesforce), or the same
    with the HubSpot tables in place of the Salesforce ones."""
    if crm not in CRMS:
        raise ValueError(f"unknown CRM {crm!r} (one of {', '.join(CRMS)})")
    if crm == "salesforce":
        return TABLES
    return (*HUBSPOT_TABLES, *(t for t in TABLES if t.source != "salesforce"))


def tables_of(source: str) -> list[RawTable]:
    return [t for t in TABLES if t.source == source]
