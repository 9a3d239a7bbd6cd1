"""The Streamlit dashboard (`make dashboard`, or `python -m b2bkpi.dashboard`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from b2bkpi import registry
from b2bkpi.dashboard import charts, data

ALL = "all"
CUT_LABELS = {"channel": "Channel", "segment": "Segment (company size)", "rep": "Rep"}


def sidebar_filters(warehouse: data.Warehouse, values: dict[str, dict[str, str]]
                    ) -> data.Filters:
    """The period slider and one select box per cut (`values`: data.cut_values), combined."""
    first, last = data.month_range(warehouse)
    default = data.default_filters(warehouse)
    months = [month.date() for month in pd.date_range(first, last, freq="MS")]
    start, end = st.sidebar.select_slider(
        "Period (months)", options=months, value=(default.start, default.end),
        format_func=lambda month: f"{month:%Y-%m}", key="filter_period")
    chosen = {}
    for cut, label in CUT_LABELS.items():
        # the options are what the filter selects by (a rep's id), the labels what it shows
        chosen[cut] = st.sidebar.selectbox(
            label, [ALL, *values[cut]], key=f"filter_{cut}",
            format_func=lambda value, labels=values[cut]: "All" if value == ALL
            else labels.get(value, value))
    st.sidebar.caption(
        "Channel, segment and rep combine (AND). The funnel KPIs (counts, conversion rates, "
        "win rate, sales cycle, stage durations) are computed from the lead lifecycle fact "
        "for any combination. A rep is credited with a stage by the owner at entry into the "
        "rate's denominator stage: Lead → MQL by the owner when the lead was created, "
        "MQL → SQL by the owner when it became an MQL, SQL → opportunity by the owner at "
        "the SQL, win rate, sales cycle, opportunities and customers by the opportunity's "
        "owner. Cost, CAC, LTV : CAC and retention are broken down by one dimension "
        "(channel, or company size for retention): each tile says which filters it "
        "follows. Rates and averages over several months are pooled: Σ numerator ÷ Σ "
        "denominator. Reps marked (inactive) have left.")
    return data.Filters(start, end, **chosen)


def scorecard_section(warehouse: data.Warehouse, filters: data.Filters,
                      labels: dict[str, dict[str, str]]) -> None:
    st.header("Scorecard")
    st.caption("Actual over the period against target (kpi_registry seed; monthly count "
               "targets summed over the months; cohort rates over their mature cohorts). "
               "Gap = actual − target.")
    st.html(charts.tiles_html(data.scorecard(warehouse, filters, labels)))


def funnel_section(warehouse: data.Warehouse, filters: data.Filters) -> None:
    st.header("Funnel")
    stages = data.funnel(warehouse, filters)
    chart, numbers = st.columns([3, 2])
    chart.plotly_chart(charts.funnel_chart(stages), key="chart_funnel")
    numbers.html(charts.funnel_html(stages))
    numbers.caption("Entries: leads, MQLs, SQLs, opportunities and customers whose stage "
                    "began in the period. Conversion: cohort rates of the leads created in "
                    "the period (win rate: opportunities closed in the period).")
    st.plotly_chart(charts.durations_chart(data.stage_durations(warehouse, filters)),
                    key="chart_durations")


def trends_section(warehouse: data.Warehouse, filters: data.Filters) -> None:
    st.header("Trends by month")
    counts, rates = st.columns(2)
    stage_kpis = [(kpi_id, "month") for kpi_id, _ in data.FUNNEL_STAGES]
    counts.plotly_chart(charts.trend_chart(
        data.monthly_trend(warehouse, stage_kpis, filters), dict(data.FUNNEL_STAGES),
        "Stage entries per month", "entries per month (count)"), key="chart_trend_counts")
    rate_kpis = [(kpi_id, registry.kpi(kpi_id).period_grain) for kpi_id in
                 ("lead_to_mql_rate", "mql_to_sql_rate", "opportunity_win_rate")]
    rates.plotly_chart(charts.trend_chart(
        data.monthly_trend(warehouse, rate_kpis, filters),
        {"lead_to_mql_rate": "Lead → MQL (cohort)", "mql_to_sql_rate": "MQL → SQL (cohort)",
         "opportunity_win_rate": "Win rate"}, "Conversion rates per month",
        "conversion rate (%)"),
        key="chart_trend_rates")


def channel_section(warehouse: data.Warehouse, filters: data.Filters) -> None:
    st.header("Channels and campaigns")
    model = st.selectbox("Attribution model", data.ATTRIBUTION_MODELS, index=2,
                         format_func=lambda name: name.replace("_", " "), key="model")
    channels = data.channel_table(warehouse, filters, model)
    _table(channels, charts.CHANNEL_COLUMNS, "table_channels")
    st.caption("Leads, marketing cost, cost per lead, customers and CAC by the lead's channel; "
               "attributed revenue and ROI by the channel of the credited touches under the "
               "chosen model. Touch-only channels (website, content, …) are never a lead's "
               "channel, and 'unattributed' is revenue won without a counted touch: they "
               "have attributed revenue only. —: no value (no cost booked to the channel, "
               "so no cost per lead, CAC or ROI). The channel filter keeps its row; cost is "
               "booked by channel only, so the segment and rep filters do not apply here.")
    st.plotly_chart(charts.channel_chart(channels, model), key="chart_roi")
    st.subheader("Ad campaigns: ROAS")
    campaigns = data.campaign_table(warehouse, filters, model)
    _table(campaigns, charts.CAMPAIGN_COLUMNS, "table_campaigns")
    st.caption("Attributed revenue ÷ ad spend per campaign under the chosen model. The "
               "channel filter keeps the campaigns of its ad platforms (a platform's channel: "
               "that of its touches); segment and rep do not apply to ad spend.")


def _table(frame: pd.DataFrame, columns: dict[str, tuple[str, str]], key: str) -> None:
    """A formatted table, numbers right-aligned, tall enough to need no inner scrollbar;
    "no data for this cut" instead of an empty table."""
    if frame.empty:
        st.info(data.NO_DATA)
        return
    numbers = {header: st.column_config.TextColumn(alignment="right")
               for header, unit in columns.values() if unit}
    st.dataframe(charts.formatted_table(frame, columns), hide_index=True,
                 column_config=numbers, height=38 + 35 * max(len(frame), 1), key=key)


def abm_retention_section(warehouse: data.Warehouse, filters: data.Filters) -> None:
    st.header("ABM: target vs non-target")
    comparison = data.abm_comparison(warehouse, filters)
    rates, nrr = st.columns([3, 2])
    rates.plotly_chart(charts.abm_chart(comparison), key="chart_abm")
    nrr.plotly_chart(charts.abm_nrr_chart(comparison), key="chart_abm_nrr")
    st.caption("Period filter only (these KPIs are cut by ABM status, not by channel, segment "
               "or rep). NRR is apart from the rates: above 100 % when expansion outweighs "
               "churn.")
    st.header("Retention and NRR")
    retention_kpis = [(kpi_id, "month") for kpi_id, _ in data.RETENTION_KPIS]
    st.plotly_chart(charts.retention_chart(
        data.monthly_trend(warehouse, retention_kpis, filters)), key="chart_retention")
    st.caption("NRR: recurring revenue at the month's end of the accounts that were "
               "customers a year earlier, as a % of their revenue then (above 100 %: "
               "expansion outweighs churn); GRR: the same with expansion capped. "
               "Customer retention: the month's starting customers still customers at "
               "its end. The segment filter applies (retention is cut by company size); "
               "with the channel or rep filter alone the total is shown.")


def lead_queue_section(warehouse: data.Warehouse, filters: data.Filters) -> None:
    st.header("Lead priority queue")
    st.caption("The top of the sales queue as of the last build (lead_priority), for the "
               "chosen channel, segment and rep (the lead's current owner, who works the "
               "queue); the period does not apply.")
    queue = data.lead_queue(warehouse, filters)
    if queue.empty:
        st.info(data.NO_DATA)
        return
    # an HTML table, so that the long "why this rank" texts wrap
    st.html(charts.table_html(queue, charts.QUEUE_COLUMNS, "table_queue"))


def main() -> None:
    st.set_page_config(page_title="B2B KPI dashboard", layout="wide")
    with data.Warehouse.from_env().session() as warehouse:
        page(warehouse)


def page(warehouse: data.Warehouse) -> None:
    labels = data.cut_values(warehouse)
    filters = sidebar_filters(warehouse, labels)
    st.title("B2B marketing & sales KPIs")
    st.markdown(f"**{filters.describe(labels)}**")
    scorecard_section(warehouse, filters, labels)
    funnel_section(warehouse, filters)
    trends_section(warehouse, filters)
    channel_section(warehouse, filters)
    abm_retention_section(warehouse, filters)
    lead_queue_section(warehouse, filters)


main()
