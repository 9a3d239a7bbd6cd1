"""The bad-input matrix: every kind of dirty extract ends in a clear error (naming the file,
the table, the column and the row) or in a reasoned reject, and never loses a valid row nor
loads part of a folder.

Loader cases run on a small generated folder without dbt. Pipeline cases are planted together
in ONE dirty data set (a second seed; each case on its own records), loaded and built once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from conftest import PROJECT_DIR, run_dbt
from typer.testing import CliRunner

from b2bkpi import cli, pipeline
from b2bkpi.generate import generate
from b2bkpi.load import RawDataError, load_folder
from b2bkpi.raw_contract import TEXT_LIMIT

SEED, LEADS = 11, 300
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
AS_OF = "2025-01-01 00:00:00"
LOADER_FILES = ["salesforce/lead.parquet", "salesforce/user.parquet",
                "surveys/enps_responses.csv", "finance/marketing_sales_costs.csv"]


def _quiet(message):
    return None


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("bad_input")
    generate(folder / "raw", folder / "truth", SEED, LEADS, START, END)
    return folder / "raw", folder / "truth"


# ---------------------------------------------------------------- loader cases (no dbt)

@pytest.fixture
def loaded(generated, tmp_path):
    """A few raw files, already loaded once: a failing reload must leave them as they were."""
    folder = tmp_path / "raw"
    for relative in LOADER_FILES:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(generated[0] / relative, folder / relative)
    database = tmp_path / "wh.duckdb"
    counts = load_folder(folder, database, log=_quiet)
    return folder, database, counts


def _assert_load_fails(loaded, pattern: str) -> None:
    folder, database, counts = loaded
    with pytest.raises(RawDataError, match=pattern):
        load_folder(folder, database, log=_quiet)
    with duckdb.connect(str(database), read_only=True) as con:
        for table, count in counts.items():
            assert con.execute(f"select count(*) from {table}").fetchone()[0] == count, table


def _edit_parquet(path: Path, edit) -> None:
    edit(pd.read_parquet(path, dtype_backend="pyarrow")).to_parquet(path)


def _edit_csv_cell(path: Path, line: int, column: str, value: str) -> None:
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def test_missing_required_column(loaded):
    _edit_parquet(loaded[0] / "salesforce/lead.parquet",
                  lambda f: f.drop(columns=["status"]))
    _assert_load_fails(loaded, r"lead\.parquet: missing required column\(s\) status"
                               r" of salesforce\.lead")


def test_wrong_parquet_type_names_column_and_row(loaded):
    def edit(frame):
        frame["number_of_employees"] = frame["number_of_employees"].astype("string")
        frame.loc[4, "number_of_employees"] = "many"
        return frame
    _edit_parquet(loaded[0] / "salesforce/lead.parquet", edit)
    _assert_load_fails(loaded, r"lead\.parquet: column 'number_of_employees' has type VARCHAR,"
                               r" expected integer; row 5: value 'many' is not a integer"
                               r" \(table salesforce\.lead\)")


def test_wrong_csv_type_names_line(loaded):
    _edit_csv_cell(loaded[0] / "surveys/enps_responses.csv", 6, "score", "ten")
    _assert_load_fails(loaded, r"enps_responses\.csv: column 'score', line 6: value 'ten' is"
                               r" not a integer \(table surveys\.enps_responses\)")


def test_unparsable_csv_date_names_line(loaded):
    _edit_csv_cell(loaded[0] / "surveys/enps_responses.csv", 9, "survey_date", "31/02/2024")
    _assert_load_fails(loaded, r"enps_responses\.csv: column 'survey_date', line 9: value"
                               r" '31/02/2024' is not a date \(table surveys\.enps_responses\)")


def test_huge_csv_text_value_names_column_and_line(loaded):
    """A 50 MB value: refused at once, naming its column (not taken for a truncated file)."""
    path = loaded[0] / "surveys/enps_responses.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, "comment"] = "x" * 50_000_000
    frame.to_csv(path, index=False)
    _assert_load_fails(loaded, r"enps_responses\.csv: column 'comment', line 5: a value of"
                               r" 50,000,000 characters, more than the 65,536 a text value may"
                               r" have \(table surveys\.enps_responses\)")


def test_parquet_text_value_over_the_limit_names_column_and_row(loaded):
    def edit(frame):
        frame.loc[4, "company"] = "y" * (TEXT_LIMIT + 1)
        return frame
    _edit_parquet(loaded[0] / "salesforce/lead.parquet", edit)
    _assert_load_fails(loaded, r"lead\.parquet: column 'company', row 5: a value of more than"
                               r" the 65,536 characters a text value may have"
                               r" \(table salesforce\.lead\)")


@pytest.mark.parametrize("file, column, value, logical", [
    ("surveys/enps_responses.csv", "survey_date", "infinity", "date"),
    ("finance/marketing_sales_costs.csv", "amount", "NaN", "number"),
    ("finance/marketing_sales_costs.csv", "amount", "-inf", "number"),
])
def test_infinite_csv_value_names_line(loaded, file, column, value, logical):
    _edit_csv_cell(loaded[0] / file, 7, column, value)
    _assert_load_fails(loaded, rf"{Path(file).name}: column '{column}', line 7: value"
                               rf" '{value}' is not a {logical}")


def test_infinite_parquet_timestamp_names_column_and_row(loaded):
    path = loaded[0] / "salesforce/lead.parquet"
    with duckdb.connect() as con:
        con.execute(f"copy (select * replace (case when row_number() over () = 3 then"
                    f" timestamp 'infinity' else created_date end as created_date)"
                    f" from read_parquet('{path}')) to '{path}.new' (format parquet)")
    Path(f"{path}.new").replace(path)
    _assert_load_fails(loaded, r"lead\.parquet: column 'created_date', row 3: a value that is"
                               r" not finite \(table salesforce\.lead\)")


def test_names_with_quotes_load_and_count(loaded):
    """Folder, file and column names reach SQL quoted: a double quote or an apostrophe in
    them neither breaks a statement nor changes it."""
    folder, database, counts = loaded
    odd = folder / 'ex"tra\'s' / 'no"tes.csv'
    odd.parent.mkdir()
    odd.write_text('id,"say ""hi"""\n1,a\n2,b\n')
    loaded_counts = load_folder(folder, database, log=_quiet)
    assert loaded_counts['ex"tra\'s.no"tes'] == 2
    assert pipeline.row_counts(database)["raw"] == {
        "relations": len(counts) + 1, "rows": sum(counts.values()) + 2}


def test_empty_file(loaded):
    (loaded[0] / "surveys/enps_responses.csv").write_bytes(b"")
    _assert_load_fails(loaded, r"enps_responses\.csv: the file is empty")


def test_truncated_parquet(loaded):
    path = loaded[0] / "salesforce/user.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _assert_load_fails(loaded, r"user\.parquet: cannot be read \(table salesforce\.user;"
                               r" a truncated or corrupt file\?\)")


def test_truncated_csv_names_line(loaded):
    path = loaded[0] / "finance/marketing_sales_costs.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:20]) + "\n" + lines[20].split(",")[0])
    _assert_load_fails(loaded, r"marketing_sales_costs\.csv: line 21 has 1 fields, the header 6"
                               r" \(a truncated or malformed file\?\)")


def test_csv_cut_inside_a_quoted_value(loaded):
    path = loaded[0] / "surveys/enps_responses.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:10]) + "\n" + lines[10].rsplit(",", 1)[0] + ',"Great te')
    _assert_load_fails(loaded, r"enps_responses\.csv: line 11: unexpected end of data")


def test_empty_table_loads_and_fails_the_raw_quality_suite(loaded, tmp_path):
    from b2bkpi.quality import run_suites

    folder, database, _ = loaded
    path = folder / "surveys/enps_responses.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    assert load_folder(folder, database, log=_quiet)["surveys.enps_responses"] == 0
    results = run_suites(database, tmp_path / "docs", layers=("raw",), log=_quiet)
    assert [(c.suite, c.check) for c in results.errors] == [
        ("raw.surveys.enps_responses", "has rows")]


def test_latin1_csv_keeps_accents(loaded):
    folder, database, counts = loaded
    path = folder / "surveys/enps_responses.csv"
    frame = pd.read_csv(path, dtype=str)
    frame.loc[0, "comment"] = "Caffè Nerò S.r.l. è più veloce"
    frame.to_csv(path, index=False, encoding="latin-1")
    load_folder(folder, database, log=_quiet)
    with duckdb.connect(str(database), read_only=True) as con:
        comment = con.execute("select comment from surveys.enps_responses where response_id = ?",
                              [frame.loc[0, "response_id"]]).fetchone()[0]
        assert con.execute("select count(*) from surveys.enps_responses").fetchone()[0] == \
            counts["surveys.enps_responses"]
    assert comment == "Caffè Nerò S.r.l. è più veloce"


def test_semicolon_csv_loads_like_the_comma_one(loaded):
    folder, database, _ = loaded
    path = folder / "finance/marketing_sales_costs.csv"
    with duckdb.connect(str(database), read_only=True) as con:
        before = con.execute("select * from finance.marketing_sales_costs order by all").df()
    pd.read_csv(path, dtype=str).to_csv(path, index=False, sep=";")
    load_folder(folder, database, log=_quiet)
    with duckdb.connect(str(database), read_only=True) as con:
        after = con.execute("select * from finance.marketing_sales_costs order by all").df()
    pd.testing.assert_frame_equal(before, after)


def test_parquet_timestamps_with_a_zone_land_in_utc(loaded):
    folder, database, _ = loaded
    path = folder / "salesforce/lead.parquet"
    naive = pd.read_parquet(path)["created_date"]
    _edit_parquet(path, lambda f: f.assign(
        created_date=naive.dt.tz_localize("UTC").dt.tz_convert("Europe/Rome")))
    load_folder(folder, database, log=_quiet)
    with duckdb.connect(str(database), read_only=True) as con:
        loaded_values = con.execute("select created_date from salesforce.lead").df()
    assert loaded_values["created_date"].astype("datetime64[us]").tolist() == \
        naive.astype("datetime64[us]").tolist()


# ---------------------------------------------------------------- pipeline cases (one build)

# (table, record id, reason) of every row planted to be rejected
PLANTED_REJECTS = {
    ("opportunity", "006BAD0000000ORPH", "orphan_reference"),
    ("opportunity", "006BAD00000000NEG", "invalid_value"),
    ("opportunity", "006BAD0000000WON0", "won_without_amount"),
    ("opportunity", "006BAD0000000RATE", "no_conversion_rate"),
    ("opportunity", "006BAD000000NOCUR", "no_conversion_rate"),
    ("contract", "800BAD0000000CUR1", "unknown_currency"),
    ("contract", "800BAD0000000DATE", "invalid_date_range"),
    ("contract", "800BAD0000000NOST", "missing_required_value"),
    ("basic_ad", "BADAD00000000NEG|2024-06-01", "invalid_value"),
    ("marketing_sales_costs", "2024-03-15|marketing|ads|paid_search", "invalid_month"),
    ("lead", "00QBAD000000FUTUR", "future_date"),
    ("lead", "(missing key)", "missing_key"),
    ("lead_history", "017BAD0000000OLD1", "before_record_creation"),
    ("pages", "page-unparsable", "unparsable_value"),
    ("enps_responses", "enps-out-of-range", "invalid_value"),
}
STAGING = {"opportunity": ("stg_salesforce__opportunity", "opportunity_id"),
           "contract": ("stg_salesforce__contract", "contract_id"),
           "lead": ("stg_salesforce__lead", "lead_id"),
           "lead_history": ("stg_salesforce__lead_history", "lead_history_id"),
           "pages": ("stg_segment__pages", "page_view_id"),
           "enps_responses": ("stg_surveys__enps_responses", "enps_response_id"),
           "basic_ad": ("stg_facebook_ads__basic_ad", "basic_ad_id"),
           "marketing_sales_costs": ("stg_finance__marketing_sales_costs",
                                     "marketing_sales_cost_id")}
# the months of the finance rows written in the other accepted forms
OTHER_MONTH_FORMS = ["2024-03-01", "03/2024"]


def _source_of(table: str) -> str:
    return STAGING[table][0].removeprefix("stg_").split("__")[0]


def _plant(raw: Path) -> dict:
    """Write every pipeline case into the raw folder; return what the tests look up."""
    sf = raw / "salesforce"
    lead = pd.read_parquet(sf / "lead.parquet", dtype_backend="pyarrow")
    live = lead[~lead["is_deleted"] & lead["created_date"].notna()]
    first, second = live.iloc[0], live.iloc[1]
    future, keyless = live.iloc[[2]].copy(), live.iloc[[3]].copy()
    future["id"], future["created_date"] = "00QBAD000000FUTUR", pd.Timestamp("2030-01-01")
    keyless["id"] = None
    padded_email = f"  {first['email'].upper()}  "
    lead.loc[lead["id"] == first["id"], "email"] = padded_email
    lead = pd.concat([lead, future, keyless], ignore_index=True)
    lead["custom_region_c"] = "EMEA"  # an extra column: ignored by staging
    lead.to_parquet(sf / "lead.parquet")

    history = pd.read_parquet(sf / "lead_history.parquet", dtype_backend="pyarrow")
    template = history[history["field"] == "Status"].iloc[[0]]
    older, unmapped = template.copy(), template.copy()
    older["id"], older["lead_id"] = "017BAD0000000OLD1", second["id"]
    older["created_date"] = second["created_date"] - pd.Timedelta(days=30)
    unmapped["id"], unmapped["lead_id"] = "017BAD0000000MAP1", second["id"]
    unmapped["new_value"] = "Qualified by Partner"
    unmapped["created_date"] = second["created_date"] + pd.Timedelta(hours=1)
    pd.concat([history, older, unmapped], ignore_index=True).to_parquet(
        sf / "lead_history.parquet")

    opportunity = pd.read_parquet(sf / "opportunity.parquet", dtype_backend="pyarrow")
    valid = opportunity[~opportunity["is_deleted"]
                        & opportunity["currency_iso_code"].str.upper().isin(
                            ["EUR", "USD", "GBP", "CHF"])]
    base = valid.iloc[[0]]
    planted = []
    for record_id, changes in [
        ("006BAD0000000ORPH", {"account_id": "001NOSUCHACCOUNT1"}),
        ("006BAD00000000NEG", {"amount": -5000.0}),
        ("006BAD0000000WON0", {"amount": None, "is_won": True, "is_closed": True,
                               "stage_name": "Closed Won"}),
        # closed before the first dated rate: its amount cannot be converted
        ("006BAD0000000RATE", {"amount": 1000.0, "close_date": dt.date(2010, 1, 1)}),
        ("006BAD000000NOCUR", {"amount": 1000.0, "currency_iso_code": None}),
    ]:
        row = base.copy()
        row["id"] = record_id
        for column, value in changes.items():
            row[column] = value
        planted.append(row)
    # a duplicate key with different content, synced later, of a record with one version
    resynced = valid[~valid["id"].duplicated(keep=False)].iloc[[1]].copy()
    resynced["amount"] = resynced["amount"] + 1234.0
    resynced["_fivetran_synced"] = resynced["_fivetran_synced"] + pd.Timedelta(days=1)
    pd.concat([opportunity, *planted, resynced], ignore_index=True).to_parquet(
        sf / "opportunity.parquet")

    contract = pd.read_parquet(sf / "contract.parquet", dtype_backend="pyarrow")
    bad_currency, bad_dates, no_start = (contract.iloc[[0]].copy() for _ in range(3))
    bad_currency["id"], bad_currency["currency_iso_code"] = "800BAD0000000CUR1", "ITL"
    bad_dates["id"] = "800BAD0000000DATE"
    bad_dates["end_date"] = pd.Series([dt.date(2020, 1, 1)], index=bad_dates.index,
                                      dtype=bad_dates["end_date"].dtype)
    no_start["id"] = "800BAD0000000NOST"
    no_start["start_date"] = pd.Series([None], index=no_start.index,
                                       dtype=no_start["start_date"].dtype)
    pd.concat([contract, bad_currency, bad_dates, no_start], ignore_index=True).to_parquet(
        sf / "contract.parquet")

    ads = pd.read_parquet(raw / "facebook_ads/basic_ad.parquet", dtype_backend="pyarrow")
    negative = ads.iloc[[0]].copy()
    negative["ad_id"], negative["spend"] = "BADAD00000000NEG", -12.5
    negative["date"] = pd.Series([dt.date(2024, 6, 1)], index=negative.index,
                                 dtype=ads["date"].dtype)
    pd.concat([ads, negative], ignore_index=True).to_parquet(raw / "facebook_ads/basic_ad.parquet")

    pages = pd.read_parquet(raw / "segment/pages.parquet", dtype_backend="pyarrow")
    naive, offset, unparsable = (pages.iloc[[0]].copy() for _ in range(3))
    naive["id"], naive["timestamp"] = "page-naive", "2024-06-01T10:00:00"
    offset["id"], offset["timestamp"] = "page-offset", "2024-06-01T12:00:00+02:00"
    unparsable["id"], unparsable["timestamp"] = "page-unparsable", "yesterday 10:00"
    pd.concat([pages, naive, offset, unparsable], ignore_index=True).to_parquet(
        raw / "segment/pages.parquet")

    enps = raw / "surveys/enps_responses.csv"
    frame = pd.read_csv(enps, dtype=str, keep_default_na=False)
    frame.loc[0, "comment"] = "Caffè Nerò: più chiarezza"
    out_of_range = frame.iloc[[1]].assign(response_id="enps-out-of-range", score="11")
    frame = pd.concat([frame, out_of_range], ignore_index=True)
    frame.to_csv(enps, index=False, encoding="latin-1")
    costs = raw / "finance/marketing_sales_costs.csv"
    finance = pd.read_csv(costs, dtype=str, keep_default_na=False)
    march = finance.index[finance["month"] == "2024-03"][:len(OTHER_MONTH_FORMS)]
    other_forms = finance.loc[march].copy()
    finance.loc[march, "month"] = OTHER_MONTH_FORMS
    mid_month = pd.DataFrame([{"month": "2024-03-15", "cost_center": "marketing",
                               "category": "ads", "channel": "paid_search", "amount": "100.0",
                               "currency": "EUR"}])
    pd.concat([finance, mid_month], ignore_index=True).to_csv(costs, index=False, sep=";")
    return {"email_lead": first["id"], "email": padded_email, "history_lead": second["id"],
            "resynced": resynced.iloc[0], "enps_id": frame.loc[0, "response_id"],
            "other_month_forms": other_forms}


@pytest.fixture(scope="module")
def dirty(generated, tmp_path_factory):
    raw, truth = generated
    folder = tmp_path_factory.mktemp("dirty")
    shutil.copytree(raw, folder / "raw")
    planted = _plant(folder / "raw")
    database = folder / "warehouse.duckdb"
    load_folder(folder / "raw", database, log=_quiet)
    # unit tests do not read the data: the session build runs them
    result = run_dbt(database, "build", "--exclude", "resource_type:unit_test",
                     "--vars", f"{{lifecycle_as_of: '{AS_OF}'}}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]

    def query(sql: str, *params) -> pd.DataFrame:
        with duckdb.connect(str(database), read_only=True) as con:
            return con.execute(sql, list(params)).df()

    return query, truth, planted, database


def test_rejects_are_exactly_the_planted_and_generated_ones(dirty):
    query, truth, _, _ = dirty
    expected = pd.read_parquet(truth / "expected_rejects.parquet")
    want = set(expected[["table_name", "record_id", "reason_code"]].itertuples(
        index=False, name=None)) | PLANTED_REJECTS
    actual = query("select table_name, record_id, reject_reason from staging.stg_rejected_rows")
    assert set(actual.itertuples(index=False, name=None)) == want


@pytest.mark.parametrize("table, record_id, reason", sorted(PLANTED_REJECTS))
def test_planted_row_is_rejected_with_its_reason_and_not_staged(dirty, table, record_id,
                                                                 reason):
    query, _, _, _ = dirty
    rejected = query("select reject_reason from staging.stg_rejected_rows"
                     " where table_name = ? and record_id = ?", table, record_id)
    assert rejected["reject_reason"].tolist() == [reason]
    model, key = STAGING[table]
    assert query(f"select count(*) as n from staging.{model} where {key} = ?",
                 record_id)["n"][0] == 0


def test_no_valid_row_lost_and_every_table_reconciles(dirty):
    """Staged rows = what the generator staged + the planted rows that are valid."""
    query, truth, _, _ = dirty
    expected = pd.read_parquet(truth / "expected_row_counts.parquet").set_index(
        ["source", "table_name"])
    added_valid = {("salesforce", "lead_history"): 1, ("segment", "pages"): 2}
    added_duplicate = {("salesforce", "opportunity"): 1}
    actual = query("select * from staging.stg_row_reconciliation").set_index(
        ["source_name", "table_name"])
    assert actual["is_reconciled"].all()
    for key, row in actual.iterrows():
        assert row["staged_rows"] == expected.loc[key, "staged_rows"] + added_valid.get(key, 0), key
        assert row["duplicate_rows"] == (expected.loc[key, "duplicate_rows"]
                                         + added_duplicate.get(key, 0)), key


def test_finance_months_in_other_forms_are_staged_as_their_month(dirty):
    query, _, planted, _ = dirty
    rows = planted["other_month_forms"]
    keys = ["|".join(["2024-03", *row]) for row in
            rows[["cost_center", "category", "channel"]].itertuples(index=False, name=None)]
    staged = query("select marketing_sales_cost_id, cost_month, amount from"
                   " staging.stg_finance__marketing_sales_costs"
                   " where marketing_sales_cost_id in (?, ?)", *keys)
    assert sorted(staged["marketing_sales_cost_id"]) == sorted(keys)
    assert set(staged["cost_month"]) == {pd.Timestamp("2024-03-01")}
    assert sorted(staged["amount"]) == pytest.approx(sorted(rows["amount"].astype(float)))


def _thresholds() -> dict:
    variables = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    return {"warn": variables["rejected_share_warn"], "error": variables["rejected_share_error"]}


def test_run_summary_counts_the_rejects_per_table_and_reason(dirty):
    """The terminal's per-table lines: every expected reject counted under its table and
    reason, and the table's level from its share of rejected rows."""
    _, truth, _, database = dirty
    expected = pd.read_parquet(truth / "expected_rejects.parquet")
    planted = pd.DataFrame(sorted(PLANTED_REJECTS), columns=["table_name", "record_id",
                                                             "reason_code"])
    planted["source"] = planted["table_name"].map(_source_of)
    rejects = pd.concat([expected, planted], ignore_index=True)
    want = rejects.groupby(["source", "table_name", "reason_code"]).size()
    summary = pipeline.rejected_rows(database)
    got = {tuple(entry["table"].split(".")) + (reason,): n
           for entry in summary for reason, n in entry["reasons"].items()}
    assert got == {key: n for key, n in want.items()}

    counts = pd.read_parquet(truth / "expected_row_counts.parquet").set_index(
        ["source", "table_name"])
    added_valid = {("salesforce", "lead_history"): 1, ("segment", "pages"): 2}
    thresholds = _thresholds()
    for entry in summary:
        key = tuple(entry["table"].split("."))
        rejected = int(want[key].sum())
        share = rejected / (counts.loc[key, "staged_rows"] + added_valid.get(key, 0) + rejected)
        level = ("error" if share > thresholds["error"]
                 else "warn" if share > thresholds["warn"] else None)
        assert (entry["rejected"], entry["level"]) == (rejected, level), key
        assert entry["share"] == pytest.approx(share), key


def test_marts_keep_every_valid_lead(dirty):
    query, truth, _, _ = dirty
    leads = pd.read_parquet(truth / "leads.parquet")
    assert query("select count(*) as n from marts.fct_lead_lifecycle")["n"][0] == len(leads)


def test_duplicate_key_keeps_the_latest_version(dirty):
    query, _, planted, _ = dirty
    staged = query("select amount from staging.stg_salesforce__opportunity"
                   " where opportunity_id = ?", planted["resynced"]["id"])
    assert staged["amount"].tolist() == [pytest.approx(planted["resynced"]["amount"])]


def test_mixed_case_padded_email_is_normalised(dirty):
    query, _, planted, _ = dirty
    email = query("select email from staging.stg_salesforce__lead where lead_id = ?",
                  planted["email_lead"])["email"][0]
    assert email == planted["email"].strip().lower()


def test_unmapped_lead_status_is_kept_and_reported_by_name(dirty, tmp_path):
    from b2bkpi.quality import run_suites

    query, _, planted, database = dirty
    row = query("select lead_id, is_mapped, lifecycle_stage from"
                " intermediate.int_lead_status_changes_mapped where lead_history_id = ?",
                "017BAD0000000MAP1")
    assert row.to_dict("records") == [
        {"lead_id": planted["history_lead"], "is_mapped": False, "lifecycle_stage": None}]
    results = run_suites(database, tmp_path / "docs", layers=("marts",), log=_quiet)
    warned = {c.suite: c.detail for c in results.warnings}
    assert warned["intermediate.int_lead_status_changes_mapped"] == \
        "1 rows, e.g. 'Qualified by Partner' (1)"
    assert results.success, [c.line() for c in results.errors]


def test_timestamps_with_and_without_zone_both_land_in_utc(dirty):
    query, _, _, _ = dirty
    times = query("select page_view_id, occurred_at from staging.stg_segment__pages"
                  " where page_view_id in ('page-naive', 'page-offset')")
    assert dict(zip(times["page_view_id"], times["occurred_at"])) == {
        "page-naive": pd.Timestamp("2024-06-01 10:00:00"),
        "page-offset": pd.Timestamp("2024-06-01 10:00:00")}


def test_latin1_export_keeps_its_accents_through_staging(dirty):
    query, _, planted, _ = dirty
    comment = query("select response_comment from staging.stg_surveys__enps_responses"
                    " where enps_response_id = ?", planted["enps_id"])["response_comment"][0]
    assert comment == "Caffè Nerò: più chiarezza"


def test_extra_column_is_ignored_by_staging(dirty):
    query, _, _, _ = dirty
    raw_columns = query("select column_name from information_schema.columns"
                        " where table_schema = 'salesforce' and table_name = 'lead'")
    staged_columns = query("select column_name from information_schema.columns"
                           " where table_schema = 'staging'"
                           " and table_name = 'stg_salesforce__lead'")
    assert "custom_region_c" in set(raw_columns["column_name"])
    assert "custom_region_c" not in set(staged_columns["column_name"])


# ---------------------------------------------------------------- missing sources (b2bkpi run)

def _raw_without(generated, tmp_path: Path, *sources: str) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(generated[0], folder, ignore=lambda path, names: [
        name for name in names if Path(path) == generated[0] and name in sources])
    return folder


@pytest.mark.parametrize("existing", [False, True], ids=["fresh", "existing"])
def test_a_missing_optional_source_is_switched_off(generated, tmp_path, existing):
    """Also when the warehouse holds the source's tables from an earlier load: a full load's
    folder says which sources there are."""
    database = tmp_path / "wh.duckdb"
    if existing:
        load_folder(generated[0], database, log=_quiet)
    folder = _raw_without(generated, tmp_path, "surveys")
    load_folder(folder, database, log=_quiet)
    assert pipeline.source_switches(folder, database, append=False) == {"surveys_enabled": False}


def test_an_increment_switches_off_only_the_sources_never_loaded(generated, tmp_path):
    database = tmp_path / "wh.duckdb"
    load_folder(_raw_without(generated, tmp_path, "surveys"), database, log=_quiet)
    day = tmp_path / "day" / "finance"
    day.mkdir(parents=True)
    shutil.copy(generated[0] / "finance/marketing_sales_costs.csv", day)
    load_folder(day.parent, database, log=_quiet, append=True)
    assert pipeline.source_switches(day.parent, database, append=True) == {
        "surveys_enabled": False}


def test_a_source_missing_one_of_its_tables_is_bad_input(generated, tmp_path):
    folder = _raw_without(generated, tmp_path)
    (folder / "marketo/program.parquet").unlink()
    database = tmp_path / "wh.duckdb"
    load_folder(folder, database, log=_quiet)
    with pytest.raises(pipeline.BadInput, match=r"source marketo lacks table\(s\) program"):
        pipeline.source_switches(folder, database, append=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("existing", [False, True], ids=["fresh", "existing"])
def test_missing_salesforce_exits_2_and_changes_nothing(generated, tmp_path, existing):
    database = tmp_path / "wh.duckdb"
    if existing:
        load_folder(generated[0], database, log=_quiet)
        before = _digest(database)
    folder = _raw_without(generated, tmp_path, "salesforce")
    result = CliRunner().invoke(cli.app, [
        "run", "--raw", str(folder), "--database", str(database), "--as-of", AS_OF,
        "--runs-dir", str(tmp_path / "runs")])
    assert result.exit_code == 2, result.output
    assert f"{folder} has no salesforce/ folder: Salesforce is the one required source" in \
        result.output
    assert _digest(database) == before if existing else not database.exists()


def test_run_switches_a_missing_source_off_and_stops_on_a_wholly_rejected_table(generated,
                                                                                tmp_path):
    """One `b2bkpi run` (fresh warehouse): no surveys/ folder, and every finance month in a
    form staging cannot read. The run builds without the survey models, names each table's
    rejects, the finance table as an ERROR, and exits 3 publishing nothing."""
    folder = _raw_without(generated, tmp_path, "surveys")
    costs = folder / "finance/marketing_sales_costs.csv"
    finance = pd.read_csv(costs, dtype=str, keep_default_na=False)
    finance["month"] = finance["month"].str.replace("-", "")  # '2024-03' -> '202403'
    finance.to_csv(costs, index=False)
    database = tmp_path / "wh.duckdb"
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp_path / "target")}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("b2bkpi")), "run", "--raw", str(folder),
         "--as-of", AS_OF, "--database", str(database), "--runs-dir", str(tmp_path / "runs")],
        env=env, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 3, output[-6000:]
    assert (f"source surveys switched off (no surveys/ folder in {folder}): surveys_enabled: "
            f"false") in output
    n = len(finance)
    assert (f"ERROR   finance.marketing_sales_costs: {n:,} of {n:,} rows (100.0%, above "
            f"rejected_share_error): invalid_month {n:,}") in output
    assert re.search(r"FAIL \d+ assert_rejected_share_below_thresholds", output), output[-6000:]
    assert "warehouse" in output and "NOT changed" in output
    assert not database.exists()
    # another table's line, its level from the generator's own counts
    counts = pd.read_parquet(generated[1] / "expected_row_counts.parquet").set_index(
        ["source", "table_name"]).loc[("salesforce", "opportunity")]
    rejected, staged = int(counts["rejected_rows"]), int(counts["staged_rows"])
    share = rejected / (staged + rejected)
    label = "WARNING " if share > _thresholds()["warn"] else " " * 8
    assert (f"{label}salesforce.opportunity: {rejected} of {staged + rejected} rows "
            f"({share:.1%}") in output
