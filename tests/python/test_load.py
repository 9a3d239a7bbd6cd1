"""The loader checks every file before writing anything, and names what is wrong."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from b2bkpi.load import RawDataError, load_folder


@pytest.fixture
def raw_copy(build, tmp_path):
    """A copy of a few raw tables, small enough to edit per test."""
    folder = tmp_path / "raw"
    for relative in ["salesforce/lead.parquet", "salesforce/user.parquet",
                     "finance/marketing_sales_costs.csv"]:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(build.raw / relative, folder / relative)
    return folder


def _tables(database):
    with duckdb.connect(str(database), read_only=True) as con:
        return {row[0] for row in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables").fetchall()}


def test_loads_every_file_into_its_source_schema(raw_copy, tmp_path):
    counts = load_folder(raw_copy, tmp_path / "wh.duckdb", log=lambda m: None)
    assert set(counts) == {"salesforce.lead", "salesforce.user", "finance.marketing_sales_costs"}
    assert all(n > 0 for n in counts.values())


def test_missing_required_column_names_file_and_column(raw_copy, tmp_path):
    path = raw_copy / "salesforce" / "lead.parquet"
    pd.read_parquet(path, dtype_backend="pyarrow").drop(columns=["status"]).to_parquet(path)
    with pytest.raises(RawDataError, match=r"lead\.parquet: missing required column\(s\) status"):
        load_folder(raw_copy, tmp_path / "wh.duckdb", log=lambda m: None)
    assert not (tmp_path / "wh.duckdb").exists() or not _tables(tmp_path / "wh.duckdb")


def test_wrong_parquet_type_names_column_and_types(raw_copy, tmp_path):
    path = raw_copy / "salesforce" / "lead.parquet"
    frame = pd.read_parquet(path, dtype_backend="pyarrow")
    frame["created_date"] = frame["created_date"].astype(str)
    frame.to_parquet(path)
    with pytest.raises(RawDataError, match=r"column 'created_date' has type VARCHAR, expected timestamp"):
        load_folder(raw_copy, tmp_path / "wh.duckdb", log=lambda m: None)


def test_unparsable_csv_value_names_line(raw_copy, tmp_path):
    path = raw_copy / "finance" / "marketing_sales_costs.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("amount")] = "12;5"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RawDataError, match=r"column 'amount', line 4: value '12;5' is not a number"):
        load_folder(raw_copy, tmp_path / "wh.duckdb", log=lambda m: None)


def test_failed_load_leaves_previous_tables_untouched(raw_copy, tmp_path):
    database = tmp_path / "wh.duckdb"
    load_folder(raw_copy, database, log=lambda m: None)
    with duckdb.connect(str(database), read_only=True) as con:
        before = con.execute("select count(*) from salesforce.lead").fetchone()[0]
    # a new, bigger lead file and a broken user file: neither may land
    lead = raw_copy / "salesforce" / "lead.parquet"
    pd.concat([pd.read_parquet(lead, dtype_backend="pyarrow")] * 2).to_parquet(lead)
    (raw_copy / "salesforce" / "user.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(RawDataError, match=r"user\.parquet: cannot be read"):
        load_folder(raw_copy, database, log=lambda m: None)
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from salesforce.lead").fetchone()[0] == before


def test_extra_columns_are_kept_and_missing_sync_column_added(raw_copy, tmp_path):
    path = raw_copy / "salesforce" / "user.parquet"
    frame = pd.read_parquet(path, dtype_backend="pyarrow").drop(columns=["_fivetran_synced"])
    frame["custom_field_c"] = "x"
    frame.to_parquet(path)
    database = tmp_path / "wh.duckdb"
    load_folder(raw_copy, database, log=lambda m: None)
    with duckdb.connect(str(database), read_only=True) as con:
        columns = {r[0] for r in con.execute("describe salesforce.user").fetchall()}
    assert {"custom_field_c", "_fivetran_synced"} <= columns


def test_not_a_raw_folder(tmp_path):
    with pytest.raises(RawDataError, match="no <source>/<table>"):
        load_folder(tmp_path, tmp_path / "wh.duckdb", log=lambda m: None)
