"""An independent oracle for the marketing-channel KPIs (catalogue section 3).

It reads only the generator's truth folder (truth/sessions, truth/email_sends,
truth/ad_spend_daily and the clean social, Marketo program and Salesforce FX tables), never
our tables or seeds, and produces rows keyed like `kpi_values`:
(kpi_id, period_grain, period_start, dimension_name, dimension_value) ->
(value, numerator, denominator).
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pandas as pd

REPORTING_CURRENCY = "EUR"  # dbt_project.yml's default var `reporting_currency`

Key = tuple[str, str, dt.date, str, str]
Row = tuple[float | None, float | None, float | None]


def _month(day) -> dt.date:
    return dt.date(day.year, day.month, 1)


def _day(day) -> dt.date:
    return dt.date(day.year, day.month, day.day)


def _ratio(numerator: float, denominator: float) -> Row:
    value = numerator / denominator if denominator else None
    return value, float(numerator), float(denominator)


def _periods(frame: pd.DataFrame, time_column: str):
    """(grain, period column) for the day and month grains."""
    yield "day", frame[time_column].map(_day)
    yield "month", frame[time_column].map(_month)


def _grouped(frame: pd.DataFrame, period: pd.Series, dimension: str | None):
    values = frame[dimension].fillna("unknown") if dimension else pd.Series("all", frame.index)
    return frame.groupby([period, values])


def web_session_kpis(truth: Path) -> dict[Key, Row]:
    sessions = pd.read_parquet(truth / "sessions.parquet")
    sessions["duration_s"] = (
        (sessions["session_end"] - sessions["session_start"]) / pd.Timedelta(seconds=1))
    sessions["is_engaged"] = ((sessions["duration_s"] >= 10) | (sessions["page_count"] >= 2)
                              | sessions["has_form_fill"])
    # catalogue: day x channel x landing page (the cross by month only, see kpi_web_sessions)
    sessions["channel_landing_page"] = (sessions["channel"].fillna("unknown") + " | "
                                        + sessions["landing_path"].fillna("unknown"))
    dimensions = {"all": None, "channel": "channel", "landing_page": "landing_path",
                  "channel_landing_page": "channel_landing_page"}
    by_page = ("all", "channel", "landing_page", "channel_landing_page")
    kpi_dimensions = {
        "sessions": by_page,
        "avg_session_duration_s": by_page,
        "bounce_rate": by_page,
        "engagement_rate": ("all", "channel"),
        "site_conversion_rate": ("all", "channel"),
        "landing_page_conversion_rate": ("all", "landing_page", "channel_landing_page"),
    }
    kpis: dict[Key, Row] = {}
    for grain, period in _periods(sessions, "session_start"):
        for name, column in dimensions.items():
            if name == "channel_landing_page" and grain != "month":
                continue
            for (start, value), group in _grouped(sessions, period, column):
                n = len(group)
                rows = {
                    "sessions": (float(n), float(n), None),
                    "avg_session_duration_s": _ratio(group["duration_s"].sum(), n),
                    "bounce_rate": _ratio(group["is_bounce"].sum(), n),
                    "engagement_rate": _ratio(group["is_engaged"].sum(), n),
                    "site_conversion_rate": _ratio(group["has_form_fill"].sum(), n),
                    "landing_page_conversion_rate": _ratio(group["has_form_fill"].sum(), n),
                }
                for kpi_id, row in rows.items():
                    if name in kpi_dimensions[kpi_id]:
                        kpis[(kpi_id, grain, start, name, value)] = row
    return kpis


def email_kpis(truth: Path) -> dict[Key, Row]:
    sends = pd.read_parquet(truth / "email_sends.parquet")
    programs = pd.read_parquet(truth / "clean" / "marketo" / "program.parquet")
    campaigns = pd.read_parquet(truth / "clean" / "marketo" / "campaign.parquet")
    sends["program"] = sends["program_id"].map(programs.set_index("id")["name"])
    sends["campaign"] = sends["campaign_id"].map(campaigns.set_index("id")["name"])
    kpis: dict[Key, Row] = {}
    # catalogue: open rate by campaign x send date, the others by campaign; plus the program
    # by month that the marketing team reports
    for (grain, period), (name, column) in itertools.product(
            _periods(sends, "send_date"),
            {"all": None, "program": "program", "campaign": "campaign"}.items()):
        for (start, value), group in _grouped(sends, period, column):
            sent, bounced = group["sent"].sum(), group["bounced"].sum()
            delivered = sent - bounced  # the catalogue's delivered, not the delivered activity
            opens, clicks = group["unique_opens"].sum(), group["unique_clicks"].sum()
            rows = {
                "email_open_rate": _ratio(opens, delivered),
                "email_click_through_rate": _ratio(clicks, delivered),
                "email_click_to_open_rate": _ratio(clicks, opens),
                "email_unsubscribe_rate": _ratio(group["unsubscribes"].sum(), delivered),
                "email_bounce_rate": _ratio(bounced, sent),
            }
            for kpi_id, row in rows.items():
                kpis[(kpi_id, grain, start, name, value)] = row
    return kpis


def social_kpis(truth: Path) -> dict[Key, Row]:
    stats = pd.read_parquet(truth / "clean" / "social" / "page_daily_stats.parquet")
    stats["date"] = pd.to_datetime(stats["date"])
    kpis: dict[Key, Row] = {}
    for grain, period in _periods(stats, "date"):
        stats["period"] = period
        last = stats.sort_values("date").groupby(["period", "network"]).tail(1)
        for name, column in {"all": None, "network": "network"}.items():
            followers = _grouped(last, last["period"], column)["followers"].sum()
            for (start, value), group in _grouped(stats, stats["period"], column):
                engagements = group["engagements"].sum()
                kpis[("social_followers", grain, start, name, value)] = (
                    float(followers[(start, value)]), float(followers[(start, value)]), None)
                kpis[("social_engagements", grain, start, name, value)] = (
                    float(engagements), float(engagements), None)
                kpis[("social_engagement_rate", grain, start, name, value)] = _ratio(
                    engagements, group["impressions"].sum())
    return kpis


def _rate(rates: pd.DataFrame, currency: str, day: dt.date) -> float:
    """salesforce.dated_conversion_rate: the period with start_date <= day < next_start_date."""
    own = rates[(rates["iso_code"] == currency) & (rates["start_date"] <= day)
                & (rates["next_start_date"].isna() | (rates["next_start_date"] > day))]
    assert len(own) == 1, (currency, day)
    return float(own["conversion_rate"].iloc[0])


def ad_kpis(truth: Path) -> dict[Key, Row]:
    spend = pd.read_parquet(truth / "ad_spend_daily.parquet")
    rates = pd.read_parquet(truth / "clean" / "salesforce" / "dated_conversion_rate.parquet")
    for column in ("start_date", "next_start_date"):
        rates[column] = rates[column].map(lambda d: None if pd.isna(d) else pd.Timestamp(d).date())
    spend["date"] = spend["date"].map(lambda d: pd.Timestamp(d).date())
    factor = {(c, d): _rate(rates, REPORTING_CURRENCY, d) / _rate(rates, c, d)
              for c, d in spend[["currency", "date"]].drop_duplicates().itertuples(index=False)}
    spend["spend_reporting"] = [s * factor[(c, d)] for s, c, d in
                                zip(spend["spend"], spend["currency"], spend["date"])]
    kpis: dict[Key, Row] = {}
    dimensions = {"all": None, "platform": "platform", "campaign": "campaign_name"}
    for grain, period in _periods(spend, "date"):
        for name, column in dimensions.items():
            for (start, value), group in _grouped(spend, period, column):
                impressions, clicks = group["impressions"].sum(), group["clicks"].sum()
                amount = group["spend_reporting"].sum()
                kpis[("ad_impressions", grain, start, name, value)] = (
                    float(impressions), float(impressions), None)
                kpis[("ad_clicks", grain, start, name, value)] = (float(clicks), float(clicks), None)
                kpis[("ad_spend", grain, start, name, value)] = (float(amount), float(amount), None)
                kpis[("ad_ctr", grain, start, name, value)] = _ratio(clicks, impressions)
                kpis[("ad_cpc", grain, start, name, value)] = _ratio(amount, clicks)
    return kpis


def marketing_kpis(truth: Path) -> dict[Key, Row]:
    """Every section-3 KPI, recomputed from the truth."""
    return {**web_session_kpis(truth), **email_kpis(truth), **social_kpis(truth),
            **ad_kpis(truth)}
