"""Staging loses nothing: every raw row is staged, a duplicate, deleted or rejected, in the
numbers the generator knows it wrote, and every rejected row is the one it planted."""

from __future__ import annotations

import pandas as pd

from b2bkpi.raw_contract import TABLES

COUNTS = ["raw_rows", "staged_rows", "duplicate_rows", "deleted_rows", "rejected_rows"]


def test_every_contract_table_is_reconciled(build):
    actual = build.query("select * from staging.stg_row_reconciliation")
    assert {(t.source, t.name) for t in TABLES} == set(
        zip(actual["source_name"], actual["table_name"]))
    assert actual["is_reconciled"].all()


def test_dispositions_equal_what_the_generator_wrote(build):
    expected = pd.read_parquet(build.truth / "expected_row_counts.parquet").rename(
        columns={"source": "source_name"})
    actual = build.query("select * from staging.stg_row_reconciliation")
    merged = expected.merge(actual, on=["source_name", "table_name"], suffixes=("_expected", ""))
    assert len(merged) == len(TABLES)
    for column in COUNTS:
        differs = merged[merged[column] != merged[f"{column}_expected"]]
        assert differs.empty, f"{column} differs:\n{differs.to_string()}"


def test_rejected_rows_are_the_planted_ones_with_their_reason(build):
    expected = pd.read_parquet(build.truth / "expected_rejects.parquet")
    actual = build.query("select * from staging.stg_rejected_rows")
    assert not expected.empty
    assert set(zip(expected["source"], expected["table_name"], expected["record_id"],
                   expected["reason_code"])) == set(
        zip(actual["source_name"], actual["table_name"], actual["record_id"],
            actual["reject_reason"]))
