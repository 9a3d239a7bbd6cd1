"""kpi_enps equals the score recomputed from the survey responses as the simulation made them."""

from __future__ import annotations

import math

import pandas as pd


def test_enps_matches_responses(build):
    responses = pd.read_parquet(build.truth / "clean" / "surveys" / "enps_responses.parquet")
    responses["quarter"] = pd.to_datetime(responses["survey_date"]).dt.to_period("Q").dt.start_time
    responses["net"] = responses["score"].map(lambda s: 1 if s >= 9 else (-1 if s <= 6 else 0))
    expected = {}
    for name, column in [("all", None), ("team", "team"), ("survey", "survey_id")]:
        keys = ["quarter"] + ([column] if column else [])
        for key, group in responses.groupby(keys):
            quarter, value = (key[0], key[1]) if column else (key[0], "all")
            expected[(quarter.date(), name, value)] = (
                100 * group["net"].sum() / len(group), group["net"].sum(), len(group))
    actual = build.query("select * from marts.kpi_enps")
    got = {(r.period_start.date(), r.dimension_name, r.dimension_value):
           (r.value, r.numerator, r.denominator) for r in actual.itertuples()}
    assert set(got) == set(expected)
    for key, (value, numerator, denominator) in expected.items():
        assert math.isclose(got[key][0], value, abs_tol=1e-9), key
        assert (got[key][1], got[key][2]) == (numerator, denominator), key
