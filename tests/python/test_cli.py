"""The `b2bkpi` command: help on every command, distinct exit codes, the run folder."""

from __future__ import annotations

import datetime as dt
import fcntl
import inspect
import json
import re
from pathlib import Path

import duckdb
import pytest
import typer
from conftest import SMALL_AS_OF as AS_OF
from conftest import run_b2bkpi
from typer.testing import CliRunner

from b2bkpi import cli, pipeline

COMMANDS = ["generate", "load", "build", "check", "report", "run", "export-marts", "bench",
            "lint"]


def invoke(*args: str):
    # wide enough that rich does not wrap the help's lines
    return CliRunner().invoke(cli.app, list(args), env={"COLUMNS": "200"})


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    assert "usage" in result.output.lower()


def test_top_level_help_lists_commands_and_exit_codes():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
    assert "4 refused" in result.output and "3 failed checks" in result.output


def test_help_shows_the_placeholders():
    assert "Folder for the <source>/<table> raw files." in invoke("generate", "--help").output
    assert "OUT/day_<k>" in invoke("generate", "--help").output
    assert "<source>/<table>.parquet|csv" in invoke("load", "--help").output


def test_generate_defaults_are_the_samples():
    from b2bkpi.generate import generate as simulate

    params = {param.name: param.default
              for param in typer.main.get_command(cli.app).commands["generate"].params}
    assert params["leads"] == pipeline.SAMPLE["leads"] == inspect.signature(
        simulate).parameters["n_leads"].default
    assert params["seed"] == pipeline.SAMPLE["seed"]
    assert f"{params['start']:%Y-%m-%d}" == pipeline.SAMPLE["start"]
    assert f"{params['end']:%Y-%m-%d}" == pipeline.SAMPLE["end"]
    assert f"[default: {pipeline.SAMPLE['leads']}]" in invoke("generate", "--help").output


@pytest.mark.parametrize("args", [
    ["load", "{tmp}/no_such_folder"],
    ["run", "--raw", "{tmp}/no_such_folder"],
    ["run", "--incremental", "{tmp}/raw"],
    ["build"],
    ["check"],
    ["report"],
    ["export-marts", "--out", "{tmp}/kpis.duckdb"],
], ids=lambda args: " ".join(args[:2]))
def test_bad_arguments_fail_before_any_side_effect(tmp_path, args):
    """A missing folder or warehouse is bad input (exit 2) found before the run starts: no
    run folder, no lock, no copy of the warehouse, nothing written."""
    (tmp_path / "raw").mkdir()
    result = invoke(*[arg.format(tmp=tmp_path) for arg in args],
                    "--database", str(tmp_path / "wh.duckdb"),
                    "--runs-dir", str(tmp_path / "runs"))
    assert result.exit_code == 2, result.output
    assert "does not exist" in result.output or "no such warehouse" in result.output
    assert [path.name for path in tmp_path.iterdir()] == ["raw"]


def test_bad_arguments_exit_2(tmp_path):
    result = invoke("run", "--raw", str(tmp_path), "--incremental", str(tmp_path),
                    "--database", str(tmp_path / "wh.duckdb"))
    assert result.exit_code == 2
    assert invoke("generate", "--leads", "0").exit_code == 2


def test_bad_raw_files_exit_2(tmp_path):
    (tmp_path / "raw" / "salesforce").mkdir(parents=True)
    (tmp_path / "raw" / "salesforce" / "lead.csv").write_text("")
    database = tmp_path / "wh.duckdb"
    result = invoke("load", str(tmp_path / "raw"), "--database", str(database))
    assert result.exit_code == 2, result.output
    assert "lead.csv: the file is empty" in result.output
    assert not database.exists(), "a refused load must not publish a warehouse"


def test_failed_checks_exit_3(tmp_path):
    database = tmp_path / "wh.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.kpi_values as select 'lead_to_mql_rate' as kpi_id,"
                    " 'all' as dimension_name, 'all' as dimension_value,"
                    " date '2025-01-01' as period_start, 'ratio' as unit, 1.5 as value")
    result = invoke("check", "--layer", "marts", "--database", str(database))
    assert result.exit_code == 3, result.output
    assert "every ratio in [0, 1]" in result.output


def test_a_held_lock_exits_4_naming_the_holder(tmp_path):
    database = tmp_path / "wh.duckdb"
    lock = pipeline.lock_path(database)
    lock.write_text(json.dumps({"pid": 4242, "started": "2026-01-01 06:00:00 UTC",
                                "command": "run"}))
    with open(lock) as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = invoke("load", str(tmp_path), "--database", str(database))
    assert result.exit_code == 4, result.output
    assert "pid 4242" in result.output and str(lock) in result.output


def test_an_unexpected_error_exits_1_with_its_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "load_raw", broken)
    result = invoke("load", str(tmp_path), "--database", str(tmp_path / "wh.duckdb"),
                    "--runs-dir", str(tmp_path / "runs"))
    assert result.exit_code == 1, result.output
    (folder,) = (tmp_path / "runs").iterdir()
    assert "disk on fire" in (folder / "error.log").read_text()
    assert json.loads((folder / "summary.json").read_text())["exit_code"] == 1


@pytest.fixture(scope="module")
def full_run(small_run, tmp_path_factory):
    """One `b2bkpi run` on a small sample's base, as a user would start it (the session's,
    copied: this module runs the next day on it)."""
    return small_run.copy(tmp_path_factory.mktemp("cli") / "run"), small_run.result


def _raw_pages(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select count(*) from segment.pages").fetchone()[0]


def test_run_prints_the_kpis_and_a_summary(full_run):
    _, result = full_run
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    for expected in ("==> dbt build", "Funnel, all channels", "rows per layer",
                     "checks marts:", "published"):
        assert expected in result.stdout
    # money with its currency sign (the reporting currency, EUR)
    assert re.search(r"\n  cac +\S+ +€[\d,]+ +€[\d,]+ ", result.stdout), result.stdout[-3000:]


def test_run_shows_dbt_progress_not_its_node_lines(full_run):
    """Off a terminal: a line of counts now and then and at the end, not dbt's ~900 lines."""
    folder, result = full_run
    assert "START sql" not in result.stdout and " OK created sql" not in result.stdout
    progress = re.findall(r"dbt: ([\d,]+)/([\d,]+) done, (\d+) errors, (\d+) warnings",
                          result.stdout)
    done, total, errors, warnings = progress[-1]
    results = json.loads((min((folder / "runs").iterdir()) / "run_results.json").read_text())
    nodes = [r for r in results["results"] if not r["unique_id"].startswith("operation.")]
    assert int(done.replace(",", "")) == int(total.replace(",", "")) == len(nodes)
    assert int(errors) == 0
    assert int(warnings) == sum(r["status"] == "warn" for r in nodes)


def test_the_summary_names_every_warned_and_failed_check(full_run):
    folder, result = full_run
    run_folder = min((folder / "runs").iterdir())
    summary = json.loads((run_folder / "summary.json").read_text())
    summary_text = result.stdout[result.stdout.index("rows per layer"):]
    named = 0
    for layer, counts in summary["checks"].items():
        problems = summary["check_problems"][layer]
        not_passed = sum(n for status, n in counts.items() if status not in ("pass", "passed"))
        assert len(problems) == not_passed, (layer, counts, problems)
        for line in problems:
            assert line in summary_text
        named += len(problems)
    # the sample plants an unknown currency: a raw warning, and a dbt warning on its rejects
    assert named >= 2
    assert "currency_iso_code is a currency of dated_conversion_rate" in summary_text
    results = json.loads((run_folder / "run_results.json").read_text())["results"]
    for warned in (r for r in results if r["status"] in ("warn", "fail", "error")):
        name = warned["unique_id"].split(".")[2]
        assert name in summary_text and warned["message"] in summary_text, name


def test_run_folder_has_a_log_per_step_and_the_summary(full_run):
    folder, _ = full_run
    run_folder = min((folder / "runs").iterdir())  # the first run
    summary = json.loads((run_folder / "summary.json").read_text())
    steps = [step["step"] for step in summary["steps"]]
    assert steps == ["copy warehouse", "load", "sources", "check raw", "dbt build", "count rows",
                     "check marts", "publish", "report"]
    assert all(step["status"] == "ok" and step["seconds"] >= 0 for step in summary["steps"])
    assert summary["exit_code"] == 0 and summary["published"] is True
    assert set(summary["rows"]) >= {"raw", "staging", "intermediate", "marts"}
    assert summary["checks"]["dbt"]["fail"] == 0 and summary["checks"]["marts"]["failed"] == 0
    assert (run_folder / "run_results.json").exists()
    assert "OK created sql table model marts.kpi_values" in (
        run_folder / "05_dbt_build.log").read_text()
    assert "loaded salesforce.lead" in (run_folder / "02_load.log").read_text()


def test_an_incremental_run_appends_the_next_day(full_run):
    folder, first = full_run
    assert first.returncode == 0
    pages_before = _raw_pages(folder / "wh.duckdb")
    result = run_b2bkpi(folder, "--incremental", str(folder / "raw" / "day_1"), "--verbose")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "--full-refresh" not in result.stdout and "published" in result.stdout
    assert _raw_pages(folder / "wh.duckdb") > pages_before
    # --verbose: dbt's own stream
    assert "START sql" in result.stdout and "OK created sql table model marts.kpi_values" \
        in result.stdout


def test_the_report_dates_its_data_and_has_the_trend_and_the_channels(full_run):
    folder, result = full_run
    assert result.returncode == 0
    page = (folder / "report" / "kpi_report.html").read_text()
    assert f"Data as of <b>{AS_OF}</b>" in page
    made = re.search(r"generated (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", page)
    assert made and abs(dt.datetime.strptime(made[1], "%Y-%m-%d %H:%M")
                        - dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
                        ) < dt.timedelta(hours=1)
    assert "Conversion by cohort month" in page and "MQL → SQL rate" in page
    table = re.search(r'<table[^>]*class="dataframe channels".*?</table>', page, re.S)[0]
    with duckdb.connect(str(folder / "wh.duckdb"), read_only=True) as con:
        # the report's period: the last 12 months with leads
        channels = {channel for (channel,) in con.execute(
            "select distinct dimension_value from marts.kpi_values where kpi_id ="
            " 'leads_created' and dimension_name = 'channel' and numerator > 0 and"
            " period_start > (select max(period_start) from marts.kpi_values"
            " where kpi_id = 'leads_created') - interval 12 month").fetchall()}
    assert channels and all(f"<td>{channel}</td>" in table for channel in channels)


def test_export_marts_writes_the_marts_and_nothing_else(full_run, tmp_path):
    folder, first = full_run
    assert first.returncode == 0
    out = tmp_path / "bi" / "kpis.duckdb"
    result = invoke("export-marts", "--out", str(out), "--database", str(folder / "wh.duckdb"),
                    "--runs-dir", str(tmp_path / "runs"))
    assert result.exit_code == 0, result.output
    tables = ("select table_schema, table_name, table_type from information_schema.tables"
              " where table_catalog = current_database() and table_schema = 'marts'")
    with duckdb.connect(str(folder / "wh.duckdb"), read_only=True) as con:
        marts = {(schema, name) for schema, name, kind in con.execute(tables).fetchall()
                 if kind == "BASE TABLE"}
        rows = {name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
                for _, name in marts}
    with duckdb.connect(str(out), read_only=True) as con:
        schemas = {schema for (schema,) in con.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
        exported = {(schema, name) for schema, name, _ in con.execute(tables).fetchall()}
        exported_rows = {name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
                         for _, name in exported}
    assert schemas == {"marts"}
    assert exported == marts and ("marts", "kpi_values") in marts
    assert exported_rows == rows
    assert not (out.parent / (out.name + ".writing")).exists()
