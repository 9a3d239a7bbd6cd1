"""Load a folder of raw files (`<source>/<table>.parquet|csv`) into local Spark tables.

The same checks as the DuckDB loader (`b2bkpi.load`): every file is validated against the raw
contract before anything is written. DuckDB reads and casts each file and writes it as Parquet
(timestamps as UTC instants, unsigned and huge integers as Spark's signed types); Spark copies
each into a managed Parquet table, one database per source, under the warehouse folder of the
dbt profile's `spark` output (B2B_SPARK_WAREHOUSE). Spark has no transactions: every file is
checked and converted before the first table is touched, so a bad file leaves the tables as
they were; each table is then dropped and created again from its file.

The Spark session is configured from the `server_side_parameters` of the profile's `spark`
output, so the loader and dbt see the same warehouse, metastore and time zone.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import duckdb
import jinja2
import yaml

from b2bkpi.java import ensure_java
from b2bkpi.load import check_folder, exit_code
from b2bkpi.sql import identifier

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROFILES = PROJECT_DIR / "profiles" / "profiles.yml"

# DuckDB column types (without parameters) that Spark reads from Parquet as they are
_KEPT_TYPES = {"VARCHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT",
               "DOUBLE", "DATE", "DECIMAL", "TIMESTAMP WITH TIME ZONE"}
# the others are cast before they are written: Spark's timestamp is an instant (written with a
# zone; the session runs in UTC), it has no unsigned or huge integers; anything not listed is
# written as text
_CAST_TYPES = {
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "decimal(20, 0)",
    "HUGEINT": "decimal(38, 0)",
    "TIMESTAMP": "timestamptz",
    "TIMESTAMP_S": "timestamptz",
    "TIMESTAMP_MS": "timestamptz",
    "TIMESTAMP_NS": "timestamptz",
}


def session_parameters(environ=os.environ) -> dict[str, str]:
    """The Spark settings of the dbt profile's `spark` output, its `env_var`s rendered."""
    profile = yaml.safe_load(PROFILES.read_text())
    parameters = profile["b2b_kpi"]["outputs"]["spark"]["server_side_parameters"]

    def env_var(name: str, default: str | None = None) -> str:
        if name in environ:
            return environ[name]
        if default is None:
            raise RuntimeError(f"{PROFILES}: env var {name} is not set")
        return default

    render = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return {key: render.from_string(str(value)).render(env_var=env_var)
            for key, value in parameters.items()}


def spark_session(environ=os.environ):
    """A local SparkSession configured like dbt's (Java 17 installed first when missing)."""
    ensure_java()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in session_parameters(environ).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _parquet_select(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """A select over `query` whose columns all have a Spark-readable Parquet type."""
    expressions = []
    for name, duck_type, *_ in con.execute(f"describe {query}").fetchall():
        quoted = identifier(name)
        if duck_type.split("(")[0] in _KEPT_TYPES:
            expressions.append(quoted)
        else:
            expressions.append(
                f"cast({quoted} as {_CAST_TYPES.get(duck_type, 'varchar')}) as {quoted}")
    return f"select {', '.join(expressions)} from ({query})"


def _spark_name(*parts: str) -> str:
    return ".".join("`" + part.replace("`", "``") + "`" for part in parts)


def load_folder(folder: Path, schemas: dict[str, str] | None = None, log=print,
                environ=os.environ) -> dict[str, int]:
    """Check every file of `folder`, then load them all into Spark, one database per source.

    `schemas` maps a source to the database it lands in (default: the source name). Returns
    the row count per `<database>.<table>`.
    """
    schemas = schemas or {}
    started = time.perf_counter()
    # instants with a zone are stored as UTC timestamps, as in the DuckDB warehouse
    duck, selects = check_folder(folder, log)
    with tempfile.TemporaryDirectory(prefix="b2b_spark_landing_") as landing:
        files = []
        for raw, select_list in selects:
            path = Path(landing) / raw.source / f"{raw.table}.parquet"
            path.parent.mkdir(exist_ok=True)
            query = _parquet_select(duck, f"select\n    {select_list}\nfrom {raw.reader}")
            duck.execute(f"copy ({query}) to '{path}' (format parquet)")
            files.append((raw, path))
        duck.close()
        log(f"  converted {len(files)} files to Parquet in {time.perf_counter() - started:.1f}s")
        spark = spark_session(environ)
        counts: dict[str, int] = {}
        for raw, path in files:
            database = schemas.get(raw.source, raw.source)
            target = _spark_name(database, raw.table)
            spark.sql(f"create database if not exists {_spark_name(database)}")
            spark.sql(f"drop table if exists {target}")
            spark.sql(f"create table {target} using parquet as "
                      f"select * from parquet.{_spark_name(str(path))}")
            counts[f"{database}.{raw.table}"] = spark.table(target).count()
            log(f"  loaded {database}.{raw.table:<28} {counts[f'{database}.{raw.table}']:>10,}"
                f" rows  ({time.perf_counter() - started:.1f}s)")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder laid out as <source>/<table>.parquet|csv")
    args = parser.parse_args(argv)
    return exit_code(load_folder, args.folder)


if __name__ == "__main__":
    raise SystemExit(main())
