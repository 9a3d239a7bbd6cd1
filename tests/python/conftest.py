"""One generated data set per seed, loaded and built once per test session.

`make test` runs pytest on two workers (pytest-xdist, `-n 2`) with the scheduler below: the
tests are handed out in groups, the seed of the session build a test reads (so that each seed
is built once, by one worker) or else the test's module (so that its module-scoped fixtures
are set up once), and the groups that run the pipeline first, so that no long one starts
last."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd
import pytest

from b2bkpi.generate import generate
from b2bkpi.load import load_folder

PROJECT_DIR = Path(__file__).resolve().parents[2]
# the catalogue's oracles must hold on any generated data: two seeds
SEEDS, LEADS = (7, 13), 2500
START, END = dt.date(2022, 1, 1), dt.date(2025, 6, 30)
AS_OF = pd.Timestamp("2025-07-01 00:00:00")
# the small sample of the `b2bkpi run` tests (test_cli.py, test_run_safety.py)
SMALL = {"seed": 7, "n_leads": 300, "start": dt.date(2025, 1, 1), "end": dt.date(2025, 6, 30)}
SMALL_AS_OF = "2025-07-01"
# the modules (after the seeds' groups) whose fixtures run the pipeline, longest first
LONG_MODULES = ("test_spark.py", "test_run_safety.py", "test_incremental.py", "test_cli.py",
                "test_bad_input.py", "test_hubspot.py", "test_channel_mapping.py")


@dataclass(frozen=True)
class Build:
    database: Path
    raw: Path
    truth: Path
    as_of: pd.Timestamp
    target: Path  # dbt's target folder of this build (manifest, compiled SQL)

    def query(self, sql: str) -> pd.DataFrame:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql).df()


def run_dbt(database: Path, *args: str) -> subprocess.CompletedProcess:
    """dbt on `database`, with its target and logs beside it (never in the work tree)."""
    env = {**os.environ, "B2B_DUCKDB_PATH": str(database),
           "DBT_TARGET_PATH": str(database.parent / "target"),
           "DBT_LOG_PATH": str(database.parent / "logs")}
    command = [str(Path(sys.executable).with_name("dbt")), *args,
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)


def run_b2bkpi(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`b2bkpi run` on `folder`'s warehouse (wh.duckdb), as a user would start it; its run
    folders in `folder`/runs and dbt's target in `folder`/target."""
    env = {**os.environ, "DBT_TARGET_PATH": str(folder / "target")}
    return subprocess.run(
        [str(Path(sys.executable).with_name("b2bkpi")), "run", *args, "--as-of", SMALL_AS_OF,
         "--database", str(folder / "wh.duckdb"), "--runs-dir", str(folder / "runs")],
        env=env, capture_output=True, text=True, timeout=600)


def built_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made by `make` once per session, however many xdist workers ask for it: the
    first one makes it (under a file lock in the workers' shared temporary folder), the others
    wait for it. Read only: copy it to change it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@dataclass(frozen=True)
class SmallRun:
    """One `b2bkpi run` on the small sample's base (raw/base; raw/day_1 is its next day)."""
    folder: Path  # raw/, truth/, wh.duckdb, runs/, target/
    result: subprocess.CompletedProcess

    def copy(self, destination: Path) -> Path:
        """The whole folder copied to `destination`, for a test that changes it."""
        shutil.copytree(self.folder, destination, symlinks=True)
        return destination


@pytest.fixture(scope="session")
def small_run(tmp_path_factory) -> SmallRun:
    def make(folder: Path) -> None:
        generate(folder / "raw", folder / "truth", **SMALL, log=lambda message: None,
                 daily_increments=1)
        result = run_b2bkpi(folder, "--raw", str(folder / "raw" / "base"))
        for name in ("returncode", "stdout", "stderr"):
            (folder.parent / f"small_run.{name}").write_text(str(getattr(result, name)))

    folder = built_once(tmp_path_factory, "small_run", make)
    returncode, stdout, stderr = (
        (folder.parent / f"small_run.{name}").read_text()
        for name in ("returncode", "stdout", "stderr"))
    return SmallRun(folder, subprocess.CompletedProcess(
        "b2bkpi run", int(returncode), stdout, stderr))


def _seed_id(seed: int) -> str:
    return f"seed{seed}"


SEED_ID = re.compile(r"(?<=[\[-])seed\d+(?=[\]-])")  # a `build` parameter in a test's id


@pytest.fixture(scope="session", params=SEEDS, ids=[_seed_id(seed) for seed in SEEDS])
def build(request, tmp_path_factory) -> Build:
    folder = tmp_path_factory.mktemp(f"pipeline_seed{request.param}")
    raw, truth, database = folder / "raw", folder / "truth", folder / "warehouse.duckdb"
    generate(raw, truth, request.param, LEADS, START, END)
    load_folder(raw, database, log=lambda message: None)
    result = run_dbt(database, "build", "--vars", f"{{lifecycle_as_of: '{AS_OF}'}}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return Build(database, raw, truth, AS_OF, folder / "target")


# `pytestmark = FIRST_SEED_ONLY` in a module that checks the build against itself (its docs
# site, the same project on PostgreSQL or without the optional sources, MetricFlow, the
# dashboard in a browser) rather than against the generator's truth: the same SQL on other data
# adds little. The oracles, which must hold on any generated data, run on every seed.
FIRST_SEED_ONLY = pytest.mark.parametrize("build", SEEDS[:1], ids=[_seed_id(SEEDS[0])],
                                          indirect=True)


def _group(nodeid: str) -> str:
    """The seed of the build a test reads, else its module."""
    seed = SEED_ID.search(nodeid.partition("::")[2])
    return seed.group() if seed else nodeid.partition("::")[0]


def _rank(group: str) -> int:
    if group in map(_seed_id, SEEDS):
        return 0
    name = Path(group).name
    return 1 + (LONG_MODULES.index(name) if name in LONG_MODULES else len(LONG_MODULES))


class GroupScheduling:
    """pytest-xdist's hook: its load-by-scope scheduling with our groups as the scopes, the
    longest handed out first. (xdist's own `--dist loadgroup` renames the tests' ids, which
    pytest 9 ignores.)"""

    @staticmethod
    def pytest_xdist_make_scheduler(config, log):
        from xdist.scheduler import LoadScopeScheduling

        class Scheduling(LoadScopeScheduling):
            ordered = False

            def _split_scope(self, nodeid: str) -> str:
                return _group(nodeid)

            def _assign_work_unit(self, node) -> None:
                if not self.ordered:
                    for scope in sorted(self.workqueue, key=_rank):
                        self.workqueue.move_to_end(scope)
                    self.ordered = True
                super()._assign_work_unit(node)

        return Scheduling(config, log)


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(GroupScheduling(), "b2bkpi-group-scheduling")
