"""Shared helpers for the tests comparing KPI tables with an oracle's rows."""

from __future__ import annotations

import math

import pandas as pd

from b2bkpi import registry

KPI_COLUMNS = ("kpi_id, period_grain, period_start, dimension_name, dimension_value,"
               " value, numerator, denominator")


def registered_kpis(*models: str) -> list[str]:
    """The kpi_ids the KPI registry (seeds/kpi_registry.csv) gives to `models`: a KPI
    registered for a model is compared with its oracle without naming it again here."""
    return [kpi.kpi_id for kpi in registry.kpis().values() if kpi.model in models]


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def close(a, b, tolerance=1e-9) -> bool:
    """True if a and b are both null (None or NaN) or equal within `tolerance`."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def kpi_rows(build, relation: str) -> dict:
    """The rows of a KPI `relation` (a table or an aliased subquery), keyed
    (kpi_id, period_grain, period_start as a date, dimension_name, dimension_value)
    -> (value, numerator, denominator), the shape the oracles return."""
    frame = build.query(f"select {KPI_COLUMNS} from {relation}")
    return {
        (r.kpi_id, r.period_grain, r.period_start.date() if hasattr(r.period_start, "date")
         else r.period_start, r.dimension_name, r.dimension_value):
        (r.value, r.numerator, r.denominator)
        for r in frame.itertuples(index=False)
    }


def assert_kpi_matches(kpi_id, expected, actual, require_all_rows=False) -> None:
    """Assert the `kpi_id` rows of `actual` are exactly those of `expected` (the oracle's,
    which must have some), every number within 1e-9; with `require_all_rows`, also that
    `actual` has rows of the 'all' dimension."""
    want = {k: v for k, v in expected.items() if k[0] == kpi_id}
    got = {k: v for k, v in actual.items() if k[0] == kpi_id}
    assert want, f"the oracle produced no {kpi_id} rows: the generated data is too small"
    if require_all_rows:
        assert any(k[3] == "all" for k in got), f"{kpi_id} has no 'all' rows"
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, f"missing {missing[:5]}, unexpected {extra[:5]}"
    wrong = [(k, got[k], want[k]) for k in want
             if not all(close(g, w) for g, w in zip(got[k], want[k]))]
    assert not wrong, f"{len(wrong)} of {len(want)} rows differ, e.g. {wrong[:3]}"


KPI_VALUES_KEY = ["kpi_id", "period_grain", "period_start", "dimension_name", "dimension_value"]


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


def assert_kpi_values_equal(duck, other, adapter: str) -> None:
    """Assert that `other`, kpi_values as another adapter built it (a DataFrame), has exactly
    the rows of DuckDB's `duck`: the same keys, counts equal, ratios and other numbers within
    1e-9 (relative), the same unit."""
    for frame in (duck, other):
        frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    duck_rows = {tuple(r[k] for k in KPI_VALUES_KEY): r for r in duck.to_dict("records")}
    other_rows = {tuple(r[k] for k in KPI_VALUES_KEY): r for r in other.to_dict("records")}
    assert len(duck_rows) == len(duck) and len(other_rows) == len(other), \
        "duplicate kpi_values keys"
    assert set(duck_rows) == set(other_rows), (
        f"only on DuckDB: {sorted(set(duck_rows) - set(other_rows), key=str)[:5]}; "
        f"only on {adapter}: {sorted(set(other_rows) - set(duck_rows), key=str)[:5]}")
    differing = []
    for key, want in duck_rows.items():
        got = other_rows[key]
        for column in ("value", "numerator", "denominator"):
            a, b = _number(want[column]), _number(got[column])
            same = a == b if want["unit"] == "count" else close(a, b)
            if not same or got["unit"] != want["unit"]:
                differing.append((key, column, a, b))
    assert not differing, f"{len(differing)} differences, e.g. {differing[:5]}"
