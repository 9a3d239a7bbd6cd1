"""One generated data set, loaded and built once per test session."""

from __future__ import annotations

import datetime as dt
import os
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


@pytest.fixture(scope="session", params=SEEDS, ids=[f"seed{seed}" for seed in SEEDS])
def build(request, tmp_path_factory) -> Build:
    folder = tmp_path_factory.mktemp(f"pipeline_seed{request.param}")
    raw, truth, database = folder / "raw", folder / "truth", folder / "warehouse.duckdb"
    generate(raw, truth, request.param, LEADS, START, END)
    load_folder(raw, database, log=lambda message: None)
    result = run_dbt(database, "build", "--vars", f"{{lifecycle_as_of: '{AS_OF}'}}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return Build(database, raw, truth, AS_OF, folder / "target")
