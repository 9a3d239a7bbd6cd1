"""The KPI summary printed at the end of a run (and, later, the files the report step writes)."""

from __future__ import annotations

from pathlib import Path

import duckdb

FUNNEL = ["leads_created", "mqls", "sqls", "opportunities_created", "customers_won",
          "lead_to_mql_rate", "mql_to_sql_rate", "mql_rejection_rate", "sql_to_opportunity_rate",
          "opportunity_win_rate", "lead_to_customer_rate", "lead_to_close_days",
          "sales_cycle_days"]


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ratio":
        return f"{value:7.1%}"
    if unit in ("days", "months", "seconds"):
        return f"{value:7.1f} {unit[0]}"
    if unit in ("multiple", "score") or (unit == "currency" and abs(value) < 1000):
        return f"{value:9.2f}"
    return f"{value:9,.0f}"


def print_kpi_summary(database: Path) -> None:
    """The funnel over the whole period (counts summed, rates and averages recomputed from
    their numerators and denominators), then the scorecard's latest month against target."""
    placeholders = ", ".join("?" for _ in FUNNEL)
    with duckdb.connect(str(database), read_only=True) as con:
        funnel = con.execute(
            f"""
            select kpi_id, any_value(unit), min(period_start), max(period_start),
                sum(numerator), sum(denominator)
            from marts.kpi_values
            where dimension_name = 'all' and kpi_id in ({placeholders})
            group by kpi_id
            """,
            FUNNEL,
        ).fetchall()
        scorecard = con.execute(
            """
            select kpi_id, period_start, unit, actual, target, is_on_target, indicator_level
            from marts.kpi_scorecard
            where target is not null and actual is not null
            qualify period_start = max(period_start) over (partition by kpi_id, period_grain)
            order by indicator_level desc, kpi_id
            """
        ).fetchall()
    summary = {row[0]: row for row in funnel}
    first = min(row[2] for row in funnel)
    last = max(row[3] for row in funnel)
    print(f"\nFunnel, all channels, {first:%Y-%m} to {last:%Y-%m}")
    for kpi_id in FUNNEL:
        if kpi_id not in summary:
            continue
        _, unit, _, _, numerator, denominator = summary[kpi_id]
        value = numerator if unit == "count" else (numerator / denominator if denominator else None)
        detail = f"  ({numerator:,.0f} / {denominator:,.0f})" if unit == "ratio" else ""
        print(f"  {kpi_id:<26}{_format(value, unit)}{detail}")
    print("\nScorecard: each KPI's latest period against its target (kpi_targets seed)")
    print(f"  {'kpi':<34}{'period':<10}{'actual':>10}{'target':>11}  status")
    for kpi_id, period, unit, actual, target, on_target, level in scorecard:
        status = "on target" if on_target else "off target"
        print(f"  {kpi_id:<34}{period:%Y-%m}   {_format(actual, unit):>10}"
              f" {_format(target, unit):>10}  {status} ({level})")
