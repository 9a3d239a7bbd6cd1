"""Daily mode: the simulated world, cut by load stamp into a base and one increment per day.

The world is simulated once up to the end day; then every raw table is split by the time a
loader landed each row: `received_at` for Segment pages, the event `timestamp` for Segment
identifies and tracks (their contract has no load stamp), `_fivetran_synced` for every
Fivetran table. The base holds the rows landed before the first increment day; increment k the
rows landed on day k (the last `n_days` days of the range). File exports (CSV: social,
finance, surveys) carry no load stamp: the base holds the whole file and the increments none.

So that the increments really update and delete earlier records:
- one junk lead per increment day (created before the cut, soft-deleted in every mode) has its
  deletion land on that day;
- Google Ads restates the conversions of the day before yesterday: a newer version of a
  campaign_stats row already loaded, on every increment day;
and the base gets what the source held before each change landed in an increment:
- a lead or opportunity changed on an increment day: its version before the change (status,
  stage, amount), synced before the first increment day;
- a record soft-deleted on an increment day: the same record not yet deleted;
- a share of Segment pages of the days around the cut arrives a day or two late (Segment
  replays), so increments hold events older than their load day.
A contact lands no later than the first lead row converted into it (`with_converted_leads`):
each day's load then holds the contact its converted leads name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from b2bkpi.generator.core import DAY, HOUR, MINUTE, SECOND, Sim, day_us, whole_seconds
from b2bkpi.generator.mess import FIVETRAN_SOURCES
from b2bkpi.raw_contract import RawTable

DELETE_FLAGS = ("is_deleted", "_fivetran_deleted")
LATE_PAGE_SHARE = 0.03  # pages of the days around the cut that Segment delivers late
LATE_LANDING_HOURS, LATE_LANDING_SHARE = 6, 0.1  # rows stamped this close to a load: share late
EVENT_STAMPED = ("segment/identifies", "segment/tracks")


def first_increment_us(sim: Sim, n_days: int) -> int:
    """The first microsecond of increment day 1 (the range's last `n_days` days are increments)."""
    if not 1 <= n_days < sim.n_days:
        raise ValueError(f"the daily increments ({n_days}) must be at least 1 and fewer than "
                         f"the simulated days ({sim.n_days})")
    return day_us(sim.end) + DAY - n_days * DAY


def load_stamps(name: str, contract: RawTable, table) -> np.ndarray | None:
    """When each row landed (int64 µs, UTC; a row without a usable stamp counts as early),
    or None for a file export without a load stamp."""
    if contract.file_format == "csv":
        return None
    if name in EVENT_STAMPED:
        text = pd.Series(table["timestamp"].to_numpy(zero_copy_only=False), dtype=object)
        parsed = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
        return parsed.dt.tz_localize(None).to_numpy("datetime64[us]").astype(np.int64)
    column = "received_at" if name == "segment/pages" else "_fivetran_synced"
    values = table[column]
    values = values.to_numpy(zero_copy_only=False) if isinstance(values, (pa.Array, pa.ChunkedArray)) \
        else values.to_numpy()
    return np.asarray(values).astype("datetime64[us]").astype(np.int64)


def add_late_changes(sim: Sim, tables: dict, previous: dict[str, pd.DataFrame], cut: int,
                     n_days: int) -> None:
    """Land deletions and restatements on the increment days, give every record changed or
    deleted on an increment day its earlier version in the base, and delay a share of the
    pages around the cut (in place)."""
    rng = sim.rng("daily:earlier-versions")
    increment_days = cut + np.arange(n_days) * DAY
    tables["salesforce/lead"] = _deletions_landing_late(tables["salesforce/lead"], increment_days)
    tables["google_ads/campaign_stats"] = _restated(tables["google_ads/campaign_stats"],
                                                    increment_days)
    for name in sorted(tables):
        table = tables[name]
        if name.split("/")[0] not in FIVETRAN_SOURCES or not isinstance(table, pd.DataFrame):
            continue
        late = table["_fivetran_synced"].to_numpy().astype("datetime64[us]").astype(np.int64) >= cut
        earlier = [_undeleted(table, late, cut), _before_last_change(table, late, previous.get(name), cut)]
        earlier = [rows for rows in earlier if rows is not None and len(rows)]
        if earlier:
            rows = pd.concat(earlier, ignore_index=True)
            rows["_fivetran_synced"] = whole_seconds(cut - rng.integers(1, 6 * 60, len(rows)) * MINUTE)
            tables[name] = pd.concat([table, rows[table.columns]], ignore_index=True)
    tables["segment/pages"] = _late_pages(sim, rng, tables["segment/pages"], cut)


def _deletions_landing_late(lead: pd.DataFrame, increment_days: np.ndarray) -> pd.DataFrame:
    """The first junk leads created before the cut are deleted on the increment days."""
    created = lead["created_date"].to_numpy()
    junk = np.flatnonzero(lead["is_deleted"].to_numpy(bool) & (created > 0)
                          & (created < increment_days[0] - DAY))[:len(increment_days)]
    lead = lead.copy()
    landed = increment_days[:len(junk)] + 9 * HOUR
    lead.loc[lead.index[junk], "_fivetran_synced"] = landed
    lead.loc[lead.index[junk], "_modified"] = landed
    return lead


def _restated(stats: pd.DataFrame, increment_days: np.ndarray) -> pd.DataFrame:
    """On each increment day, the rows of the day before yesterday again, one conversion more."""
    report_day = stats["date"].to_numpy().astype("datetime64[D]").astype(np.int64) * DAY
    restated = []
    for day in increment_days:
        rows = stats[(report_day == day - 2 * DAY)
                     & (stats["_fivetran_synced"].to_numpy() < day)]
        rows = rows.drop_duplicates(["customer_id", "date", "id", "ad_network_type", "device"])
        rows = rows.assign(conversions=rows["conversions"] + 1,
                           conversions_value=rows["conversions_value"] + 50,
                           _fivetran_synced=day + 7 * HOUR)
        restated.append(rows)
    return pd.concat([stats, *restated], ignore_index=True)


def _undeleted(table: pd.DataFrame, late: np.ndarray, cut: int) -> pd.DataFrame | None:
    """The soft deletes of increment days, as the records were before: not deleted."""
    flag = next((f for f in DELETE_FLAGS if f in table.columns), None)
    created = next((c for c in ("created_date", "created_at") if c in table.columns), None)
    if flag is None or created is None:
        return None
    existed = table[created].to_numpy().astype("datetime64[us]").astype(np.int64) < cut
    rows = table[late & table[flag].fillna(False).to_numpy(bool) & existed].copy()
    rows[flag] = False
    return rows


def _before_last_change(table: pd.DataFrame, late: np.ndarray, previous: pd.DataFrame | None,
                        cut: int) -> pd.DataFrame | None:
    """Leads and opportunities changed on an increment day, as they were before the change."""
    if previous is None or previous.empty:
        return None
    changed = previous[previous["id"].isin(table.loc[late, "id"])
                       & (previous["_modified"].to_numpy() < cut)]
    return changed.reindex(columns=table.columns)


def _late_pages(sim: Sim, rng: np.random.Generator, pages: pa.Table, cut: int) -> pa.Table:
    """Pages of the two days before the cut and of the increment days (but the last), some
    received 20-40 hours late: late-arriving events that an increment must still place."""
    received = pages["received_at"].to_numpy(zero_copy_only=False).astype("datetime64[us]") \
        .astype(np.int64)
    around_cut = (received >= cut - 2 * DAY) & (received < sim.t_end - 2 * DAY)
    late = around_cut & (rng.random(len(received)) < LATE_PAGE_SHARE)
    delay = rng.integers(20 * 60 * 60, 40 * 60 * 60, len(received)) * SECOND
    received = np.where(late, np.minimum(received + delay, sim.t_end - HOUR), received)
    index = pages.schema.get_field_index("received_at")
    return pages.set_column(index, "received_at", pa.array(received.view("datetime64[us]")))


def landing_days(rng: np.random.Generator, stamps: np.ndarray | None, cut: int,
                 n_days: int) -> np.ndarray | None:
    """The load day of each row: 0 for the base, k for increment day k; None for a file
    export (no stamps), whole in the base. A share of the rows stamped in the last hours
    before a load lands with the next load (a sync still running, a Segment batch written
    late): an increment holds rows stamped before the latest one already loaded."""
    if stamps is None:
        return None
    day = np.where(stamps < cut, 0, np.minimum((stamps - cut) // DAY + 1, n_days))
    before_load = ((stamps - cut) % DAY >= DAY - LATE_LANDING_HOURS * HOUR) \
        & (stamps >= cut - LATE_LANDING_HOURS * HOUR)
    late = before_load & (day < n_days) & (rng.random(len(day)) < LATE_LANDING_SHARE)
    return day + late


def with_converted_leads(contact_day: np.ndarray, contact_ids, lead_day: np.ndarray,
                         converted_contact_ids) -> np.ndarray:
    """The contacts' load days, each moved up to the first load of a lead row converted into
    it: the two syncs' lags and late landings are independent, and a lead landing before its
    contact would name a contact the warehouse does not hold yet."""
    leads = pd.DataFrame({"contact_id": converted_contact_ids, "day": lead_day}).dropna()
    first = leads.groupby("contact_id")["day"].min()
    cap = first.reindex(pd.Index(contact_ids)).to_numpy()
    return np.where(np.isnan(cap), contact_day, np.fmin(contact_day, cap)).astype(contact_day.dtype)
