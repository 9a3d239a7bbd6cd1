"""fct_lead_lifecycle holds, lead by lead, the stage times the oracle derives from the truth."""

from __future__ import annotations

import pandas as pd
import pytest

from funnel_oracle import churned_at, lifecycle
from identity_oracle import first_visits

STAGE_COLUMNS = ["lead_at", "mql_at", "sql_at", "opportunity_at", "customer_at", "lost_at"]


@pytest.fixture(scope="module")
def compared(build):
    expected = lifecycle(build.truth)
    expected["churned_at"] = pd.to_datetime(expected["lead_id"].map(
        churned_at(build.truth, expected, build.as_of)))
    # the visitor stage by the identity rule: a shared device is its latest identify's person's
    expected["visitor_at"] = expected["lead_id"].map(first_visits(build.truth))
    expected["channel_expected"] = expected.pop("channel")
    actual = build.query("select * from marts.fct_lead_lifecycle")
    return expected.merge(actual, on="lead_id", how="outer", suffixes=("_expected", ""),
                          indicator=True)


def test_one_row_per_true_lead(compared):
    assert (compared["_merge"] == "both").all(), compared["_merge"].value_counts()


@pytest.mark.parametrize("column", [*STAGE_COLUMNS, "visitor_at", "churned_at"])
def test_stage_times_equal_the_truth(compared, column):
    expected = pd.to_datetime(compared[f"{column}_expected"])
    actual = pd.to_datetime(compared[column])
    differs = compared[~((expected == actual) | (expected.isna() & actual.isna()))]
    assert differs.empty, differs[["lead_id", column]].head().to_string()
    assert actual.notna().any(), f"no lead reached {column}: the test data is too small"


def test_channel_equals_the_truth(compared):
    assert (compared["channel_expected"] == compared["channel"]).all()


@pytest.mark.parametrize("stage", ["lead", "mql", "sql"])
def test_owner_at_stage_entry_equals_the_truth(compared, stage):
    """The rep of a stage is the owner when the lead entered it (reassignments and the
    hand-over to the account executive come later)."""
    column = f"{stage}_owner_id"
    expected, actual = compared[f"{column}_expected"], compared[column]
    differs = compared[~((expected == actual) | (expected.isna() & actual.isna()))]
    assert differs.empty, differs[["lead_id", f"{column}_expected", column]].head().to_string()
    assert (actual.notna() & (actual != compared["owner_id"])).any(), (
        f"no lead changed owner after its {stage} entry: the test cannot tell the owners apart")
