"""Load a folder of raw files (`<source>/<table>.parquet|csv`) into PostgreSQL.

The same checks as the DuckDB loader (`b2bkpi.load`): every file is validated against the raw
contract before anything is written. DuckDB reads and casts each file; its rows stream to
PostgreSQL through `COPY ... from stdin` as CSV. All tables are replaced in one transaction, so
a failed load leaves the database as it was.

Connection: libpq parameters from the B2B_PG_* variables the dbt profile reads (B2B_PG_HOST,
B2B_PG_PORT, B2B_PG_USER, B2B_PG_PASSWORD, B2B_PG_DATABASE), or `--dsn`.
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path

import duckdb
import psycopg2
import pyarrow.csv as pa_csv

from b2bkpi.load import check_folder, exit_code
from b2bkpi.sql import identifier

# DuckDB column type (without parameters) -> PostgreSQL type; anything else is loaded as text
_PG_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric",
    "HUGEINT": "numeric",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}
_BATCH_ROWS = 100_000


def connection_params(environ=os.environ) -> dict[str, str]:
    """libpq parameters from the B2B_PG_* variables (the dbt profile's `postgres` target)."""
    names = {"host": "B2B_PG_HOST", "port": "B2B_PG_PORT", "user": "B2B_PG_USER",
             "password": "B2B_PG_PASSWORD", "dbname": "B2B_PG_DATABASE"}
    return {key: environ[name] for key, name in names.items() if environ.get(name)}


def _columns(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple[str, str, str]]:
    """(name, PostgreSQL type, DuckDB select expression) for each column of `query`."""
    columns = []
    for name, duck_type, *_ in con.execute(f"describe {query}").fetchall():
        if duck_type.startswith("DECIMAL"):
            pg_type = "numeric" + duck_type[len("DECIMAL"):]
        else:
            pg_type = _PG_TYPES.get(duck_type, "text")
        expression = identifier(name)
        if pg_type == "text" and duck_type != "VARCHAR":
            # lists, structs, blobs...: their DuckDB text form
            expression = f"cast({expression} as varchar)"
        columns.append((name, pg_type, f"{expression} as {identifier(name)}"))
    return columns


def _copy(duck, cursor, query: str, target: str) -> None:
    """Stream the rows of a DuckDB query into a PostgreSQL table as CSV.

    Arrow's CSV writer quotes every string and leaves nulls unquoted, which is how PostgreSQL's
    CSV format tells an empty string from a null.
    """
    reader = duck.execute(query).to_arrow_reader(_BATCH_ROWS)
    for batch in reader:
        buffer = io.BytesIO()
        pa_csv.write_csv(batch, buffer, pa_csv.WriteOptions(include_header=False))
        buffer.seek(0)
        cursor.copy_expert(f"copy {target} from stdin with (format csv)", buffer)


def load_folder(folder: Path, params: dict[str, str] | str,
                schemas: dict[str, str] | None = None, log=print) -> dict[str, int]:
    """Check every file of `folder`, then load them all into PostgreSQL in one transaction.

    `params` are libpq connection parameters (a dict or a DSN string); `schemas` maps a source
    to the schema it lands in (default: the source name). Returns the row count per
    `<schema>.<table>`.
    """
    schemas = schemas or {}
    started = time.perf_counter()
    # instants with a zone are stored as UTC timestamps, as in the DuckDB warehouse
    duck, selects = check_folder(folder, log)
    pg = psycopg2.connect(params) if isinstance(params, str) else psycopg2.connect(**params)
    try:
        counts: dict[str, int] = {}
        with pg, pg.cursor() as cursor:  # commits at the end, rolls back on any error
            cursor.execute("set time zone 'UTC'")
            for raw, select_list in selects:
                schema = schemas.get(raw.source, raw.source)
                target = identifier(schema, raw.table)
                source_query = f"select\n    {select_list}\nfrom {raw.reader}"
                columns = _columns(duck, source_query)
                cursor.execute(f"create schema if not exists {identifier(schema)}")
                cursor.execute(f"drop table if exists {target} cascade")
                cursor.execute(f"create table {target} ("
                               + ", ".join(f"{identifier(n)} {t}" for n, t, _ in columns) + ")")
                _copy(duck, cursor,
                      f"select {', '.join(e for _, _, e in columns)} from ({source_query})",
                      target)
                cursor.execute(f"select count(*) from {target}")
                counts[f"{schema}.{raw.table}"] = cursor.fetchone()[0]
                log(f"  loaded {schema}.{raw.table:<28} {counts[f'{schema}.{raw.table}']:>10,}"
                    f" rows  ({time.perf_counter() - started:.1f}s)")
        return counts
    finally:
        pg.close()
        duck.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder laid out as <source>/<table>.parquet|csv")
    parser.add_argument("--dsn", help="libpq connection string (default: the B2B_PG_* variables)")
    args = parser.parse_args(argv)
    return exit_code(load_folder, args.folder, args.dsn or connection_params())


if __name__ == "__main__":
    raise SystemExit(main())
