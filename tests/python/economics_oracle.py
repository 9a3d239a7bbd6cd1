"""An independent oracle for clv_trailing_12m, its lifetime, ltv_to_cac (catalogue section 4) and
cross_sell_upsell_campaign_success (section 5), from the generator's truth folder only.

Rows are keyed like `kpi_values`: (kpi_id, period_grain, period_start, dimension_name,
dimension_value) -> (value, numerator, denominator).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from revenue_oracle import (
    GROSS_MARGIN, Fx, Key, Row, _add_months, _month, _periods, _ratio, _revenue_on,
    acquisition_cost, contracts, lifetime_months, won_opportunities,
)

EXPANSION_CAMPAIGN_TYPE = "customer marketing"
WINDOW_DAYS = 90


def customer_economics(truth: Path, fx: Fx, as_of: pd.Timestamp) -> dict[Key, Row]:
    """clv_trailing_12m = trailing-year margin per customer-month of the starting customers x
    their lifetime (customer-months / customers lost, capped), of the whole portfolio and of
    the customers each channel acquired (the lead channel of the account's first new-customer
    win; 'unknown' without one); its lifetime; ltv_to_cac = that clv / the same month's and
    channel's cac."""
    contract_frame = contracts(truth, fx)
    won = won_opportunities(truth, fx)
    first_wins = won[won["is_new_customer"]].sort_values(["closed_at", "opportunity_id"])
    acquired_by = first_wins.drop_duplicates("account_id").set_index("account_id")["channel"]
    monthly = {}  # month -> {(dimension, value): (starting, lost, gross margin)}
    for grain, start, end in _periods(contract_frame, as_of):
        if grain != "month":
            continue
        at_start, at_end = _revenue_on(contract_frame, start), _revenue_on(contract_frame, end)
        cuts: dict[tuple[str, str], list] = {}
        for account in set(at_start.index) | set(at_end.index):
            channel = acquired_by.get(account)
            channel = "unknown" if channel is None or pd.isna(channel) else channel
            started = account in at_start.index
            for cut in (("all", "all"), ("channel", channel)):
                counts = cuts.setdefault(cut, [0, 0, 0.0])
                counts[0] += int(started)
                counts[1] += int(started and account not in at_end.index)
                counts[2] += at_start.get(account, 0.0) / 12 * GROSS_MARGIN
        monthly[start] = cuts
    cac = {(key[2], key[3], key[4]): row[0] for key, row in
           acquisition_cost(truth, fx, as_of).items() if key[0] == "cac"}
    kpis: dict[Key, Row] = {}
    cuts = {cut for month_cuts in monthly.values() for cut in month_cuts} | {("all", "all")}
    for month in monthly:
        window = [_add_months(month, -k) for k in range(12)]
        if not all(m in monthly for m in window):
            continue
        for name, value in cuts:
            rows = [monthly[m].get((name, value), (0, 0, 0.0)) for m in window]
            customer_months = float(sum(r[0] for r in rows))
            if name != "all" and not customer_months:
                continue
            lost, margin = float(sum(r[1] for r in rows)), sum(r[2] for r in rows)
            lifetime = lifetime_months(customer_months, lost)
            clv = _ratio(margin * lifetime, customer_months)
            key = ("month", month, name, value)
            kpis[("clv_trailing_12m", *key)] = (clv, margin * lifetime, customer_months)
            kpis[("clv_trailing_12m_lifetime_months", *key)] = (lifetime, lifetime, None)
            if (month, name, value) in cac:
                month_cac = cac[(month, name, value)]
                ratio = None if clv is None or month_cac is None else _ratio(clv, month_cac)
                kpis[("ltv_to_cac", *key)] = (ratio, clv, month_cac)
    return kpis


def campaign_success(truth: Path, fx: Fx, window_days: int = WINDOW_DAYS) -> dict[Key, Row]:
    """Customers (accounts) targeted by an expansion campaign, once per campaign from their
    first membership while a customer, that won an expansion (revenue_type) within the window."""
    salesforce = truth / "clean/salesforce"
    campaigns = pd.read_parquet(salesforce / "campaign.parquet")
    campaigns = campaigns[~campaigns["is_deleted"]
                          & (campaigns["type"].str.lower() == EXPANSION_CAMPAIGN_TYPE)]
    names = campaigns.set_index("id")["name"]
    members = pd.read_parquet(salesforce / "campaign_member.parquet")
    members = members[~members["is_deleted"] & members["campaign_id"].isin(names.index)
                      & members["contact_id"].notna()]
    contacts = pd.read_parquet(salesforce / "contact.parquet")
    account_of = contacts[~contacts["is_deleted"]].set_index("id")["account_id"]
    contract_frame = contracts(truth, fx)
    won = won_opportunities(truth, fx)
    won = won[won["revenue_type"] == "expansion"]

    targeted: dict[tuple[str, str], pd.Timestamp] = {}
    for m in members.itertuples():
        account = account_of.get(m.contact_id)
        day = m.created_date.date()
        own = contract_frame[contract_frame["account_id"] == account]
        if account is None or not ((own["start_date"] <= day) & (own["end_date"] >= day)).any():
            continue
        key = (m.campaign_id, account)
        targeted[key] = min(targeted.get(key, m.created_date), m.created_date)

    rows = []
    for (campaign, account), at in targeted.items():
        wins = won.loc[won["account_id"] == account, "closed_at"]
        expanded = ((wins >= at) & (wins <= at + dt.timedelta(days=window_days))).any()
        rows.append({"month": _month(at), "campaign": names[campaign], "expanded": int(expanded)})
    frame = pd.DataFrame(rows)
    kpis: dict[Key, Row] = {}
    for month, in_month in frame.groupby("month"):
        cuts = [("all", "all", in_month)] + [("campaign", name, group) for name, group in
                                             in_month.groupby("campaign")]
        for name, value, group in cuts:
            n, k = float(len(group)), float(group["expanded"].sum())
            kpis[("cross_sell_upsell_campaign_success", "month", month, name, value)] = (
                _ratio(k, n), k, n)
    return kpis


def economics_kpis(truth: Path, as_of: pd.Timestamp) -> dict[Key, Row]:
    fx = Fx(truth)
    return {**customer_economics(truth, fx, as_of), **campaign_success(truth, fx)}
