"""Load a folder of raw files (`<source>/<table>.parquet|csv`) into the warehouse.

Every file of the folder is checked against the raw contract before anything is written:
a missing required column, a column of the wrong type or a value that does not parse is a
`RawDataError` naming the file, the table, the column and the row. A CSV file may use `,`,
`;`, tab or `|` as delimiter and UTF-8 or Latin-1 encoding; an empty or truncated CSV file is
an error naming its line. Values are bounded (`raw_contract`): a text value longer than its
column's limit, or a date, timestamp or number that is not finite (`infinity`, `NaN`), is an
error naming its column and line or row. CSV files are read line by line, never whole.
Then all tables are written in one transaction, so a failed load leaves the warehouse as it
was.

With `append` (`--append`, for daily increments) the rows are added to the tables already
loaded instead of replacing them; a file whose columns differ from its table's is refused
before anything is written. A table not loaded yet is created.

Columns beyond the contract are kept (staging ignores them); tables the contract does not
know are loaded as they are, with a note. `_fivetran_synced` may be missing (an export not
made by Fivetran): it is added as null.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb

from b2bkpi.raw_contract import BY_NAME, TEXT_LIMIT, RawTable
from b2bkpi.sql import identifier, literal

SQL_TYPES = {
    "string": "varchar",
    "integer": "bigint",
    "number": "double",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp",
    "timestamp_text": "varchar",
}
# DuckDB column types a file may carry for each logical type ("NULL": an all-null column)
_ACCEPTED = {
    "string": ("VARCHAR",),
    "integer": ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                "UINTEGER", "UBIGINT", "HUGEINT"),
    "boolean": ("BOOLEAN",),
    "date": ("DATE",),
    "timestamp": ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS",
                  "TIMESTAMP WITH TIME ZONE"),
    "timestamp_text": ("VARCHAR", "TIMESTAMP WITH TIME ZONE"),
}
_ACCEPTED["number"] = _ACCEPTED["integer"] + ("FLOAT", "DOUBLE", "DECIMAL")
# may be missing from an export not made by Fivetran; loaded as null
OPTIONAL_COLUMNS = {"_fivetran_synced"}
# logical types whose values must be finite, and the DuckDB column types that can hold
# infinity or NaN
_FINITE = ("date", "timestamp", "number")
_MAY_BE_INFINITE = ("DATE", "TIMESTAMP", "FLOAT", "DOUBLE")
# the delimiter is guessed from the header line, read at most this far
_HEADER_BYTES = 1024 * 1024


class RawDataError(ValueError):
    """A raw file that cannot be loaded; the message says which file, column and row."""


@dataclass(frozen=True)
class RawFile:
    path: Path
    source: str
    table: str
    contract: RawTable | None

    @property
    def table_name(self) -> str:
        return f"{self.source}.{self.table}"

    def text_limit(self, column: str) -> int:
        return self.contract.text_limit(column) if self.contract else TEXT_LIMIT

    @cached_property
    def reader(self) -> str:
        path = literal(str(self.path))
        if self.path.suffix == ".csv":
            delimiter, encoding = _csv_dialect(self)
            return (f"read_csv({path}, header = true, all_varchar = true, "
                    f"delim = {literal(delimiter)}, encoding = {literal(encoding)})")
        return f"read_parquet({path})"


def _csv_dialect(raw: RawFile) -> tuple[str, str]:
    """The delimiter and encoding of a CSV export, after checking it line by line."""
    with open(raw.path, "rb") as handle:
        header = handle.readline(_HEADER_BYTES)
    if not header.strip():
        raise RawDataError(f"{raw.path}: the file is empty (not even a header line)")
    delimiter = max(",;\t|", key=header.decode("latin-1").count)
    try:
        return delimiter, _scan_csv(raw, delimiter, "utf-8")
    except UnicodeDecodeError:
        # exports from European tools are often Latin-1 (accented company names)
        return delimiter, _scan_csv(raw, delimiter, "latin-1")


@contextmanager
def _csv_field_limit(limit: int):
    # the csv module's limit is global; its default (128 KiB) would stop a long value
    # before the contract's own check could name its column
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _scan_csv(raw: RawFile, delimiter: str, encoding: str) -> str:
    """Check, reading one record at a time, that every line has as many fields as the header
    (a truncated file does not) and that no value is longer than its column's limit; return
    the encoding. Raises UnicodeDecodeError when the file is not in `encoding`."""
    with open(raw.path, encoding=encoding, newline="") as handle, _csv_field_limit(2**31 - 1):
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
            limits = [raw.text_limit(column) for column in header]
            for row in reader:
                if row and len(row) != len(header):
                    raise RawDataError(
                        f"{raw.path}: line {reader.line_num} has {len(row)} fields, the header "
                        f"{len(header)} (a truncated or malformed file?)")
                for column, value, limit in zip(header, row, limits):
                    if len(value) > limit:
                        raise RawDataError(
                            f"{raw.path}: column '{column}', line {reader.line_num}: a value of "
                            f"{len(value):,} characters, more than the {limit:,} a text value "
                            f"may have (table {raw.table_name})")
        except csv.Error as error:
            raise RawDataError(
                f"{raw.path}: line {reader.line_num}: {error} (a truncated or malformed file?)"
            ) from error
    return encoding


def discover(folder: Path) -> list[RawFile]:
    """The raw files of a folder laid out as `<source>/<table>.parquet|csv`, sorted."""
    if not folder.is_dir():
        raise RawDataError(f"{folder}: not a folder of raw files")
    files = []
    for path in sorted(folder.glob("*/*")):
        if path.suffix not in (".parquet", ".csv"):
            continue
        source, table = path.parent.name, path.stem
        files.append(RawFile(path, source, table, BY_NAME.get((source, table))))
    if not files:
        raise RawDataError(f"{folder}: no <source>/<table>.parquet or .csv files found")
    return files


def _file_columns(con: duckdb.DuckDBPyConnection, raw: RawFile) -> dict[str, str]:
    try:
        rows = con.execute(f"describe select * from {raw.reader}").fetchall()
    except duckdb.Error as error:
        raise RawDataError(
            f"{raw.path}: cannot be read (table {raw.table_name}; a truncated or corrupt file?):"
            f" {error}") from error
    return {name: column_type for name, column_type, *_ in rows}


def _first_bad_value(con, raw: RawFile, column: str, logical: str):
    """The first (row, value) of a column that does not cast to its logical type, or casts
    to an infinite value (DuckDB reads 'infinity' as a date)."""
    cast = f"try_cast(value as {SQL_TYPES[logical]})"
    infinite = f" or not isfinite({cast})" if logical in _FINITE else ""
    return con.execute(
        f"""
        select row_number, value from (
            select row_number() over () as row_number,
                cast({identifier(column)} as varchar) as value
            from {raw.reader}
        )
        where value is not null and trim(value) <> ''
            and ({cast} is null{infinite})
        limit 1
        """
    ).fetchone()


def _check_parquet_bounds(con, raw: RawFile, columns: dict[str, str]) -> None:
    """Refuse a Parquet file holding a text value longer than its column's limit or an
    infinite date, timestamp or number, naming the first such row (one scan of the file)."""
    checks = []  # (column, condition, what the value is)
    for column, column_type in columns.items():
        quoted = identifier(column)
        if column_type == "VARCHAR":
            limit = raw.text_limit(column)
            checks.append((column, f"length({quoted}) > {limit}",
                           f"a value of more than the {limit:,} characters a text value may "
                           f"have"))
        elif column_type.startswith(_MAY_BE_INFINITE):
            checks.append((column, f"not isfinite({quoted})", "a value that is not finite"))
    if not checks:
        return
    failed = " ".join(f"when {condition} then {i}" for i, (_, condition, _) in enumerate(checks))
    bad = con.execute(
        f"""
        select row_number, failed from (
            select row_number() over () as row_number, case {failed} end as failed
            from {raw.reader}
        )
        where failed is not null
        limit 1
        """
    ).fetchone()
    if bad:
        column, _, what = checks[bad[1]]
        raise RawDataError(f"{raw.path}: column '{column}', row {bad[0]}: {what} "
                           f"(table {raw.table_name})")


def _check_parquet_type(con, raw: RawFile, column: str, logical: str, actual: str) -> None:
    base_type = actual.split("(")[0]
    if actual != "NULL" and base_type not in _ACCEPTED[logical]:
        bad = _first_bad_value(con, raw, column, logical)
        example = f"; row {bad[0]}: value {bad[1]!r} is not a {logical}" if bad else ""
        raise RawDataError(
            f"{raw.path}: column '{column}' has type {actual}, expected {logical}{example}"
            f" (table {raw.table_name})"
        )


def _check_csv_values(con, raw: RawFile, column: str, logical: str) -> None:
    """Find the first CSV value of a column that does not parse as its logical type."""
    if logical in ("string", "timestamp_text"):
        return
    bad = _first_bad_value(con, raw, column, logical)
    if bad:
        # line 1 is the header
        raise RawDataError(
            f"{raw.path}: column '{column}', line {bad[0] + 1}: value {bad[1]!r} is not a "
            f"{logical} (table {raw.table_name})"
        )


def _select_list(raw: RawFile, columns: dict[str, str]) -> str:
    """Contract columns cast to their warehouse types (a missing optional one as null),
    then any extra columns as they are."""
    assert raw.contract is not None
    parts = []
    for column, logical in raw.contract.columns.items():
        value = identifier(column)
        if column not in columns:
            value = "null"
        elif raw.path.suffix == ".csv":
            value = f"nullif(trim({value}), '')"
        parts.append(f"cast({value} as {SQL_TYPES[logical]}) as {identifier(column)}")
    parts += [identifier(column) for column in columns if column not in raw.contract.columns]
    return ",\n    ".join(parts)


def check(con: duckdb.DuckDBPyConnection, raw: RawFile) -> str:
    """Validate one file against the contract; return the select that loads it."""
    columns = _file_columns(con, raw)
    if raw.path.suffix == ".parquet":
        _check_parquet_bounds(con, raw, columns)
    if raw.contract is None:
        return "*"
    missing = [c for c in raw.contract.columns if c not in columns and c not in OPTIONAL_COLUMNS]
    if missing:
        raise RawDataError(
            f"{raw.path}: missing required column(s) {', '.join(missing)} "
            f"of {raw.source}.{raw.table}"
        )
    for column, logical in raw.contract.columns.items():
        if column not in columns:
            continue
        if raw.path.suffix == ".csv":
            _check_csv_values(con, raw, column, logical)
        else:
            _check_parquet_type(con, raw, column, logical, columns[column])
    return _select_list(raw, columns)


def _loaded_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str] | None:
    """The columns of a table already in the warehouse, in order; None when there is none."""
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? "
        "and table_name = ? order by ordinal_position", [schema, table]).fetchall()
    return [name for name, in rows] or None


def _check_append(con, raw: RawFile, schema: str, select_list: str) -> None:
    """Refuse a file whose columns (as loaded) differ from those of the table it appends to."""
    loaded = _loaded_columns(con, schema, raw.table)
    if loaded is None:
        return
    incoming = [row[0] for row in con.execute(
        f"describe select {select_list} from {raw.reader}").fetchall()]
    if incoming != loaded:
        missing = [c for c in loaded if c not in incoming]
        extra = [c for c in incoming if c not in loaded]
        detail = (f"missing {', '.join(missing) or 'none'}; not in the table "
                  f"{', '.join(extra) or 'none'}") if missing or extra else "in another order"
        raise RawDataError(
            f"{raw.path}: cannot append to {schema}.{raw.table}: its columns differ from the "
            f"table's ({detail}); load the whole folder again without --append")


def check_folder(folder: Path, log=print
                 ) -> tuple[duckdb.DuckDBPyConnection, list[tuple[RawFile, str]]]:
    """For the loaders into other warehouses, which write nothing before this returns: an
    in-memory DuckDB connection (in UTC: instants with a zone read as UTC timestamps) and
    every file of `folder` checked against the raw contract (a RawDataError at the first that
    breaks it), each with the select list that casts it; a note for each file the contract
    does not know. The caller closes the connection."""
    raw_files = discover(Path(folder))
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    started = time.perf_counter()
    try:
        selects = [(raw, check(con, raw)) for raw in raw_files]
    except BaseException:
        con.close()
        raise
    for raw, _ in selects:
        if raw.contract is None:
            log(f"  note: {raw.path} is not in the raw contract; loaded as it is")
    log(f"  checked {len(selects)} files in {time.perf_counter() - started:.1f}s")
    return con, selects


def exit_code(load, *args, **kwargs) -> int:
    """A loader run from the command line: 0, or 2 with the message for bad input."""
    try:
        load(*args, **kwargs)
    except RawDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def load_folder(folder: Path, database: Path, schemas: dict[str, str] | None = None,
                log=print, append: bool = False) -> dict[str, int]:
    """Check every file of `folder`, then load them all in one transaction.

    `schemas` maps a source to the warehouse schema it lands in (default: the source name).
    `append` adds the rows to the tables already loaded (created when missing) instead of
    replacing them. Returns the row count per `<schema>.<table>` after the load.
    """
    schemas = schemas or {}
    raw_files = discover(Path(folder))
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database))
    # instants with a zone are stored as UTC timestamps
    con.execute("set TimeZone = 'UTC'")
    in_transaction = False
    try:
        started = time.perf_counter()
        selects = [(raw, check(con, raw)) for raw in raw_files]
        if append:
            for raw, select_list in selects:
                _check_append(con, raw, schemas.get(raw.source, raw.source), select_list)
        for raw, _ in selects:
            if raw.contract is None:
                log(f"  note: {raw.path} is not in the raw contract; loaded as it is")
        log(f"  checked {len(selects)} files in {time.perf_counter() - started:.1f}s")
        counts: dict[str, int] = {}
        con.execute("begin transaction")
        in_transaction = True
        for raw, select_list in selects:
            schema = schemas.get(raw.source, raw.source)
            target = identifier(schema, raw.table)
            con.execute(f"create schema if not exists {identifier(schema)}")
            rows = f"select\n    {select_list}\nfrom {raw.reader}"
            if append and _loaded_columns(con, schema, raw.table) is not None:
                con.execute(f"insert into {target} {rows}")
            else:
                con.execute(f"create or replace table {target} as {rows}")
            counts[f"{schema}.{raw.table}"] = con.execute(
                f"select count(*) from {target}"
            ).fetchone()[0]
            log(f"  loaded {schema}.{raw.table:<28} {counts[f'{schema}.{raw.table}']:>10,} rows"
                f"  ({time.perf_counter() - started:.1f}s)")
        con.execute("commit")
        return counts
    except BaseException:
        if in_transaction:
            con.execute("rollback")
        raise
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder laid out as <source>/<table>.parquet|csv")
    parser.add_argument("--database", type=Path, default=Path("data/warehouse.duckdb"),
                        help="DuckDB file to load into (default: %(default)s)")
    parser.add_argument("--append", action="store_true",
                        help="add the rows to the tables already loaded (a daily increment) "
                             "instead of replacing the tables")
    args = parser.parse_args(argv)
    return exit_code(load_folder, args.folder, args.database, append=args.append)


if __name__ == "__main__":
    raise SystemExit(main())
