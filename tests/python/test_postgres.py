"""The whole project on PostgreSQL: a throwaway server, the session's raw data loaded with
`b2bkpi.load_postgres`, `dbt build --target postgres`, and every row of kpi_values equal to the
DuckDB build's. Building on both adapters is also the check that no model uses DuckDB-only SQL.
The BI role gets the marts and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import psycopg2
import psycopg2.errors
import pytest
from conftest import FIRST_SEED_ONLY

from b2bkpi.load import RawDataError
from b2bkpi.load_postgres import load_folder
from b2bkpi.postgres_cluster import execute, throwaway_cluster
from kpi_rows import assert_kpi_values_equal

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATABASE, BI_ROLE = "b2b", "bi_reader"
pytestmark = FIRST_SEED_ONLY  # the same SQL on both adapters: one data set shows a dialect gap


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on a free port in a temporary folder; stopped and removed after."""
    try:
        with throwaway_cluster(DATABASE, roles=[BI_ROLE]) as params:
            yield params
    except RuntimeError as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def pg_build(build, postgres, tmp_path_factory):
    """The session's raw folder loaded and the whole project built on PostgreSQL."""
    load_folder(build.raw, postgres, log=lambda message: None)
    folder = tmp_path_factory.mktemp("postgres_build")
    env = {**os.environ, "DBT_TARGET": "postgres", "B2B_PG_HOST": postgres["host"],
           "B2B_PG_PORT": postgres["port"], "B2B_PG_USER": postgres["user"],
           "B2B_PG_DATABASE": postgres["dbname"], "B2B_BI_READER_ROLE": BI_ROLE,
           "DBT_TARGET_PATH": str(folder / "target"), "DBT_LOG_PATH": str(folder / "logs")}
    command = [str(Path(sys.executable).with_name("dbt")), "build",
               "--vars", f"{{lifecycle_as_of: '{build.as_of}'}}",
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return postgres


def _query(params, sql: str, role: str | None = None) -> pd.DataFrame:
    with closing(psycopg2.connect(**params)) as con, con.cursor() as cursor:
        if role:
            cursor.execute(f"set role {role}")
        cursor.execute(sql)
        return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])


def test_kpi_values_equal_the_duckdb_build(build, pg_build):
    assert_kpi_values_equal(build.query("select * from marts.kpi_values"),
                            _query(pg_build, "select * from marts.kpi_values"), "PostgreSQL")


def test_bi_reader_reads_the_marts_and_nothing_else(pg_build):
    assert len(_query(pg_build, "select * from marts.kpi_values limit 1", role=BI_ROLE)) == 1
    for relation in ["staging.stg_salesforce__lead", "staging.base_salesforce__lead",
                     "intermediate.int_lead_stage_entries", "seeds.lead_score_weights",
                     "salesforce.lead"]:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _query(pg_build, f"select * from {relation} limit 1", role=BI_ROLE)


def test_postgres_loader_checks_before_writing(build, postgres, tmp_path):
    raw = tmp_path / "raw" / "salesforce"
    raw.mkdir(parents=True)
    lead = pd.read_parquet(build.raw / "salesforce" / "lead.parquet")
    lead.drop(columns=["status"]).to_parquet(raw / "lead.parquet")
    execute(postgres, "create database b2b_check")
    target = {**postgres, "dbname": "b2b_check"}
    with pytest.raises(RawDataError, match=r"lead\.parquet: missing required column\(s\) status"):
        load_folder(raw.parent, target, log=lambda message: None)
    schemas = _query(target, "select schema_name from information_schema.schemata")
    assert "salesforce" not in set(schemas["schema_name"])
