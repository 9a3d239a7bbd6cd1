"""Writing: raw tables typed by the raw contract, truth tables with explicit schemas, and the
expected row accounting (raw = staged + duplicate + deleted + rejected) per raw table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from b2bkpi.generator.core import NULL_TS
from b2bkpi.raw_contract import RawTable

# realistic columns beyond the contract, which staging must ignore
EXTRA_COLUMNS = {"system_modstamp": "timestamp"}
MARKETO_ZONE = "America/Chicago"  # Marketo's instance time zone, kept on its timestamps
MARKETO_ZONED = ("activity_date", "created_at", "updated_at")
ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
               "boolean": pa.bool_(), "date": pa.date32(), "timestamp": pa.timestamp("us"),
               "timestamp_text": pa.string()}
# Parquet files are written one row group at a time, so that only one row group of a large
# table is ever converted (and its dictionary-encoded strings decoded) at once. Arrow's default
# row group length: the bytes are the same as those of one `pq.write_table` of the whole table.
ROW_GROUP_ROWS = 1024 * 1024


def _array(values, logical: str) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):  # cast first: chunks may differ in dictionary
        values = values.cast(ARROW_TYPES[logical]).combine_chunks()
    if isinstance(values, pa.Array):
        return values.cast(ARROW_TYPES[logical])
    values = np.asarray(values)
    if logical == "timestamp":
        if values.dtype.kind == "f":  # int64 µs that went through a NaN-holding column
            values = np.where(np.isnan(values), NULL_TS, values).astype(np.int64)
        if values.dtype.kind in "iu":
            values = values.astype(np.int64).view("datetime64[us]")
        return pa.array(values.astype("datetime64[us]"), from_pandas=True)
    if logical == "date":
        return pa.array(values.astype("datetime64[D]"), pa.date32(), from_pandas=True)
    if logical in ("string", "timestamp_text"):
        values = values.astype(object)
    return pa.array(values, ARROW_TYPES[logical], from_pandas=True)


def to_arrow(contract: RawTable, data, only_present: bool = False) -> pa.Table:
    """The contract's columns in its order and types, then the known extra columns
    (`only_present`: the contract columns the data has so far, before the mess adds some)."""
    names = data.column_names if isinstance(data, pa.Table) else list(data.columns)
    columns = {**contract.columns, **{c: t for c, t in EXTRA_COLUMNS.items() if c in names}}
    if only_present:
        columns = {c: t for c, t in columns.items() if c in names}
    arrays = []
    for name, logical in columns.items():
        array = _array(data[name], logical)
        if contract.source == "marketo" and name in MARKETO_ZONED:
            array = array.cast(pa.timestamp("us", tz=MARKETO_ZONE))
        arrays.append(array)
    return pa.table(arrays, names=list(columns))


def _rows(data, rows: np.ndarray | slice):
    """The given rows (positions or a slice) of a DataFrame or an Arrow table."""
    if isinstance(data, pd.DataFrame):
        return data.iloc[rows]
    if isinstance(rows, slice):
        return data.slice(rows.start, rows.stop - rows.start)
    return data.take(rows)


def _num_rows(data) -> int:
    return data.num_rows if isinstance(data, pa.Table) else len(data)


def _write_parquet(path: Path, data, rows: np.ndarray | None, convert) -> int:
    """Write `rows` of `data` (all when None) row group by row group, each converted to Arrow
    by `convert`; return the number of rows written."""
    n = _num_rows(data) if rows is None else len(rows)

    def group(start: int):
        stop = min(start + ROW_GROUP_ROWS, n)
        return convert(_rows(data, slice(start, stop) if rows is None else rows[start:stop]))

    path.parent.mkdir(parents=True, exist_ok=True)
    first = group(0)
    with pq.ParquetWriter(path, first.schema, compression="zstd") as writer:
        writer.write_table(first)
        del first
        for start in range(ROW_GROUP_ROWS, n, ROW_GROUP_ROWS):
            writer.write_table(group(start))
    return n


def write_raw(out_dir: Path, contract: RawTable, data, rows: np.ndarray | None = None) -> int:
    """Write the table (only `rows`, positions, when given); return its number of rows."""
    path = out_dir / contract.source / contract.file_name
    if contract.file_format == "parquet":
        return _write_parquet(path, data, rows, lambda part: to_arrow(contract, part))
    table = to_arrow(contract, data if rows is None else _rows(data, rows))
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = table.to_pandas(integer_object_nulls=True)  # '7', not '7.0', beside a null
    for name, logical in contract.columns.items():
        if logical == "date":
            frame[name] = pd.to_datetime(frame[name]).dt.strftime("%Y-%m-%d")
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return table.num_rows


def write_truth(truth_dir: Path, name: str, frame: pd.DataFrame, schema: dict[str, pa.DataType]) -> int:
    def convert(part: pd.DataFrame) -> pa.Table:
        arrays = []
        for column, kind in schema.items():
            values = part[column]
            if pa.types.is_timestamp(kind):
                arrays.append(_array(values.to_numpy(), "timestamp"))
            elif pa.types.is_date(kind):
                arrays.append(_array(values.to_numpy(), "date"))
            else:
                arrays.append(pa.array(values.to_numpy(dtype=object) if kind == pa.string()
                                       else values.to_numpy(), kind, from_pandas=True))
        return pa.table(arrays, names=list(schema))

    return _write_parquet(truth_dir / f"{name}.parquet", frame, None, convert)


def _record_ids(contract: RawTable, data) -> np.ndarray:
    """The record id an expected reject names, per row, as staging's `record_key` writes it:
    `id`, else the key, its parts joined by '|' (timestamps as 'YYYY-MM-DD HH:MM:SS')."""
    columns = ("id",) if "id" in contract.columns else contract.key
    parts = []
    for column in columns:
        values = _array(data[column], contract.columns[column])
        if contract.columns[column] == "timestamp":
            text = pd.Series(values.to_pandas()).dt.strftime("%Y-%m-%d %H:%M:%S")
        else:
            text = pd.Series(values.cast("string").to_pandas())
        parts.append(text.fillna("").to_numpy(dtype=object))
    ids = parts[0]
    for part in parts[1:]:
        ids = ids + "|" + part
    return ids.astype(str)


def row_accounting(contract: RawTable, data, rejected_ids: set[str]) -> dict[str, int]:
    """How staging must classify the table's rows: the latest `_fivetran_synced` version of a
    key counts (deleted when soft-deleted), older versions and copies are duplicates, listed
    rejects are rejected."""
    wanted = [*contract.key, *(c for c in ("id", "_fivetran_synced", "is_deleted", "_fivetran_deleted")
                               if c in contract.columns and c not in contract.key)]
    if isinstance(data, pa.Table):
        frame = data.select(wanted).to_pandas()
    else:
        frame = data[wanted]
    rejected = np.isin(_record_ids(contract, frame), list(rejected_ids)) if rejected_ids else \
        np.zeros(len(frame), bool)
    kept = frame[~rejected]
    if "_fivetran_synced" in kept:
        kept = kept.sort_values("_fivetran_synced", ascending=False, kind="stable")
    latest = kept.drop_duplicates(list(contract.key))
    deleted_column = next((c for c in ("is_deleted", "_fivetran_deleted") if c in latest), None)
    deleted = int(latest[deleted_column].fillna(False).astype(bool).sum()) if deleted_column else 0
    return {"raw_rows": len(frame), "duplicate_rows": len(kept) - len(latest),
            "deleted_rows": deleted, "rejected_rows": int(rejected.sum()),
            "staged_rows": len(latest) - deleted}


def write_clean(truth_dir: Path, contract: RawTable, data, rejected_ids: set[str]) -> int:
    """The table as the simulation made it, before any mess: no soft-deleted or rejectable
    rows, no re-sync copies, canonical casing, UTC timestamps. Oracles of KPIs outside the
    lead funnel read these (`<truth>/clean/<source>/<table>.parquet`)."""
    names = data.column_names if isinstance(data, pa.Table) else list(data.columns)
    columns = {c: t for c, t in {**contract.columns, **EXTRA_COLUMNS}.items() if c in names}
    keep = np.ones(_num_rows(data), bool)
    for flag in ("is_deleted", "_fivetran_deleted"):
        if flag in columns:
            keep &= ~_array(data[flag], columns[flag]).fill_null(False).to_numpy(zero_copy_only=False)
    if rejected_ids:
        keep &= ~np.isin(_record_ids(contract, data), list(rejected_ids))

    def convert(part) -> pa.Table:
        table = to_arrow(contract, part, only_present=True)
        zoned = [i for i, field in enumerate(table.schema) if pa.types.is_timestamp(field.type)
                 and field.type.tz is not None]
        for i in zoned:
            table = table.set_column(i, table.schema[i].name,
                                     table.column(i).cast(pa.timestamp("us")))
        return table

    path = truth_dir / "clean" / contract.source / f"{contract.name}.parquet"
    return _write_parquet(path, data, None if keep.all() else np.flatnonzero(keep), convert)
