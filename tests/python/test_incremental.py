"""Incremental runs equal a full refresh: a base and three daily increments, loaded with
`--append` and built incrementally, give every mart row for row what a full refresh over the
same raw tables gives."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from b2bkpi.generate import generate
from b2bkpi.load import RawDataError, load_folder
from conftest import run_dbt

SEED, LEADS, DAYS = 7, 600, 3
START, END = dt.date(2024, 7, 1), dt.date(2025, 6, 30)
VARS = "{lifecycle_as_of: '2025-07-01 00:00:00'}"
FIRST_INCREMENT_DAY = END - dt.timedelta(days=DAYS - 1)


@dataclass(frozen=True)
class Incremental:
    raw: Path
    database: Path
    incremental_marts: dict[str, list[tuple]]  # after a full build and three incremental runs
    full_marts: dict[str, list[tuple]]  # after a full refresh over the same raw tables


def _dbt(database: Path, *args: str) -> None:
    result = run_dbt(database, *args, "--vars", VARS)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def _marts(database: Path) -> dict[str, list[tuple]]:
    """Every table of the marts schema, its rows sorted."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [name for name, in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE'").fetchall()]
        return {name: sorted(con.execute(f'select * from marts."{name}"').fetchall(), key=repr)
                for name in tables}


@pytest.fixture(scope="module")
def incremental(tmp_path_factory) -> Incremental:
    folder = tmp_path_factory.mktemp("incremental")
    raw, database = folder / "raw", folder / "warehouse.duckdb"
    generate(raw, folder / "truth", SEED, LEADS, START, END, log=lambda message: None,
             daily_increments=DAYS)
    load_folder(raw / "base", database, log=lambda message: None)
    # `dbt run` where the tests add nothing to the comparison; the last incremental run is a
    # `dbt build`, so the data tests (keys, row reconciliation) also pass on incremental tables
    _dbt(database, "seed")
    _dbt(database, "run", "--full-refresh")
    for day in range(1, DAYS + 1):
        load_folder(raw / f"day_{day}", database, log=lambda message: None, append=True)
        _dbt(database, "build" if day == DAYS else "run")
    incremental_marts = _marts(database)
    _dbt(database, "run", "--full-refresh")
    return Incremental(raw, database, incremental_marts, _marts(database))


def _same(left: tuple, right: tuple) -> bool:
    return len(left) == len(right) and all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        if isinstance(a, float) and isinstance(b, float) else a == b
        for a, b in zip(left, right))


def test_every_mart_equals_a_full_refresh(incremental):
    assert incremental.full_marts.keys() == incremental.incremental_marts.keys()
    assert len(incremental.full_marts) > 30
    different = []
    for name, full in incremental.full_marts.items():
        built = incremental.incremental_marts[name]
        if len(built) != len(full) or not all(_same(a, b) for a, b in zip(built, full)):
            different.append(f"{name}: {len(built)} rows incrementally, {len(full)} in full")
    assert not different, "\n".join(different)


def _query(raw: Path, sql: str) -> int:
    return duckdb.sql(sql.replace("RAW", str(raw))).fetchone()[0]


def test_increments_update_and_delete_earlier_records(incremental):
    raw = incremental.raw
    for day in range(1, DAYS + 1):
        increment = raw / f"day_{day}"
        # new versions of leads and opportunities already in the base
        assert _query(increment, "select count(*) from 'RAW/salesforce/lead.parquet' where id "
                                 "in (select id from 'RAW/../base/salesforce/lead.parquet')") > 0
        # history rows and a soft delete of a lead the base holds undeleted
        assert _query(increment, "select count(*) from 'RAW/salesforce/lead_history.parquet'") > 0
        assert _query(increment, "select count(*) from 'RAW/salesforce/lead.parquet' d "
                                 "join 'RAW/../base/salesforce/lead.parquet' b using (id) "
                                 "where d.is_deleted and not b.is_deleted") == 1
        # restated ad stats: a newer version of a row loaded before
        loaded = [str(raw / folder / "google_ads" / "campaign_stats.parquet")
                  for folder in ["base", *(f"day_{k}" for k in range(1, day))]]
        assert _query(increment, "select count(*) from 'RAW/google_ads/campaign_stats.parquet' "
                                 f"join read_parquet({loaded}) "
                                 "using (customer_id, date, id, ad_network_type, device)") > 0
    assert _query(raw, "select count(*) from 'RAW/day_*/salesforce/opportunity.parquet' where "
                       "id in (select id from 'RAW/base/salesforce/opportunity.parquet')") > 0


def test_increments_hold_late_arriving_events(incremental):
    raw = incremental.raw
    # pages viewed before the day they landed, and pages landed after a later one was loaded
    late_views = sum(_query(raw / f"day_{day}", "select count(*) from "
                            f"'RAW/segment/pages.parquet' where cast(timestamp as timestamptz) < "
                            f"timestamptz '{FIRST_INCREMENT_DAY + dt.timedelta(days=day - 1)}'")
                     for day in range(1, DAYS + 1))
    landed_late = _query(raw, "select count(*) from 'RAW/day_1/segment/pages.parquet' where "
                              "received_at < (select max(received_at) from "
                              "'RAW/base/segment/pages.parquet')")
    assert late_views > 0 and landed_late > 0


def test_append_refuses_a_file_whose_columns_differ(incremental, tmp_path):
    day = tmp_path / "day" / "segment"
    day.mkdir(parents=True)
    duckdb.sql(f"copy (select *, 1 as surprise from "
               f"'{incremental.raw}/day_1/segment/tracks.parquet') to '{day}/tracks.parquet'")
    with pytest.raises(RawDataError, match=r"cannot append to segment\.tracks.*surprise"):
        load_folder(tmp_path / "day", incremental.database, log=lambda message: None,
                    append=True)
