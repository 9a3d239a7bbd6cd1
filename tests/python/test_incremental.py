"""Incremental runs equal a full refresh: a base and three daily increments, loaded with
`--append` and built incrementally, give every mart row for row what a full refresh over the
same raw tables gives, except the attribution credits, which are kept once computed
(catalogue section 4): only a full refresh restates them."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from b2bkpi.generate import generate
from b2bkpi.load import RawDataError, load_folder
from conftest import run_dbt
from kpi_rows import registered_kpis

SEED, LEADS, DAYS = 7, 600, 3
START, END = dt.date(2024, 7, 1), dt.date(2025, 6, 30)
VARS = "{lifecycle_as_of: '2025-07-01 00:00:00'}"
FIRST_INCREMENT_DAY = END - dt.timedelta(days=DAYS - 1)
# Credits are kept once computed, so the incremental table may differ from a full refresh on
# the opportunities whose counted touches changed since (a late identify, a late page moving
# a session's start or landing page); computed_at is the run's time. The KPIs reading the
# credits follow them (in kpi_attribution and in kpi_values, whose first column is kpi_id).
KEPT_CREDITS = "fct_attribution"
TOUCH_COLUMNS = ["attribution_model", "touchpoint_id", "touched_at", "channel", "campaign",
                 "platform"]
CREDIT_KPIS = set(registered_kpis("kpi_attribution"))
READS_KEPT_CREDITS = {"kpi_attribution", "kpi_values"}


@dataclass(frozen=True)
class Incremental:
    raw: Path
    database: Path
    incremental_marts: dict[str, list[tuple]]  # after a full build and three incremental runs
    full_marts: dict[str, list[tuple]]  # after a full refresh over the same raw tables
    base_credits: pd.DataFrame  # fct_attribution after the base's full build
    incremental_credits: pd.DataFrame  # ... after the three incremental runs
    full_credits: pd.DataFrame  # ... after the full refresh


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


def _credits(database: Path) -> pd.DataFrame:
    """The credits table, nulls as None (so that rows compare with ==)."""
    with duckdb.connect(str(database), read_only=True) as con:
        frame = con.execute(f"select * from marts.{KEPT_CREDITS}").df().astype(object)
    return frame.where(frame.notna(), None)


def _by_opportunity(credits: pd.DataFrame, columns=None) -> dict[str, list[tuple]]:
    """opportunity_id -> its credit rows (all columns, or `columns`), sorted."""
    frame = credits if columns is None else credits[["opportunity_id", *columns]]
    rows: dict[str, list[tuple]] = {}
    for row in frame.itertuples(index=False):
        rows.setdefault(row.opportunity_id, []).append(tuple(row))
    return {key: sorted(value, key=repr) for key, value in rows.items()}


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
    base_credits = _credits(database)
    for day in range(1, DAYS + 1):
        load_folder(raw / f"day_{day}", database, log=lambda message: None, append=True)
        _dbt(database, "build" if day == DAYS else "run")
    incremental_marts, incremental_credits = _marts(database), _credits(database)
    _dbt(database, "run", "--full-refresh")
    return Incremental(raw, database, incremental_marts, _marts(database), base_credits,
                       incremental_credits, _credits(database))


def _same(left: tuple, right: tuple) -> bool:
    return len(left) == len(right) and all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        if isinstance(a, float) and isinstance(b, float) else a == b
        for a, b in zip(left, right))


def _restated(incremental: Incremental) -> set[str]:
    """The opportunities whose counted touches differ between the kept credits and a full
    refresh: the only ones whose credits may differ."""
    kept = _by_opportunity(incremental.incremental_credits, TOUCH_COLUMNS)
    full = _by_opportunity(incremental.full_credits, TOUCH_COLUMNS)
    return {key for key in kept.keys() | full.keys() if kept.get(key) != full.get(key)}


def test_every_mart_equals_a_full_refresh(incremental):
    assert incremental.full_marts.keys() == incremental.incremental_marts.keys()
    assert len(incremental.full_marts) > 30
    restated = _restated(incremental)
    different = []
    for name, full in incremental.full_marts.items():
        if name == KEPT_CREDITS:
            continue  # see test_credits_equal_a_full_refresh_where_their_touches_did_not_change
        built = incremental.incremental_marts[name]
        if restated and name in READS_KEPT_CREDITS:
            full = [row for row in full if row[0] not in CREDIT_KPIS]
            built = [row for row in built if row[0] not in CREDIT_KPIS]
        if len(built) != len(full) or not all(_same(a, b) for a, b in zip(built, full)):
            different.append(f"{name}: {len(built)} rows incrementally, {len(full)} in full")
    assert not different, "\n".join(different)


def test_credits_equal_a_full_refresh_where_their_touches_did_not_change(incremental):
    restated = _restated(incremental)
    columns = [c for c in incremental.full_credits.columns if c != "computed_at"]
    kept = _by_opportunity(incremental.incremental_credits, columns)
    full = _by_opportunity(incremental.full_credits, columns)
    assert kept.keys() == full.keys(), "every won opportunity is credited, and only those"
    assert len(kept) - len(restated) > 5
    different = [key for key in kept.keys() - restated
                 if len(kept[key]) != len(full[key])
                 or not all(_same(a, b) for a, b in zip(kept[key], full[key]))]
    assert not different, f"{len(different)} opportunities differ, e.g. {different[:3]}"


def test_incremental_runs_keep_earlier_credits(incremental):
    """An opportunity credited by the base's build keeps its rows, computed_at included,
    through the incremental runs; those credited later are computed by a later run."""
    base = _by_opportunity(incremental.base_credits)
    kept = _by_opportunity(incremental.incremental_credits)
    assert len(base) > 5
    changed = [key for key in base if kept.get(key) != base[key]]
    assert not changed, f"{len(changed)} credited opportunities restated, e.g. {changed[:3]}"
    computed = incremental.incremental_credits.groupby("opportunity_id")["computed_at"]
    assert (computed.nunique() == 1).all(), "an opportunity's credits are computed at once"
    later = computed.first()[lambda at: ~at.index.isin(list(base))]
    assert len(later) > 0 and (later > incremental.base_credits["computed_at"].max()).all()


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


def test_a_late_identify_restates_credits_on_a_full_refresh_only(incremental, tmp_path):
    """A visitor never identified had a session in a won opportunity's window; an identify
    landing today links it to a contact of the opportunity's account. An incremental run
    makes the session a touch but keeps the opportunity's credits; a full refresh restates
    them with the new touch."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(incremental.database, database)
    with duckdb.connect(str(database), read_only=True) as con:
        opportunity_id, account_id, email, anonymous_id = con.execute("""
            select o.opportunity_id, o.account_id, c.email, s.anonymous_id
            from intermediate.int_attribution_opportunities as o
            inner join staging.stg_salesforce__contact as c on o.account_id = c.account_id
            inner join marts.fct_web_sessions as s
                on s.started_at between o.opportunity_created_at - interval 80 day
                and o.opportunity_created_at - interval 1 day
            where c.email is not null and s.anonymous_id not in (
                select anonymous_id from staging.stg_segment__identifies
                where anonymous_id is not null)
            order by o.opportunity_id, c.email, s.anonymous_id
            limit 1""").fetchone()
    credits = _credits(database)
    before = _by_opportunity(credits)[opportunity_id]
    computed_before = credits.loc[credits["opportunity_id"] == opportunity_id, "computed_at"].max()
    late = tmp_path / "late" / "segment"
    late.mkdir(parents=True)
    pd.DataFrame({"id": ["late-identify-1"], "anonymous_id": [anonymous_id],
                  "user_id": ["late-user-1"], "email": [email],
                  "timestamp": [f"{END}T12:00:00.000+00:00"]}).to_parquet(
        late / "identifies.parquet", index=False)
    load_folder(late.parent, database, log=lambda message: None, append=True)

    _dbt(database, "run", "--select", f"+{KEPT_CREDITS}")
    with duckdb.connect(str(database), read_only=True) as con:
        touches = con.execute(
            "select touchpoint_id from marts.fct_touchpoints where account_id = ? and "
            "touchpoint_id like ?", [account_id, f"web_session-{anonymous_id}-%"]).fetchall()
    assert touches, "the identify made no touch of the opportunity's account"
    assert _by_opportunity(_credits(database))[opportunity_id] == before

    _dbt(database, "run", "--select", KEPT_CREDITS, "--full-refresh")
    credits = _credits(database)
    restated = credits[credits["opportunity_id"] == opportunity_id]
    assert {touch for touch, in touches} <= set(restated["touchpoint_id"])
    assert (restated["computed_at"] > computed_before).all()


def _listed(folder: Path, *selection: str) -> list[dict]:
    result = run_dbt(folder / "wh.duckdb", "-q", "ls", "--output", "json", *selection)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_a_daily_run_builds_every_model_and_tests_only_what_it_wrote(tmp_path):
    """`b2bkpi run --incremental` builds with `--selector daily` (selectors.yml): every model,
    and of the tests only those of incremental models and those tagged daily."""
    everything = _listed(tmp_path)
    incremental = {node["unique_id"] for node in everything if node["resource_type"] == "model"
                   and node["config"]["materialized"] == "incremental"}
    daily = _listed(tmp_path, "--selector", "daily")
    models = {node["unique_id"] for node in everything if node["resource_type"] == "model"}
    assert incremental
    assert {node["unique_id"] for node in daily if node["resource_type"] == "model"} == models
    tests = [node for node in daily if node["resource_type"] in ("test", "unit_test")]
    assert tests and all(node["resource_type"] == "test" for node in tests)
    for node in tests:
        assert "daily" in node["tags"] or incremental & set(node["depends_on"]["nodes"]), \
            node["unique_id"]
    assert len(tests) < len([n for n in everything if n["resource_type"] == "test"]) / 2
