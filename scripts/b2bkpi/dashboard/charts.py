"""Number formats, the scorecard tiles (HTML shared by the app and the report), the tables'
headers with their units, and the plotly figures, built from the frames of `data`."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
import yaml

from b2bkpi import registry
from b2bkpi.dashboard.data import ABM_KPIS, ABM_RATES, NO_DATA, RETENTION_KPIS

PROJECT_YML = registry.REGISTRY_CSV.parents[1] / "dbt_project.yml"
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


def currency_sign(project_yml=PROJECT_YML) -> str:
    """The sign of the project's reporting currency (dbt_project.yml's var
    `reporting_currency`, which the marts' money is converted to): '€' for EUR, the ISO code
    and a space for a currency without a sign here."""
    code = yaml.safe_load(project_yml.read_text(encoding="utf-8"))["vars"]["reporting_currency"]
    return CURRENCY_SIGNS.get(code, f"{code} ")


CURRENCY = currency_sign()
UNIT_AXIS = {"ratio": "%", "multiple": "× (ratio)", "days": "days", "currency": CURRENCY,
             "count": "count", "months": "months", "seconds": "seconds", "score": "points"}
# plotly hover formats of the same units
UNIT_HOVER = {"ratio": "%{y:.1%}", "multiple": "%{y:.2f}×", "days": "%{y:,.1f} days",
              "currency": CURRENCY + "%{y:,.0f}", "count": "%{y:,.0f}",
              "months": "%{y:,.1f} months", "seconds": "%{y:,.0f} s", "score": "%{y:,.1f}"}
# headers and units of the dashboard's tables: column → (header, unit of format_value)
CHANNEL_COLUMNS = {
    "channel": ("Channel", ""), "kind": ("Channel kind", ""), "leads": ("Leads", "count"),
    "cost": (f"Marketing cost ({CURRENCY.strip()})", "currency"),
    "cost_per_lead": (f"Cost per lead ({CURRENCY.strip()})", "currency"),
    "customers": ("Customers", "count"), "cac": (f"CAC ({CURRENCY.strip()})", "currency"),
    "attributed_revenue": (f"Attributed revenue ({CURRENCY.strip()})", "currency"),
    "marketing_roi": ("Marketing ROI (×)", "multiple")}
CAMPAIGN_COLUMNS = {
    "platform": ("Ad platform", ""), "channel": ("Channel", ""), "campaign": ("Campaign", ""),
    "ad_spend": (f"Ad spend ({CURRENCY.strip()})", "currency"),
    "attributed_revenue": (f"Attributed revenue ({CURRENCY.strip()})", "currency"),
    "roas": ("ROAS (×)", "multiple")}
QUEUE_COLUMNS = {
    "priority_rank": ("Rank", "count"), "lead_id": ("Lead id", ""),
    "rep_name": ("Rep", ""), "channel": ("Channel", ""),
    "company_size_band": ("Company size (employees)", ""), "current_stage": ("Stage", ""),
    "grade": ("Grade", ""), "score": ("Score (points)", "score"),
    "priority_reason": ("Why this rank", "")}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, unit: str, extra: int = 0) -> str:
    """A KPI value as the dashboard, the report and the browser test print it; `extra`
    decimals more than usual (see `telling_digits`)."""
    if _missing(value):
        return "n/a"
    if unit == "ratio":
        return f"{value:.{1 + extra}%}"
    if unit == "multiple":
        return f"{value:.{2 + extra}f}×"
    if unit in ("days", "months"):
        return f"{value:,.{1 + extra}f} {unit}"
    if unit == "seconds":
        return f"{value:,.{extra}f} s"
    if unit == "currency":  # the sign before the currency's: −€67.92
        return (("−" if value < 0 else "")
                + f"{CURRENCY}{abs(value):,.{(2 if abs(value) < 100 else 0) + extra}f}")
    if unit == "score":
        return f"{value:,.{1 + extra}f}"
    return f"{value:,.{extra}f}"


def telling_digits(actual: float | None, target: float | None, unit: str,
                   most: int = 4) -> int:
    """The extra decimals that print an actual and a target that differ differently (a
    2.96 % rate against a 3 % target is not "3.0 % vs 3.0 %, off target")."""
    if _missing(actual) or _missing(target) or actual == target:
        return 0
    return next((extra for extra in range(most + 1)
                 if format_value(actual, unit, extra) != format_value(target, unit, extra)),
                most)


def format_gap(gap: float | None, unit: str, extra: int = 0) -> str:
    """A signed gap to target: percentage points for ratios, the unit otherwise."""
    if _missing(gap):
        return "n/a"
    sign = "+" if gap >= 0 else "−"
    if unit == "ratio":
        return f"{sign}{abs(gap) * 100:.{1 + extra}f} pp"
    return sign + format_value(abs(gap), unit, extra)


SCORECARD_LEGEND = (
    "Legend: ↑ higher is better, ↓ lower is better · systemic = business outcome, specialist "
    "= activity driver · cohort rates: mature cohorts only (month + maturity_days, "
    "kpi_registry) · actual and target compared unrounded")


TILE_CSS = """
<style>
.kpi-tiles {display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
  gap: 10px; font-family: sans-serif;}
.kpi-tile {border: 1px solid #d0d4da; border-radius: 8px; padding: 10px 12px;
  border-left: 6px solid #9aa0a6; background: #fff;}
.kpi-tile.on {border-left-color: #1e8e3e;} .kpi-tile.off {border-left-color: #d93025;}
.kpi-name {font-size: 13px; color: #444;} .kpi-actual {font-size: 26px; font-weight: 600;}
.kpi-target, .kpi-cut {font-size: 12px; color: #555;}
.kpi-gap.on {color: #1e8e3e;} .kpi-gap.off {color: #d93025;}
</style>
"""


def formatted_table(frame: pd.DataFrame, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """`frame`'s `columns` under human headers, values as the tiles print them ('—' where
    there is none: Streamlit would print a missing number as 'None')."""
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"table has no column {', '.join(sorted(missing))}")
    return pd.DataFrame({
        header: [_cell(value, unit) for value in frame[name]]
        for name, (header, unit) in columns.items()})


def table_html(frame: pd.DataFrame, columns: dict[str, tuple[str, str]], test_id: str) -> str:
    """`formatted_table` as an HTML table whose text cells wrap (a long "why this rank"
    reads in full), numbers right-aligned."""
    table = formatted_table(frame, columns)
    numeric = [bool(unit) for _, unit in columns.values()]
    head = "".join(f"<th>{html.escape(header)}</th>" for header in table.columns)
    rows = "".join(
        "<tr>" + "".join(f'<td class="{"number" if number else "text"}">'
                         f"{html.escape(cell)}</td>" for cell, number in zip(row, numeric))
        + "</tr>" for row in table.itertuples(index=False))
    return (f"{TABLE_CSS}<table class=\"kpi-table\" data-testid=\"{test_id}\">"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


TABLE_CSS = """
<style>
.kpi-table {border-collapse: collapse; width: 100%; font-family: sans-serif; font-size: 14px;}
.kpi-table th, .kpi-table td {border-bottom: 1px solid #e0e3e7; padding: 4px 8px;
  vertical-align: top; text-align: left;}
.kpi-table td.text {white-space: normal; overflow-wrap: break-word;}
.kpi-table td.number {text-align: right; white-space: nowrap;}
</style>
"""


def _cell(value: object, unit: str) -> str:
    if not unit:
        return "—" if value is None or pd.isna(value) else str(value)
    return "—" if _missing(value) else format_value(float(value), unit)


def tiles_html(tiles: pd.DataFrame) -> str:
    """The scorecard: one tile per KPI with actual, target and gap (green on target, red
    off target, grey without target), digits enough to tell actual from target, the last
    cohort pooled for a KPI with a maturity window; data-testid attributes for the browser
    test."""
    parts = [TILE_CSS, '<div class="kpi-tiles" data-testid="scorecard">']
    for tile in tiles.itertuples():
        status = "" if tile.on_target is None or _missing(tile.on_target) else (
            "on" if tile.on_target else "off")
        extra = telling_digits(tile.actual, tile.target, tile.unit)
        target = (f'target {format_value(tile.target, tile.unit, extra)} · gap '
                  f'<span class="kpi-gap {status}" data-testid="gap-{tile.kpi_id}">'
                  f'{format_gap(tile.gap, tile.unit, extra)}</span>'
                  if not _missing(tile.target) else "no target for this cut")
        cut = html.escape(tile.cut)
        if registry.kpi(tile.kpi_id).maturity_days and not pd.isna(tile.last_period):
            cut += f" · mature cohorts to {tile.last_period:%Y-%m}"
        parts.append(
            f'<div class="kpi-tile {status}" data-testid="tile-{tile.kpi_id}">'
            f'<div class="kpi-name">{html.escape(tile.name)}</div>'
            f'<div class="kpi-actual" data-testid="actual-{tile.kpi_id}">'
            f'{format_value(tile.actual, tile.unit, extra)}</div>'
            f'<div class="kpi-target">{target}</div>'
            f'<div class="kpi-cut" data-testid="cut-{tile.kpi_id}">{cut}</div></div>')
    parts.append(f'</div><p class="kpi-legend" data-testid="scorecard-legend" '
                 f'style="font-size: 12px; color: #555">{html.escape(SCORECARD_LEGEND)}</p>')
    return "".join(parts)


def funnel_html(stages: pd.DataFrame) -> str:
    """The funnel's numbers as a small table (readable without hovering the chart)."""
    rows = "".join(
        f'<tr data-testid="funnel-{stage.kpi_id}"><td>{stage.stage}</td>'
        f'<td class="count">{format_value(stage.count, "count")}</td>'
        f'<td class="rate">{format_value(stage.conversion_rate, "ratio") if index else "—"}'
        "</td></tr>"
        for index, stage in enumerate(stages.itertuples()))
    return ('<table data-testid="funnel-table" style="font-family: sans-serif">'
            "<tr><th>stage</th><th>entries</th><th>conversion from previous stage</th></tr>"
            f"{rows}</table>")


def _has_data(figure: go.Figure) -> bool:
    """Whether any trace has a value to draw (on its value axis: x for horizontal bars)."""
    for trace in figure.data:
        values = trace.x if getattr(trace, "orientation", None) == "h" else trace.y
        if values is not None and any(not _missing(v) and v is not None for v in values):
            return True
    return False


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    """The common layout; a figure without data says so instead of drawing empty axes."""
    if not _has_data(figure):
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        figure.add_annotation(text=NO_DATA, showarrow=False, xref="paper", yref="paper",
                              x=0.5, y=0.5, font={"size": 18, "color": "#555"})
    # the legend sits under the x axis title, anchored by its top so the two never overlap
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title,
                         template="plotly_white", height=420,
                         margin={"l": 70, "r": 20, "t": 60, "b": 110},
                         legend={"orientation": "h", "yanchor": "top", "y": -0.22,
                                 "xanchor": "left", "x": 0})
    return figure


def funnel_chart(stages: pd.DataFrame) -> go.Figure:
    labels = [
        format_value(row.count, "count") if index == 0 else
        f"{format_value(row.count, 'count')}  ({format_value(row.conversion_rate, 'ratio')}"
        " from previous)"
        for index, row in enumerate(stages.itertuples())]
    # no entry at all: nothing to draw (the figure says there is no data)
    counts = stages["count"].tolist() if stages["count"].sum() else []
    figure = go.Figure(go.Bar(x=counts, y=stages.stage.tolist() if counts else [],
                              orientation="h", text=labels if counts else [],
                              textposition="auto", marker_color="#1a73e8"))
    figure.update_yaxes(autorange="reversed")
    # the stage names label the bars: an axis title would only crowd them
    return _layout(figure, "Funnel: stage entries in the period (conversion: cohort rates)",
                   "entries (count)", "")


def durations_chart(durations: pd.DataFrame) -> go.Figure:
    figure = go.Figure([
        go.Bar(name="mean", x=durations.step, y=durations.mean_days,
               text=[format_value(v, "days") for v in durations.mean_days]),
        go.Bar(name="median", x=durations.step, y=durations.median_days,
               text=[format_value(v, "days") for v in durations.median_days]),
    ])
    return _layout(figure, "Time between stages (leads created in the period)", "step", "days")


def trend_chart(trend: pd.DataFrame, names: dict[str, str], title: str,
                y_title: str | None = None) -> go.Figure:
    """One line per KPI by month, in the one unit they share (ratios on a percent axis);
    the hover prints the month and the value in that unit."""
    units = set(trend.unit)
    if len(units) > 1:
        raise ValueError(f"one unit per chart: {title!r} mixes {', '.join(sorted(units))}")
    unit = units.pop() if units else "count"
    hover = UNIT_HOVER.get(unit, "%{y}")
    # lines in the order of `names` (funnel order), not alphabetical
    order = [kpi_id for kpi_id in names if kpi_id in set(trend.kpi_id)]
    order += sorted(set(trend.kpi_id) - set(order))
    figure = go.Figure([
        go.Scatter(name=names.get(kpi_id, kpi_id), x=part.period_start, y=part.value,
                   mode="lines+markers",
                   hovertemplate=f"%{{x|%Y-%m}}: {hover}<extra>%{{fullData.name}}</extra>")
        for kpi_id, part in ((kpi_id, trend[trend.kpi_id == kpi_id]) for kpi_id in order)])
    if unit == "ratio":
        figure.update_yaxes(tickformat=".0%")
    return _layout(figure, title, "month", y_title or UNIT_AXIS.get(unit, unit))


def retention_chart(trend: pd.DataFrame) -> go.Figure:
    """NRR, GRR and customer retention by month, all as percents (NRR 1.05 = 105 %)."""
    return trend_chart(trend, dict(RETENTION_KPIS), "Monthly retention (%)", "% retained")


def _abm_bars(comparison: pd.DataFrame, kpi_ids: list[str]) -> go.Figure:
    """Target vs non-target bars of `kpi_ids` (as percents), in ABM_KPIS order."""
    shown = comparison[comparison.kpi_id.isin(kpi_ids)]
    figure = go.Figure([
        go.Bar(name=group.replace("_", "-"), x=part.kpi, y=part.value,
               text=[format_value(v, "ratio") for v in part.value])
        for group, part in shown.groupby("group")])
    figure.update_yaxes(tickformat=".0%")
    figure.update_xaxes(categoryorder="array", categoryarray=[
        name for kpi_id, name in ABM_KPIS if kpi_id in kpi_ids])
    figure.update_traces(hovertemplate="%{x}: %{y:.1%}<extra>%{fullData.name}</extra>")
    return figure


def abm_chart(comparison: pd.DataFrame) -> go.Figure:
    """ABM target vs non-target: win rate, retention and expansion (rates, 0–100 %)."""
    return _layout(_abm_bars(comparison, ABM_RATES),
                   "ABM rates: target vs non-target (pooled over the period)",
                   "KPI", "rate (%)")


def abm_nrr_chart(comparison: pd.DataFrame) -> go.Figure:
    """ABM target vs non-target NRR, apart from the rates: above 100 % with expansion."""
    return _layout(_abm_bars(comparison, ["net_revenue_retention"]),
                   "ABM NRR: target vs non-target (pooled)",
                   "", "% of starting recurring revenue")


def channel_chart(channels: pd.DataFrame, model: str) -> go.Figure:
    shown = channels.dropna(subset=["marketing_roi"])
    figure = go.Figure(go.Bar(x=shown.channel, y=shown.marketing_roi,
                              text=[format_value(v, "multiple") for v in shown.marketing_roi],
                              hovertemplate="%{x}: %{y:.2f}×<extra></extra>",
                              marker_color="#188038"))
    return _layout(figure, f"Marketing ROI by channel ({model.replace('_', ' ')} attribution)",
                   "channel", "ROI ((revenue − cost) ÷ cost, ×)")

