"""The catalogue's identity rule, from the generator's truth folder only (the clean Salesforce
and Segment tables), for every oracle that ties a visitor to a person: a Segment anonymous id
belongs to the email of its latest identify call (ties by identify id), so a shared device
identified as A, then as B, is B's; an email names one person, a lead before a contact."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def _clean(truth: Path, source: str, table: str) -> pd.DataFrame:
    return pd.read_parquet(truth / "clean" / source / f"{table}.parquet")


def people(truth: Path) -> pd.DataFrame:
    """email -> (lead_id, contact_id, account_id): the leads with what they were converted
    into, then the contacts no lead was converted into; one person per email."""
    leads = _clean(truth, "salesforce", "lead")
    contacts = _clean(truth, "salesforce", "contact")
    converted = set(leads["converted_contact_id"].dropna())
    contacts = contacts[~contacts["id"].isin(converted)]
    frame = pd.concat([
        pd.DataFrame({"email": leads["email"], "lead_id": leads["id"],
                      "contact_id": leads["converted_contact_id"],
                      "account_id": leads["converted_account_id"], "rank": 0}),
        pd.DataFrame({"email": contacts["email"], "lead_id": None,
                      "contact_id": contacts["id"], "account_id": contacts["account_id"],
                      "rank": 1}),
    ], ignore_index=True)
    frame["email"] = frame["email"].str.strip().str.lower()
    frame = frame[frame["email"].notna()].sort_values(["email", "rank", "lead_id"])
    return frame.drop_duplicates("email").set_index("email")


def visitor_emails(truth: Path) -> pd.Series:
    """anonymous_id -> email (lower-cased, trimmed) of its latest identify call."""
    identifies = _clean(truth, "segment", "identifies")
    identifies = identifies[identifies["anonymous_id"].notna() & identifies["email"].notna()].copy()
    identifies["at"] = pd.to_datetime(identifies["timestamp"], utc=True, format="ISO8601")
    identifies["email"] = identifies["email"].str.strip().str.lower()
    latest = identifies.sort_values(["anonymous_id", "at", "id"]).drop_duplicates(
        "anonymous_id", keep="last")
    return latest.set_index("anonymous_id")["email"]


def first_visits(truth: Path) -> pd.Series:
    """lead_id -> the visitor stage (catalogue): the first Segment page (UTC, naive) of the
    anonymous ids that belong to the lead."""
    pages = _clean(truth, "segment", "pages")
    pages = pages[pages["anonymous_id"].notna()]
    first = (pd.to_datetime(pages["timestamp"], utc=True, format="ISO8601").dt.tz_localize(None)
             .groupby(pages["anonymous_id"]).min())
    lead_of_email = people(truth)["lead_id"].dropna()
    lead = visitor_emails(truth).map(lead_of_email).dropna()
    visits = pd.DataFrame({"lead_id": lead, "at": first.reindex(lead.index)}).dropna()
    return visits.groupby("lead_id")["at"].min()
