"""An independent oracle for clv_trailing_12m, ltv_to_cac (catalogue section 4) and
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
    acquisition_cost, contracts, won_opportunities,
)

EXPANSION_CAMPAIGN_TYPE = "customer marketing"
WINDOW_DAYS = 90


def customer_economics(truth: Path, fx: Fx, as_of: pd.Timestamp) -> dict[Key, Row]:
    """clv_trailing_12m = trailing-year margin of the starting customers / customers lost;
    ltv_to_cac = that clv / the month's cac (all and channel rows)."""
    contract_frame = contracts(truth, fx)
    monthly = {}  # month -> (lost, gross margin)
    for grain, start, end in _periods(contract_frame, as_of):
        if grain != "month":
            continue
        at_start, at_end = _revenue_on(contract_frame, start), _revenue_on(contract_frame, end)
        lost = len(set(at_start.index) - set(at_end.index))
        monthly[start] = (lost, at_start.sum() / 12 * GROSS_MARGIN)
    cac = {(key[2], key[3], key[4]): row[0] for key, row in
           acquisition_cost(truth, fx, as_of).items() if key[0] == "cac"}
    kpis: dict[Key, Row] = {}
    for month in monthly:
        window = [_add_months(month, -k) for k in range(12)]
        if not all(m in monthly for m in window):
            continue
        lost = float(sum(monthly[m][0] for m in window))
        margin = sum(monthly[m][1] for m in window)
        clv = _ratio(margin, lost)
        kpis[("clv_trailing_12m", "month", month, "all", "all")] = (clv, margin, lost)
        for (cac_month, name, value), month_cac in cac.items():
            if cac_month == month:
                ratio = None if clv is None or month_cac is None else _ratio(clv, month_cac)
                kpis[("ltv_to_cac", "month", month, name, value)] = (ratio, clv, month_cac)
    return kpis


def campaign_success(truth: Path, fx: Fx, window_days: int = WINDOW_DAYS) -> dict[Key, Row]:
    """Customers (accounts) targeted by an expansion campaign, once per campaign from their
    first membership while a customer, that won an upsell/cross-sell within the window."""
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
    won = won[won["type_key"].isin(["upsell", "cross_sell"])]

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
