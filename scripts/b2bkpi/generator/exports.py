"""Exports from other tools (CSV): social page stats, finance costs, eNPS pulse surveys."""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkpi.generator.core import Fx, Sim, uuids

NETWORKS = {  # network: (followers at 2,000 leads, daily follower growth, engagement rate)
    "linkedin": (8_000, 6.0, 0.035), "facebook": (3_000, 1.5, 0.020),
    "instagram": (1_500, 2.0, 0.045), "x": (4_000, 1.0, 0.015),
}
# monthly cost per lead created per month (EUR unless said), noise ±6 %
MARKETING_COSTS = {"content": 15.0, "tools": 10.0, "salaries": 90.0}
EVENT_COST_PER_LEAD = 40.0
SALES_COSTS = {"salaries": 250.0}
SALES_TOOLS_USD = 12.0
COMMISSION_RATE = 0.10
TEAMS = {  # team: (people, share of promoters, share of detractors)
    "Sales": (17, 0.40, 0.25), "Marketing": (6, 0.50, 0.15), "Customer Success": (8, 0.45, 0.20),
    "Engineering": (30, 0.55, 0.12), "G&A": (7, 0.35, 0.20),
}
UNSCORED_RESPONSES = 2  # responses that skipped the score question: staging must reject them
COMMENTS = ("Great team spirit", "Too many meetings", "Clear goals this quarter",
            "Workload is high", "Love the product", "Career paths unclear", None)


def social(sim: Sim) -> pd.DataFrame:
    rng = sim.rng("social")
    scale = (sim.n_leads / 2_000) ** 0.5
    days = np.arange(sim.n_days)
    dates = np.datetime64(sim.start) + days
    weekday = (dates.astype(int) + 3) % 7 < 5
    parts = []
    for network, (base, growth, rate) in NETWORKS.items():
        followers = np.round(base * scale + np.cumsum(rng.poisson(growth * scale, len(days))))
        impressions = np.round(followers * 0.06 * np.where(weekday, 1.0, 0.45)
                               * rng.lognormal(0, 0.35, len(days))).astype(np.int64)
        engagements = rng.binomial(impressions, rate)
        parts.append(pd.DataFrame({
            "date": dates, "network": network, "followers": followers.astype(np.int64),
            "impressions": impressions, "engagements": engagements,
            "clicks": rng.binomial(engagements, 0.3), "shares": rng.binomial(engagements, 0.05)}))
    return pd.concat(parts, ignore_index=True).sort_values(["date", "network"], ignore_index=True)


def finance(sim: Sim, fx: Fx, ad_spend: pd.DataFrame, opportunity: pd.DataFrame) -> pd.DataFrame:
    """Monthly costs: ads (reconciling with the platforms, Google billed in USD), events,
    content, tools and salaries, sales commissions on won deals, the US sales tools in USD."""
    rng = sim.rng("finance")
    # the ledger export covers the data's range, as the other systems' extracts do (months
    # of cost with no leads or touches would show an ROI of -100 %); the cost level keeps its
    # calibration on the whole fx window
    months = fx.months[fx.months >= np.datetime64(sim.start, "M")]
    per_month = sim.n_leads / len(fx.months)
    spend = ad_spend.assign(month=ad_spend["date"].to_numpy().astype("datetime64[M]"))
    spend["eur"] = spend["spend"] / fx.rate(spend["currency"].to_numpy(),
                                            spend["date"].to_numpy().astype("datetime64[us]").astype(np.int64))
    google = spend[spend["platform"] == "google_ads"].groupby("month")["spend"].sum()
    social_eur = spend[spend["platform"] != "google_ads"].groupby("month")["eur"].sum()
    won = opportunity[opportunity["is_won"] & (opportunity["currency_iso_code"] != "XYZ")]
    won_month = won["close_date"].to_numpy().astype("datetime64[M]")
    won_eur = pd.Series(won["amount"].to_numpy() / fx.rate(
        won["currency_iso_code"].to_numpy(), won["close_date"].to_numpy().astype("datetime64[us]")
        .astype(np.int64))).groupby(won_month).sum()
    season = np.array([1.0, 1.0, 1.6, 1.0, 1.2, 0.8, 0.4, 0.3, 1.4, 1.6, 1.3, 0.5])

    def noisy(value):
        return np.round(np.asarray(value, float) * rng.uniform(0.94, 1.06, len(months)), 2)

    rows = [
        ("marketing", "ads", "paid_search", noisy(google.reindex(months).fillna(0)), "USD"),
        ("marketing", "ads", "paid_social", noisy(social_eur.reindex(months).fillna(0)), "EUR"),
        ("marketing", "events", "events",
         noisy(EVENT_COST_PER_LEAD * per_month * season[months.astype(int) % 12]), "EUR"),
        *(("marketing", category, None, noisy(np.full(len(months), cost * per_month)), "EUR")
          for category, cost in MARKETING_COSTS.items()),
        ("sales", "salaries", None, noisy(np.full(len(months), SALES_COSTS["salaries"] * per_month)), "EUR"),
        ("sales", "commissions", None, noisy(COMMISSION_RATE * won_eur.reindex(months).fillna(0)), "EUR"),
        ("sales", "tools", None, noisy(np.full(len(months), SALES_TOOLS_USD * per_month)), "USD"),
    ]
    table = pd.concat([pd.DataFrame({"month": months.astype(str), "cost_center": center,
                                     "category": category, "channel": channel,
                                     "amount": amount, "currency": currency})
                       for center, category, channel, amount, currency in rows], ignore_index=True)
    return table.sort_values(["month", "cost_center", "category"], kind="stable", ignore_index=True)


def enps(sim: Sim) -> pd.DataFrame:
    """Quarterly pulse surveys per team, on the 15th of each quarter's middle month in range."""
    rng = sim.rng("enps")
    parts = []
    for q, quarter in enumerate(pd.period_range(sim.start, sim.end, freq="Q")):
        survey_date = (quarter.start_time + pd.DateOffset(months=1, days=14)).date()
        if not sim.start <= survey_date <= sim.end:
            continue
        for team, (size, promoters, detractors) in TEAMS.items():
            n = rng.binomial(size, 0.75)
            drift = 0.03 * np.sin(q)
            p = np.array([detractors - drift, 1 - promoters - detractors, promoters + drift])
            group = rng.choice(3, size=n, p=p / p.sum())
            low, high = np.array([0, 7, 9]), np.array([7, 9, 11])
            parts.append(pd.DataFrame({
                "survey_id": f"enps-{quarter.year}-q{quarter.quarter}",
                "survey_date": np.datetime64(survey_date), "team": team,
                "score": rng.integers(low[group], high[group]),
                "comment": np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), n)]}))
    columns = ["survey_id", "survey_date", "team", "score", "comment"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    table.insert(0, "response_id", uuids(rng, len(table)).to_numpy(zero_copy_only=False))
    return _with_unscored(sim, table)


def _with_unscored(sim: Sim, table: pd.DataFrame) -> pd.DataFrame:
    """A few copies of answered responses without their score, at the end (own random stream,
    so the scored responses stay as they were)."""
    rng = sim.rng("enps:unscored")
    n = min(UNSCORED_RESPONSES, len(table))
    unscored = table.iloc[np.sort(rng.choice(len(table), n, replace=False))].copy()
    unscored["response_id"] = uuids(rng, n).to_numpy(zero_copy_only=False)
    unscored["score"] = None
    table = pd.concat([table, unscored], ignore_index=True)
    table["score"] = table["score"].astype("Int64")
    return table


def unscored_responses(table: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """The expected rejects of the survey export (`crm.rejects`' form)."""
    return [("surveys", "enps_responses", i, "missing_required_value")
            for i in table.loc[table["score"].isna(), "response_id"]]
