"""The KPI summary printed at the end of a run, and the HTML report the report step writes."""

from __future__ import annotations

from pathlib import Path

import duckdb

from b2bkpi.dashboard import charts, data

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


def write_report(database: Path, out_dir: Path) -> Path:
    """One self-contained HTML file (plotly.js inlined once) with the dashboard's scorecard
    and charts for its default view (the last 12 months, all channels), for e-mail."""
    warehouse = data.Warehouse.duckdb(database)
    filters = data.default_filters(warehouse)
    stages = data.funnel(warehouse, filters)
    model = "linear"
    figures = [
        charts.funnel_chart(stages),
        charts.durations_chart(data.stage_durations(warehouse, filters)),
        charts.trend_chart(data.monthly_trend(warehouse, [(kpi_id, "month") for kpi_id, _ in
                                                          data.FUNNEL_STAGES], filters),
                           dict(data.FUNNEL_STAGES), "Stage entries per month",
                           "entries per month (count)"),
        charts.channel_chart(data.channel_table(warehouse, filters, model), model),
        charts.abm_chart(data.abm_comparison(warehouse, filters)),
        charts.retention_chart(data.monthly_trend(
            warehouse, [(kpi_id, "month") for kpi_id, _ in data.RETENTION_KPIS], filters)),
    ]
    plots = "".join(figure.to_html(full_html=False, include_plotlyjs=index == 0,
                                   default_width="100%")
                    for index, figure in enumerate(figures))
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>B2B KPI report {filters.describe()}</title></head>"
        '<body style="font-family: sans-serif; max-width: 1100px; margin: auto">'
        f"<h1>B2B marketing &amp; sales KPIs</h1><p><b>{filters.describe()}</b>, all "
        "channels. Actual over the period against target (monthly count targets summed); "
        "rates and averages pooled (Σ numerator ÷ Σ denominator).</p>"
        f"<h2>Scorecard</h2>{charts.tiles_html(data.scorecard(warehouse, filters))}"
        f"<h2>Funnel</h2>{charts.funnel_html(stages)}{plots}</body></html>")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "kpi_report.html"
    path.write_text(page, encoding="utf-8")
    return path
