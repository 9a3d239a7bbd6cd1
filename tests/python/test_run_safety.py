"""Run safety: a run killed mid-build leaves the previous marts intact and the next run
succeeds; a second run against a warehouse another run is writing is refused."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import SMALL_AS_OF

from b2bkpi import pipeline

TIMEOUT = 300


class Warehouse:
    def __init__(self, folder: Path):
        self.folder = folder
        self.raw = folder / "raw" / "base"
        self.database = folder / "wh.duckdb"
        self.env = {**os.environ, "DBT_TARGET_PATH": str(folder / "target")}

    def command(self) -> list[str]:
        return [str(Path(sys.executable).with_name("b2bkpi")), "run", "--raw", str(self.raw),
                "--as-of", SMALL_AS_OF, "--database", str(self.database)]

    def start(self) -> subprocess.Popen:
        """A run in its own process group (so that killing it kills its dbt too)."""
        return subprocess.Popen(self.command(), env=self.env, start_new_session=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def run(self) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(), env=self.env, capture_output=True, text=True,
                              timeout=TIMEOUT)

    def kpi_checksum(self) -> tuple:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(
                "select count(*), sum(hash(kpi_id, period_grain, period_start, dimension_name,"
                " dimension_value, value)) from marts.kpi_values").fetchone()

    def file_digest(self) -> str:
        return hashlib.sha256(self.database.read_bytes()).hexdigest()

    def latest_run_folder(self) -> Path | None:
        folders = sorted((self.folder / "runs").glob("*"))
        return folders[-1] if folders else None


def wait_for(condition, what: str, process: subprocess.Popen, timeout: float = TIMEOUT) -> None:
    """Poll an observable event of a running process; fail if it ends or time runs out."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the run ended (exit {process.returncode}) before {what}:\n"
                        + process.stdout.read()[-3000:])
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def dbt_has_started_a_model(warehouse: Warehouse, before: Path | None) -> bool:
    folder = warehouse.latest_run_folder()
    if folder is None or folder == before:
        return False
    return any("START sql" in log.read_text() for log in folder.glob("*_dbt_build.log"))


def lock_is_free(database: Path) -> bool:
    with open(pipeline.lock_path(database)) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


@pytest.fixture(scope="module")
def warehouse(small_run, tmp_path_factory) -> Warehouse:
    """A small sample, run once so that the warehouse has marts (the session's, copied)."""
    result = small_run.result
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return Warehouse(small_run.copy(tmp_path_factory.mktemp("run_safety") / "run"))


def test_a_run_killed_mid_build_leaves_the_marts_intact(warehouse):
    marts_before, file_before = warehouse.kpi_checksum(), warehouse.file_digest()
    previous_folder = warehouse.latest_run_folder()
    process = warehouse.start()
    try:
        wait_for(lambda: dbt_has_started_a_model(warehouse, previous_folder),
                 "dbt started a model", process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert pipeline.building_path(warehouse.database).exists(), "the killed run's leftover copy"
    assert warehouse.file_digest() == file_before
    assert warehouse.kpi_checksum() == marts_before
    assert lock_is_free(warehouse.database), "the OS releases a killed holder's lock"

    result = warehouse.run()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert not pipeline.building_path(warehouse.database).exists()
    assert warehouse.file_digest() != file_before, "the next run published a new warehouse"
    assert warehouse.kpi_checksum()[0] > 0


def test_a_second_run_is_refused_while_one_is_running(warehouse):
    lock = pipeline.lock_path(warehouse.database)
    first = warehouse.start()

    def first_holds_the_lock() -> bool:
        try:
            return json.loads(lock.read_text())["pid"] == first.pid
        except (ValueError, KeyError, FileNotFoundError):
            return False

    try:
        wait_for(first_holds_the_lock, "the first run took the lock", first)
        second = warehouse.run()
        assert first.poll() is None, "the first run must still hold the lock"
    finally:
        output, _ = first.communicate(timeout=TIMEOUT)
    assert second.returncode == 4, second.stdout + second.stderr
    assert "refused: another run (pid " + str(first.pid) in second.stdout
    assert str(lock) in second.stdout
    assert first.returncode == 0, output[-4000:]
