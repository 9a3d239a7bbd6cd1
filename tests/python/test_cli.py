"""The `b2bkpi` command: help on every command, distinct exit codes, the run folder."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import duckdb
import pytest
from conftest import run_b2bkpi
from typer.testing import CliRunner

from b2bkpi import cli, pipeline

COMMANDS = ["generate", "load", "build", "check", "report", "run", "bench", "lint"]


def invoke(*args: str):
    return CliRunner().invoke(cli.app, list(args))


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
    for expected in ("==> dbt build", "START sql", "Funnel, all channels", "rows per layer",
                     "checks marts:", "published"):
        assert expected in result.stdout


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
    result = run_b2bkpi(folder, "--incremental", str(folder / "raw" / "day_1"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "--full-refresh" not in result.stdout and "published" in result.stdout
    assert _raw_pages(folder / "wh.duckdb") > pages_before
