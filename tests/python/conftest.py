"""One generated data set per seed, loaded and built once per test session.

`make test` runs pytest on two workers (pytest-xdist, `-n 2`) with the scheduler below: the
tests are handed out in groups, the seed of the session build a test reads (so that each seed
is built once, by one worker) or else the test's module (so that its module-scoped fixtures
are set up once), and the groups that run the pipeline first, so that no long one starts
last."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
# the modules (after the seeds' groups) whose fixtures run the pipeline, longest first
LONG_MODULES = ("test_run_safety.py", "test_incremental.py", "test_cli.py",
                "test_bad_input.py", "test_channel_mapping.py")


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
