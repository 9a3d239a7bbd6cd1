"""The whole project on local Apache Spark: dbt-spark's session method in a local PySpark
(Java 17, installed with apt when missing), a small sample loaded with `b2bkpi.load_spark`,
`dbt build --target spark` (models, seeds and every data test), and every row of kpi_values
equal to a DuckDB build of the same sample. Building on Spark is also the check that no model
uses SQL that Spark lacks.

A small sample (300 leads): a Spark build runs every model and test as its own Spark jobs,
so its time is mostly a fixed cost per node whatever the data; larger samples are the
benchmark's (`b2bkpi bench --spark-scales`).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from b2bkpi.generate import generate
from b2bkpi.java import ensure_java
from b2bkpi.load import load_folder
from conftest import AS_OF, PROJECT_DIR, Build, run_dbt
from kpi_rows import assert_kpi_values_equal

SEED, LEADS = 7, 300
START, END = dt.date(2024, 1, 1), dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Build:
    """The small sample generated, loaded and built on DuckDB (the reference)."""
    folder = tmp_path_factory.mktemp("spark_sample")
    raw, truth, database = folder / "raw", folder / "truth", folder / "warehouse.duckdb"
    generate(raw, truth, SEED, LEADS, START, END)
    load_folder(raw, database, log=lambda message: None)
    result = run_dbt(database, "build", "--vars", f"{{lifecycle_as_of: '{AS_OF}'}}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return Build(database, raw, truth, AS_OF, folder / "target")


@pytest.fixture(scope="module")
def spark_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a Spark target whose warehouse and metastore are a fresh folder."""
    env = {**os.environ}
    try:
        ensure_java(env)
    except RuntimeError as missing:
        pytest.fail(f"local Spark needs Java 17: {missing}")
    folder = tmp_path_factory.mktemp("spark_build")
    return {**env, "DBT_TARGET": "spark", "B2B_SPARK_WAREHOUSE": str(folder / "warehouse"),
            "DBT_TARGET_PATH": str(folder / "target"), "DBT_LOG_PATH": str(folder / "logs"),
            "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR / "scripts"),
                                           os.environ.get("PYTHONPATH", "")])}


@pytest.fixture(scope="module")
def spark_build(small_build, spark_env) -> dict[str, str]:
    """The sample loaded into Spark and the whole project built there.

    The loader and dbt each start their own JVM, one after the other: the embedded Derby
    metastore admits one process at a time.
    """
    load = subprocess.run([sys.executable, "-m", "b2bkpi.load_spark", str(small_build.raw)],
                          cwd=PROJECT_DIR, env=spark_env, capture_output=True, text=True)
    assert load.returncode == 0, load.stdout[-3000:] + load.stderr[-3000:]
    command = [str(Path(sys.executable).with_name("dbt")), "build",
               "--vars", f"{{lifecycle_as_of: '{small_build.as_of}'}}",
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    result = subprocess.run(command, cwd=PROJECT_DIR, env=spark_env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return spark_env


def _spark_table(env: dict[str, str], schema: str, table: str):
    """A Spark-managed table's rows, read from the Parquet files Spark wrote for it (no second
    JVM: the metastore is Derby's embedded one)."""
    folder = os.path.join(env["B2B_SPARK_WAREHOUSE"], f"{schema}.db", table)
    with duckdb.connect() as con:
        return con.execute(
            f"select * from read_parquet('{folder}/*.parquet')").df()


def test_kpi_values_equal_the_duckdb_build(small_build, spark_build):
    duck = small_build.query("select * from marts.kpi_values")
    assert len(duck) > 1000, "the small sample gives too few KPI rows to compare"
    assert_kpi_values_equal(duck, _spark_table(spark_build, "marts", "kpi_values"), "Spark")
