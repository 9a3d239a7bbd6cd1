"""An independent oracle for the cost, revenue and retention KPIs (catalogue sections 4, 5
and the ABM variants of section 6).

It reads only the generator's truth folder and applies the catalogue's rules in plain
pandas, with the default mappings hard-coded, producing rows keyed like `kpi_values`:
(kpi_id, period_grain, period_start, dimension_name, dimension_value) ->
(value, numerator, denominator).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from funnel_oracle import lifecycle

GROSS_MARGIN = 0.8
MAX_LIFETIME_MONTHS = 60  # var clv_max_lifetime_months
PLATFORM_CHANNEL = {"google_ads": "paid_search", "linkedin_ads": "paid_social",
                    "facebook_ads": "paid_social"}
PAID_CHANNELS = set(PLATFORM_CHANNEL.values())
SIZE_BANDS = [(0, 49, "1-49"), (50, 249, "50-249"), (250, 999, "250-999"),
              (1000, 999_999_999, "1000+")]
SEGMENTS = {"industry": "industry", "company_size": "size_band", "country": "country",
            "abm_target": "abm_target"}

Key = tuple[str, str, dt.date, str, str]
Row = tuple[float | None, float | None, float | None]


def _month(day) -> dt.date:
    return dt.date(day.year, day.month, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _ratio(numerator, denominator):
    return None if numerator is None or not denominator else numerator / denominator


class Fx:
    """amount / rate(currency) * rate(EUR), with the rate period holding the date; NaN when
    no period holds it (a contract signed before the rate table starts has no value)."""

    def __init__(self, truth: Path):
        rates = pd.read_parquet(truth / "clean/salesforce/dated_conversion_rate.parquet")
        self.rates = [(r.iso_code.upper(), pd.Timestamp(r.start_date).date(),
                       pd.Timestamp(r.next_start_date).date(), r.conversion_rate)
                      for r in rates.itertuples()]

    def rate(self, currency: str, day: dt.date) -> float:
        return next((rate for code, start, end, rate in self.rates
                     if code == currency.upper() and start <= day < end), float("nan"))

    def to_eur(self, amount: float, currency: str, day) -> float:
        day = pd.Timestamp(day).date()
        return amount / self.rate(currency, day) * self.rate("EUR", day)


def accounts(truth: Path) -> pd.DataFrame:
    frame = pd.read_parquet(truth / "accounts.parquet").set_index("account_id")
    frame["size_band"] = [next(label for low, high, label in SIZE_BANDS if low <= n <= high)
                          for n in frame["number_of_employees"]]
    frame["abm_target"] = frame["is_abm_target"].map({True: "target", False: "non_target"})
    return frame


def contracts(truth: Path, fx: Fx) -> pd.DataFrame:
    """The contracts that make a customer (catalogue: status 'Activated')."""
    frame = pd.read_parquet(truth / "contracts.parquet")
    frame = frame[frame["status"] == "Activated"].copy()
    frame["value_eur"] = [fx.to_eur(a, c, d) for a, c, d in
                          zip(frame["annual_value"], frame["currency"], frame["start_date"])]
    return frame


def won_opportunities(truth: Path, fx: Fx) -> pd.DataFrame:
    """Won opportunities with the new-customer rule: a New Business win is a new customer
    unless the account already was one (an activated contract started before the won day
    covers it); otherwise it is expansion, like upsells and cross-sells."""
    opportunities = pd.read_parquet(truth / "opportunities.parquet")
    won = opportunities[opportunities["outcome"] == "won"].copy()
    channels = pd.read_parquet(truth / "leads.parquet").set_index("lead_id")["channel"]
    won["channel"] = won["lead_id"].map(channels)
    won["type_key"] = won["type"].str.lower().str.replace(" ", "_").str.replace("-", "_")
    won["amount_eur"] = [fx.to_eur(a, c, d) for a, c, d in
                         zip(won["amount"], won["currency"], won["close_date"])]
    won["month"] = won["closed_at"].map(_month)
    activated = contracts(truth, fx)
    spans = {a: list(zip(g["start_date"], g["end_date"])) for a, g in activated.groupby("account_id")}
    already = [any(start < t.date() <= end for start, end in spans.get(a, ()))
               for a, t in zip(won["account_id"], won["closed_at"])]
    won["is_new_customer"] = (won["type_key"] == "new_business") & ~pd.Series(already, index=won.index)
    won["revenue_type"] = np.where(won["type_key"] == "renewal", "renewal",
                                   np.where(won["is_new_customer"], "new_business", "expansion"))
    return won


def _dimension_rows(frame: pd.DataFrame, dimensions: dict[str, str | None]):
    """(dimension_name, dimension_value, subframe) for 'all' and each dimension."""
    for name, column in dimensions.items():
        if column is None:
            yield name, "all", frame
            continue
        values = frame[column].fillna("unknown")
        for value, group in frame.groupby(values):
            yield name, value, group


def acquisition_cost(truth: Path, fx: Fx, as_of: pd.Timestamp) -> dict[Key, Row]:
    """cost_per_lead, cost_per_opportunity, cac (blended), cac_marketing, cac_paid and
    cac_payback_months by month × all, channel. The finance table is the cost ledger: in a month
    it covers, a channel without cost rows has cost 0, and an 'unknown' channel (no cost
    booked to it) has no known cost. Sales and unallocated marketing cost are shared out to
    the channels by their share of the month's new customers."""
    ads = pd.read_parquet(truth / "ad_spend_daily.parquet")
    ads["month"] = ads["date"].map(_month)
    ads["channel"] = ads["platform"].map(PLATFORM_CHANNEL)
    ads["eur"] = [fx.to_eur(a, c, d) for a, c, d in zip(ads["spend"], ads["currency"], ads["date"])]
    finance = pd.read_parquet(truth / "clean/finance/marketing_sales_costs.parquet")
    finance["month"] = [dt.date(int(m[:4]), int(m[5:7]), 1) for m in finance["month"]]
    finance["eur"] = [fx.to_eur(a, c, d) for a, c, d in
                      zip(finance["amount"], finance["currency"], finance["month"])]
    finance["channel"] = finance["channel"].fillna("unallocated")
    finance_months = set(finance["month"])
    marketing = finance[(finance["cost_center"] == "marketing") & (finance["category"] != "ads")]
    sales = finance[finance["cost_center"] == "sales"]
    costs = pd.concat([ads[["month", "channel", "eur"]].assign(kind="marketing"),
                       marketing[["month", "channel", "eur"]].assign(kind="marketing"),
                       sales[["month", "channel", "eur"]].assign(kind="sales")])
    life = lifecycle(truth)
    life["channel"] = life["channel"].fillna("unknown")
    life["lead_month"] = life["lead_at"].map(_month)
    life["opportunity_month"] = life["opportunity_at"].map(
        lambda t: None if t is None or pd.isna(t) else _month(t))
    won = won_opportunities(truth, fx)
    new = won[won["is_new_customer"]].assign(channel=lambda f: f["channel"].fillna("unknown"))

    months = (set(costs["month"]) | set(life["lead_month"])
              | set(life["opportunity_month"].dropna()) | set(new["month"]))
    kpis: dict[Key, Row] = {}
    for month in sorted(months):
        cost_rows = costs[costs["month"] == month]
        ad_rows = ads[ads["month"] == month]
        leads = life[life["lead_month"] == month]
        opportunities = life[life["opportunity_month"] == month]
        customers = new[new["month"] == month]
        shared = cost_rows.loc[cost_rows["channel"] == "unallocated", "eur"].sum()
        channels = (set(cost_rows["channel"]) | set(leads["channel"])
                    | set(opportunities["channel"]) | set(customers["channel"])) - {"unallocated"}
        cuts = [("all", "all", cost_rows, ad_rows, leads, opportunities, customers, 0.0)]
        for channel in sorted(channels):
            own = customers[customers["channel"] == channel]
            share = len(own) / len(customers) if len(customers) else 0.0
            cuts.append(("channel", channel, cost_rows[cost_rows["channel"] == channel],
                         ad_rows[ad_rows["channel"] == channel],
                         leads[leads["channel"] == channel],
                         opportunities[opportunities["channel"] == channel], own, shared * share))
        for name, value, own_costs, spend_rows, lds, opps, custs, allocated in cuts:
            key = ("month", month, name, value)
            known = month in finance_months and (len(own_costs) > 0 or value != "unknown")
            cost = own_costs.loc[own_costs["kind"] == "marketing", "eur"].sum() if known else None
            acquisition = own_costs["eur"].sum() + allocated if known else None
            margin = custs["amount_eur"].sum() / 12 * GROSS_MARGIN
            spend, paid = spend_rows["eur"].sum(), int(custs["channel"].isin(PAID_CHANNELS).sum())
            n = float(len(custs))
            kpis[("cost_per_lead", *key)] = (_ratio(cost, len(lds)), cost, float(len(lds)))
            kpis[("cost_per_opportunity", *key)] = (_ratio(cost, len(opps)), cost,
                                                    float(len(opps)))
            kpis[("cac", *key)] = (_ratio(acquisition, n), acquisition, n)
            kpis[("cac_marketing", *key)] = (_ratio(cost, n), cost, n)
            kpis[("cac_payback_months", *key)] = (_ratio(acquisition, margin), acquisition,
                                                  margin)
            if len(spend_rows):
                kpis[("cac_paid", *key)] = (_ratio(spend, paid), spend, float(paid))
    return kpis


def _periods(contract_frame: pd.DataFrame, as_of: pd.Timestamp):
    first = contract_frame["start_date"].min()
    month = dt.date(first.year, 1, 1)
    as_of_day = as_of.date()
    while True:
        for grain, months in [("month", 1), ("quarter", 3), ("year", 12)]:
            if (month.month - 1) % months:
                continue
            following = _add_months(month, months)
            if following > as_of_day:
                continue
            if following > first:
                yield grain, month, following - dt.timedelta(days=1)
        month = _add_months(month, 1)
        if month > as_of_day:
            return


def _revenue_on(frame: pd.DataFrame, day: dt.date) -> pd.Series:
    covering = frame[(frame["start_date"] <= day) & (frame["end_date"] >= day)]
    return covering.groupby("account_id")["value_eur"].sum()


def retention(truth: Path, fx: Fx, as_of: pd.Timestamp) -> dict[Key, Row]:
    contract_frame = contracts(truth, fx)
    account_frame = accounts(truth)
    won = won_opportunities(truth, fx)
    expansions = won[won["revenue_type"] == "expansion"]
    expansion_days = [(a, t.date()) for a, t in zip(expansions["account_id"], expansions["closed_at"])]
    dimensions = {"all": None, **SEGMENTS}
    kpis: dict[Key, Row] = {}
    month_end_revenue = {}
    for grain, start, end in _periods(contract_frame, as_of):
        at_start, at_end = _revenue_on(contract_frame, start), _revenue_on(contract_frame, end)
        if grain == "month":
            month_end_revenue[start] = at_end
        members = sorted(set(at_start.index) | set(at_end.index))
        if not members:
            continue
        expanded = {a for a, day in expansion_days if start <= day <= end}
        frame = account_frame.reindex(members).assign(
            s=[int(a in at_start.index) for a in members],
            kept=[int(a in at_start.index and a in at_end.index) for a in members],
            lost=[int(a in at_start.index and a not in at_end.index) for a in members],
            grew=[int(a in at_start.index and a in expanded) for a in members])
        for name, value, group in _dimension_rows(frame, dimensions):
            s = float(group["s"].sum())
            key = (grain, start, name, value)
            for kpi_id, column in [("customer_retention_rate", "kept"),
                                   ("customer_churn_rate", "lost"), ("expansion_rate", "grew")]:
                n = float(group[column].sum())
                kpis[(kpi_id, *key)] = (_ratio(n, s), n, s)
    for month, now in month_end_revenue.items():
        then = month_end_revenue.get(_add_months(month, -12))
        if then is None or (then <= 0).all() or then.empty:
            continue
        then = then[then > 0]
        frame = account_frame.reindex(then.index).assign(
            then=then.to_numpy(), now=now.reindex(then.index).fillna(0).to_numpy())
        frame["capped"] = frame[["then", "now"]].min(axis=1)
        for name, value, group in _dimension_rows(frame, dimensions):
            key = ("month", month, name, value)
            base = group["then"].sum()
            kpis[("net_revenue_retention", *key)] = (_ratio(group["now"].sum(), base),
                                                     group["now"].sum(), base)
            kpis[("gross_revenue_retention", *key)] = (_ratio(group["capped"].sum(), base),
                                                       group["capped"].sum(), base)
    return kpis


def lifetime_months(customer_months: float, lost: float) -> float:
    """Expected lifetime = 1 / monthly churn = customer-months / lost, capped (also when
    nobody was lost)."""
    return MAX_LIFETIME_MONTHS if not lost else min(customer_months / lost, MAX_LIFETIME_MONTHS)


def customer_value(truth: Path, fx: Fx, as_of: pd.Timestamp) -> dict[Key, Row]:
    account_frame = accounts(truth)
    won = won_opportunities(truth, fx).join(account_frame[list(SEGMENTS.values())],
                                             on="account_id")
    kpis: dict[Key, Row] = {}
    dimensions = {"type": "revenue_type", "channel": "channel", "all": None, **SEGMENTS}
    for month, in_month in won.groupby("month"):
        for name, value, group in _dimension_rows(in_month, dimensions):
            total = group["amount_eur"].sum()
            kpis[("revenue", "month", month, name, value)] = (total, total, None)
        total = in_month["amount_eur"].sum()
        kpis[("revenue", "month", month, "type", "all")] = (total, total, None)

    contract_frame = contracts(truth, fx)
    last_day = as_of.date() - dt.timedelta(days=1)
    first_won = won[won["is_new_customer"]].groupby("account_id")["closed_at"].min()
    rows = []
    for account, won_at in first_won.items():
        won_day = won_at.date()
        own = contract_frame[contract_frame["account_id"] == account]
        revenue, customer_days = 0.0, set()
        for c in own.itertuples():
            first, last = max(c.start_date, won_day), min(c.end_date, last_day)
            if last >= first:
                customer_days |= {first + dt.timedelta(days=k) for k in range((last - first).days + 1)}
                if not pd.isna(c.value_eur):
                    revenue += c.value_eur / 365 * ((last - first).days + 1)
        churn_days = sorted({end + dt.timedelta(days=1) for end in own["end_date"]})
        churned = any(
            won_day < day <= as_of.date()
            and not ((own["start_date"] <= day) & (own["end_date"] >= day)).any()
            for day in churn_days)
        rows.append({"account_id": account, "month": _month(won_at),
                     "margin": revenue * GROSS_MARGIN, "churned": int(churned),
                     "customer_months": len(customer_days) * 12 / 365})
    cohorts = pd.DataFrame(rows).join(account_frame[list(SEGMENTS.values())], on="account_id")
    for month, cohort in cohorts.groupby("month"):
        for name, value, group in _dimension_rows(cohort, {"all": None, **SEGMENTS}):
            key = ("cohort_month", month, name, value)
            margin, n, churned = group["margin"].sum(), float(len(group)), float(group["churned"].sum())
            months = group["customer_months"].sum()
            lifetime = lifetime_months(months, churned)
            kpis[("clv_historical", *key)] = (_ratio(margin, n), margin, n)
            kpis[("clv", *key)] = (_ratio(margin * lifetime, months), margin * lifetime, months)
            kpis[("clv_lifetime_months", *key)] = (lifetime, lifetime, None)
    return kpis


def revenue_kpis(truth: Path, as_of: pd.Timestamp) -> dict[Key, Row]:
    """Every section-4/5 KPI built here, and the ABM variants, recomputed from the truth."""
    fx = Fx(truth)
    kpis = {**acquisition_cost(truth, fx, as_of), **retention(truth, fx, as_of),
            **customer_value(truth, fx, as_of)}
    abm = {"customer_retention_rate": "abm_retention", "expansion_rate": "abm_expansion",
           "clv": "abm_clv"}
    for key, row in list(kpis.items()):
        if key[0] in abm and key[3] in ("all", "abm_target"):
            kpis[(abm[key[0]], *key[1:])] = row
    return {(k, g, p, n, v): row for (k, g, p, n, v), row in kpis.items()}
