"""The messiness a correct pipeline undoes: `_fivetran_synced` stamps with re-sync duplicates
(older versions for leads and opportunities, exact copies elsewhere), picklist values in other
casing, emails in mixed case padded with spaces, and Segment `form_submitted` tracks of
visitors who never become a lead (a newsletter sign-up, a submission that failed validation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b2bkpi.generator import params as P
from b2bkpi.generator.core import MINUTE, SECOND, Sim, uuids, whole_seconds
from b2bkpi.raw_contract import BY_NAME

FIVETRAN_SOURCES = ("salesforce", "hubspot", "marketo", "google_ads", "linkedin_ads", "facebook_ads")
PICKLISTS = {  # table: columns whose picklist values may come in other casing
    "salesforce/lead": ("status", "lead_source"),
    "salesforce/opportunity": ("stage_name",),
    "salesforce/opportunity_history": ("stage_name",),
}
EMAILS = ("salesforce/lead", "salesforce/contact", "marketo/lead", "segment/identifies")
# form_submitted tracks that create or re-engage no lead, per form_submitted track of a lead
NO_LEAD_FORM_SHARE = 0.05


def apply(sim: Sim, tables: dict, previous: dict[str, pd.DataFrame]) -> None:
    """Mess up `tables` in place ({'source/table': DataFrame or pyarrow Table})."""
    for name in sorted(tables):
        rng = sim.rng(f"mess:{name}")
        table = tables[name]
        if name in EMAILS:
            table = _with_messy_emails(rng, table)
        if name.split("/")[0] in FIVETRAN_SOURCES:
            table = _resync(sim, rng, table, BY_NAME[tuple(name.split("/"))].key, previous.get(name))
        for column in PICKLISTS.get(name, ()):
            table[column] = recase(rng, table[column].to_numpy())
        if name == "salesforce/lead_history":
            status = (table["field"] == "Status").to_numpy()
            for column in ("old_value", "new_value"):
                values = table[column].to_numpy().copy()
                values[status] = recase(rng, values[status])
                table[column] = values
        tables[name] = table
    tables["segment/tracks"] = _with_no_lead_forms(sim, tables)


def _with_no_lead_forms(sim: Sim, tables: dict) -> pa.Table:
    """Add form_submitted tracks on pages of never-identified visitors, at the page's time: a
    site conversion only when a form fill creates or re-engages a lead (the catalogue), so a
    correct pipeline does not count these sessions; the truth's sessions do not."""
    rng = sim.rng("mess:no_lead_forms")
    tracks, pages = tables["segment/tracks"], tables["segment/pages"]
    known = tables["segment/identifies"]["anonymous_id"]
    submitted = pc.sum(pc.equal(tracks["event"], "form_submitted")).as_py() or 0
    anonymous = np.flatnonzero(~pc.is_in(pages["anonymous_id"], known).fill_null(True)
                               .to_numpy(zero_copy_only=False))
    n = min(len(anonymous), round(submitted * NO_LEAD_FORM_SHARE))
    if n == 0:
        return tracks
    picked = pa.array(np.sort(rng.choice(anonymous, n, replace=False)))
    extra = pa.table({
        "id": uuids(rng, n), "anonymous_id": pages["anonymous_id"].take(picked),
        "user_id": pa.nulls(n, tracks.schema.field("user_id").type),
        "event": pa.array(np.full(n, "form_submitted"), tracks.schema.field("event").type),
        "timestamp": pages["timestamp"].take(picked)})
    return pa.concat_tables([tracks, extra.cast(tracks.schema)])


def synced(rng: np.random.Generator, modified: np.ndarray, cap: int) -> np.ndarray:
    """When Fivetran picked a row up: minutes to hours after its last change, and by `cap`
    (so that re-sync copies, up to an hour later, still land within the range)."""
    lag = np.minimum(rng.lognormal(np.log(40), 1.0, len(modified)), 12 * 60) * MINUTE
    return whole_seconds(np.minimum(modified + lag.astype(np.int64), cap))


def _resync(sim, rng, table: pd.DataFrame, key: tuple[str, ...],
            previous: pd.DataFrame | None) -> pd.DataFrame:
    """Stamp `_fivetran_synced` and add ~2 % duplicates (at least one in a table of five rows or
    more): an older version where one is known (synced before the current row), else an exact
    copy synced later. A table keyed by `_fivetran_synced` itself has no duplicates to add."""
    table = table.copy()
    table["_fivetran_synced"] = synced(rng, table["_modified"].to_numpy(), sim.sync_cap)
    eligible = np.flatnonzero(~table.get("_no_copy", pd.Series(False, index=table.index)).to_numpy())
    n = max(1, round(len(table) * P.DUPLICATE_SHARE)) if len(table) >= 5 else 0
    if n == 0 or len(eligible) == 0 or "_fivetran_synced" in key:
        return table
    picked = np.sort(rng.choice(eligible, size=min(n, len(eligible)), replace=False))
    copies = table.iloc[picked].copy()
    copies["_fivetran_synced"] += rng.integers(1, 60, len(copies)) * MINUTE
    if previous is not None and len(previous):
        record = key[0]  # tables with earlier versions have a one-column key
        older = previous.set_index(record).reindex(copies[record])
        has_older = older["_modified"].notna().to_numpy()
        stale = older[has_older].reset_index().reindex(columns=copies.columns)
        stale["_fivetran_synced"] = np.minimum(
            synced(rng, stale["_modified"].astype(np.int64).to_numpy(), sim.sync_cap),
            table["_fivetran_synced"].to_numpy()[picked[has_older]] - SECOND)
        copies = pd.concat([copies[~has_older], stale], ignore_index=True)
    return pd.concat([table, copies], ignore_index=True)


def recase(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """~5 % of picklist values in lower or upper case (casing only, never padding)."""
    values = values.astype(object).copy()
    rows = np.flatnonzero((rng.random(len(values)) < P.PICKLIST_CASING_SHARE) & pd.notna(values))
    upper = rng.random(len(rows)) < 0.5
    values[rows] = [v.upper() if u else v.lower() for v, u in zip(values[rows], upper)]
    return values


def messy_emails(rng: np.random.Generator, emails: np.ndarray) -> np.ndarray:
    """Mixed case (' John.Doe@ACME.com ') and padding with spaces on a share of emails."""
    emails = pd.Series(emails, dtype=object)
    n = len(emails)
    mixed = rng.random(n) < P.EMAIL_MIXED_CASE_SHARE
    style = rng.integers(0, 3, n)
    local, _, domain = emails.str.partition("@").T.to_numpy()
    local_title = pd.Series(local, dtype=object).str.title()
    domain = pd.Series(domain, dtype=object)
    name, _, tld = domain.str.rpartition(".").T.to_numpy()
    variants = (local_title + "@" + pd.Series(name, dtype=object).str.upper() + "." + tld,
                emails.str.upper(), emails.str.title())
    out = emails.copy()
    for k, variant in enumerate(variants):
        out = out.where(~(mixed & (style == k)), variant)
    padded = rng.random(n) < P.EMAIL_PADDED_SHARE
    both = rng.random(n) < 0.5
    out = out.where(~padded, np.where(both, " " + out + " ", out + "  "))
    return out.to_numpy()


def _with_messy_emails(rng, table):
    if isinstance(table, pa.Table):
        emails = messy_emails(rng, table["email"].to_numpy(zero_copy_only=False))
        return table.set_column(table.schema.get_field_index("email"), "email",
                                pa.array(emails, pa.string()))
    table = table.copy()
    table["email"] = messy_emails(rng, table["email"].to_numpy())
    return table
