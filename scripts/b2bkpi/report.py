"""The KPI summary printed at the end of a run, and the HTML report the report step writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from b2bkpi import registry
from b2bkpi.dashboard import charts, data

# the KPIs of the funnel summary, in funnel order (their units: the KPI registry)
FUNNEL = ["leads_created", "mqls", "sqls", "opportunities_created", "customers_won",
          "lead_to_mql_rate", "mql_to_sql_rate", "mql_rejection_rate", "sql_to_opportunity_rate",
          "opportunity_win_rate", "lead_to_customer_rate", "lead_to_close_days",
          "sales_cycle_days"]
# a KPI with a target has a direction (test kpi_registry_a_target_has_a_direction)
ARROWS = {"higher_is_better": "↑", "lower_is_better": "↓"}


def _period(start: dt.date, grain: str) -> str:
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if grain in ("day", "week", "snapshot"):
        return f"{start:%Y-%m-%d}"
    return f"{start:%Y-%m}" + (" cohort" if grain == "cohort_month" else "")


def print_kpi_summary(database: Path) -> None:
    """The funnel over the whole period (counts summed, rates and averages recomputed from
    their numerators and denominators), then each KPI's scored period of the scorecard (its
    latest mature one) against target, and the legend."""
    placeholders = ", ".join("?" for _ in FUNNEL)
    with duckdb.connect(str(database), read_only=True) as con:
        funnel = con.execute(
            f"""
            select kpi_id, min(period_start), max(period_start), sum(numerator),
                sum(denominator)
            from marts.kpi_values
            where dimension_name = 'all' and kpi_id in ({placeholders})
            group by kpi_id
            """,
            FUNNEL,
        ).fetchall()
        scorecard = con.execute(
            """
            select kpi_id, period_grain, period_start, unit, actual, target, direction,
                is_on_target, indicator_level
            from marts.kpi_scorecard
            where is_scored and target is not null
            order by indicator_level desc, kpi_id
            """
        ).fetchall()
    summary = {row[0]: row for row in funnel}
    if summary:
        first = min(row[1] for row in funnel)
        last = max(row[2] for row in funnel)
        print(f"\nFunnel, all channels, {first:%Y-%m} to {last:%Y-%m}")
    else:
        print("\nFunnel: no rows in kpi_values")
    for kpi_id in FUNNEL:
        if kpi_id not in summary:
            continue
        _, _, _, numerator, denominator = summary[kpi_id]
        unit = registry.kpi(kpi_id).unit
        value = numerator if unit == "count" else (numerator / denominator if denominator else None)
        detail = f"  ({numerator:,.0f} / {denominator:,.0f})" if unit == "ratio" else ""
        print(f"  {kpi_id:<26}{charts.format_value(value, unit):>12}{detail}")
    print("\nScorecard: each KPI's latest mature period against its target (kpi_registry seed)")
    print(f"  {'kpi':<34}{'period':<16}{'actual':>13}{'target':>13}     status")
    for kpi_id, grain, start, unit, actual, target, direction, on_target, level in scorecard:
        extra = charts.telling_digits(actual, target, unit)
        status = {True: "on target", False: "off target", None: "not judged"}[on_target]
        print(f"  {kpi_id:<34}{_period(start, grain):<16}"
              f"{charts.format_value(actual, unit, extra):>13}"
              f"{charts.format_value(target, unit, extra):>13}  {ARROWS[direction]}  "
              f"{status} ({level})")
    print(f"  {charts.SCORECARD_LEGEND}")


# the conversion trend: each step's rate by the month its cohort entered the step
CONVERSION_TREND = ["lead_to_mql_rate", "mql_to_sql_rate", "sql_to_opportunity_rate"]


def data_as_of(database: Path) -> dt.date | None:
    """The day the data describes: the build's as-of (var lifecycle_as_of), the date of the
    snapshot KPIs (open pipeline); else the first day after the latest month with leads."""
    with duckdb.connect(str(database), read_only=True) as con:
        snapshot, last_month = con.execute(
            "select max(case when period_grain = 'snapshot' then period_start end),"
            " max(case when kpi_id = 'leads_created' then period_start end)"
            " from marts.kpi_values where dimension_name = 'all'").fetchone()
    if snapshot or not last_month:
        return snapshot
    return (pd.Timestamp(last_month) + pd.offsets.MonthBegin(1)).date()


def write_report(database: Path, out_dir: Path,
                 generated_at: dt.datetime | None = None) -> Path:
    """One self-contained HTML file (plotly.js inlined once) with the dashboard's scorecard
    and charts for its default view (the last 12 months, all channels), the channel table
    and the conversion trend, when it was made and which day its data describes; for
    e-mail."""
    generated_at = generated_at or dt.datetime.now(dt.timezone.utc)
    as_of = data_as_of(database)
    warehouse = data.Warehouse.duckdb(database)
    filters = data.default_filters(warehouse)
    stages = data.funnel(warehouse, filters)
    model = "linear"
    channels = data.channel_table(warehouse, filters, model)
    labels = {kpi_id: registry.kpi(kpi_id).label for kpi_id in CONVERSION_TREND}
    figures = [
        charts.funnel_chart(stages),
        charts.trend_chart(data.monthly_trend(warehouse, [
            (kpi_id, registry.kpi(kpi_id).period_grain) for kpi_id in CONVERSION_TREND],
            filters), labels, "Conversion by cohort month", "% of the cohort converted"),
        charts.durations_chart(data.stage_durations(warehouse, filters)),
        charts.trend_chart(data.monthly_trend(warehouse, [(kpi_id, "month") for kpi_id, _ in
                                                          data.FUNNEL_STAGES], filters),
                           dict(data.FUNNEL_STAGES), "Stage entries per month",
                           "entries per month (count)"),
        charts.channel_chart(channels, model),
        charts.abm_chart(data.abm_comparison(warehouse, filters)),
        charts.retention_chart(data.monthly_trend(
            warehouse, [(kpi_id, "month") for kpi_id, _ in data.RETENTION_KPIS], filters)),
    ]
    plots = "".join(figure.to_html(full_html=False, include_plotlyjs=index == 0,
                                   default_width="100%")
                    for index, figure in enumerate(figures))
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>B2B KPI report {filters.describe()}</title>"
        "<style>table.channels {border-collapse: collapse} table.channels td,"
        " table.channels th {padding: 2px 10px; text-align: right}</style></head>"
        '<body style="font-family: sans-serif; max-width: 1100px; margin: auto">'
        f"<h1>B2B marketing &amp; sales KPIs</h1><p><b>{filters.describe()}</b>, all "
        "channels. Actual over the period against target (monthly count targets summed); "
        "rates and averages pooled (Σ numerator ÷ Σ denominator).</p>"
        f'<p data-testid="report-dates">Data as of <b>{as_of or "unknown"}</b> · generated '
        f"{generated_at:%Y-%m-%d %H:%M} UTC</p>"
        f"<h2>Scorecard</h2>{charts.tiles_html(data.scorecard(warehouse, filters))}"
        f"<h2>Funnel</h2>{charts.funnel_html(stages)}"
        f"<h2>Channels</h2><p>Attribution model: {model}.</p>"
        + charts.formatted_table(channels, charts.CHANNEL_COLUMNS).to_html(
            index=False, border=0, classes="channels")
        + f"{plots}</body></html>")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "kpi_report.html"
    path.write_text(page, encoding="utf-8")
    return path
