"""An independent oracle for the touchpoints and the six attribution models of
`fct_attribution` (catalogue section 4, "Attribution"), from the generator's truth folder
only: truth sessions, leads and opportunities, and the clean Segment, Marketo and Salesforce
tables.

Credits are keyed (opportunity_id, attribution_model, touchpoint_id or None) -> credited
amount in EUR.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from identity_oracle import people as people_by_email, visitor_emails
from revenue_oracle import PLATFORM_CHANNEL, Fx, Key, Row, _month, _ratio, won_opportunities

LOOKBACK_DAYS = 90
HALF_LIFE_DAYS = 7
U_FIRST, U_MIDDLE, U_LEAD = 0.4, 0.2, 0.4
W_FIRST, W_LEAD, W_OPPORTUNITY, W_REST = 0.3, 0.3, 0.3, 0.1
MODELS = ("first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay")
REPORTING_MODEL = "linear"  # the model of the 'all' rows (var attribution_reporting_model)


def _clean(truth: Path, source: str, table: str) -> pd.DataFrame:
    return pd.read_parquet(truth / "clean" / source / f"{table}.parquet")


def touchpoints(truth: Path) -> pd.DataFrame:
    """Every touch of a known person: touchpoint_id, touch_type, touched_at, channel,
    campaign, platform, lead_id, contact_id, account_id."""
    people = people_by_email(truth)
    columns = ["lead_id", "contact_id", "account_id"]

    sessions = pd.read_parquet(truth / "sessions.parquet").sort_values(
        ["anonymous_id", "session_start"])
    sessions["number"] = sessions.groupby("anonymous_id").cumcount() + 1
    sessions["email"] = sessions["anonymous_id"].map(visitor_emails(truth))
    sessions = sessions[sessions["email"].isin(people.index)]
    # The session's campaign is its landing page's UTM campaign (the first page by time, id).
    pages = _clean(truth, "segment", "pages")
    pages["at"] = (pd.to_datetime(pages["timestamp"], utc=True, format="ISO8601")
                   .dt.tz_localize(None).astype("datetime64[us]"))
    landing = (pages.sort_values(["anonymous_id", "at", "id"])
               .drop_duplicates(["anonymous_id", "at"]).set_index(["anonymous_id", "at"])
               ["context_campaign_name"])
    sessions["utm_campaign"] = landing.reindex(
        pd.MultiIndex.from_arrays([sessions["anonymous_id"],
                                   sessions["session_start"].astype("datetime64[us]")])
    ).to_numpy()
    ads = pd.read_parquet(truth / "ad_spend_daily.parquet")
    platforms = ads.groupby("campaign_name")["platform"].min()
    web = pd.DataFrame({
        "touchpoint_id": "web_session-" + sessions["anonymous_id"] + "-"
                         + sessions["number"].astype(str),
        "touched_at": sessions["session_start"], "channel": sessions["channel"],
        "campaign": sessions["utm_campaign"],
        "platform": sessions["utm_campaign"].map(platforms)})
    web[columns] = people.loc[sessions["email"], columns].to_numpy()

    marketo_leads = _clean(truth, "marketo", "lead")
    sf_leads = _clean(truth, "salesforce", "lead").set_index("id")
    contact_accounts = _clean(truth, "salesforce", "contact").set_index("id")["account_id"]
    marketo_leads = marketo_leads[marketo_leads["sfdc_lead_id"].notna()
                                  | marketo_leads["sfdc_contact_id"].notna()]
    lead_id = marketo_leads["sfdc_lead_id"]
    known = lead_id.isin(sf_leads.index)
    contact_id = lead_id.map(sf_leads["converted_contact_id"]).where(known)
    contact_id = contact_id.fillna(marketo_leads["sfdc_contact_id"])
    account_id = lead_id.map(sf_leads["converted_account_id"]).where(known)
    account_id = account_id.fillna(contact_id.map(contact_accounts))
    marketo_people = pd.DataFrame({"lead_id": lead_id.to_numpy(),
                                   "contact_id": contact_id.to_numpy(),
                                   "account_id": account_id.to_numpy()},
                                  index=marketo_leads["id"].to_numpy())
    programs = _clean(truth, "marketo", "program").set_index("id")["name"]
    campaign_programs = _clean(truth, "marketo", "campaign").set_index("id")["program_id"]
    frames = [web]
    for touch_type, table, channel in [("form_fill", "activity_fill_out_form", "website"),
                                       ("email_click", "activity_click_email", "email")]:
        activities = _clean(truth, "marketo", table)
        activities = activities[activities["lead_id"].isin(marketo_people.index)]
        frame = pd.DataFrame({
            "touchpoint_id": f"{touch_type}-" + activities["id"].astype(str),
            "touched_at": activities["activity_date"], "channel": channel,
            "campaign": activities["campaign_id"].map(campaign_programs).map(programs),
            "platform": None})
        frame[columns] = marketo_people.loc[activities["lead_id"], columns].to_numpy()
        frames.append(frame)

    members = _clean(truth, "salesforce", "campaign_member")
    members = members[members["has_responded"] & members["first_responded_date"].notna()]
    campaigns = _clean(truth, "salesforce", "campaign").set_index("id")
    kind = members["campaign_id"].map(campaigns["type"])
    channel = kind.str.lower().str.replace(" ", "_")
    channel = channel.where(~kind.isin(["Webinar", "Trade Show"]), "events").fillna("unknown")
    lead_by_contact = sf_leads.reset_index().dropna(subset=["converted_contact_id"]).set_index(
        "converted_contact_id")["id"]
    contact_id = members["contact_id"].fillna(
        members["lead_id"].map(sf_leads["converted_contact_id"]))
    account_id = members["lead_id"].map(sf_leads["converted_account_id"]).fillna(
        contact_id.map(contact_accounts))
    frames.append(pd.DataFrame({
        "touchpoint_id": "campaign_response-" + members["id"],
        "touched_at": pd.to_datetime(members["first_responded_date"].astype(str)),
        "channel": channel, "campaign": members["campaign_id"].map(campaigns["name"]),
        "platform": None,
        "lead_id": members["lead_id"].fillna(members["contact_id"].map(lead_by_contact)),
        "contact_id": contact_id, "account_id": account_id}))
    touches = pd.concat(frames, ignore_index=True)
    touches["touched_at"] = pd.to_datetime(touches["touched_at"]).astype("datetime64[us]")
    touches["touch_type"] = touches["touchpoint_id"].str.split("-").str[0]
    return touches


def _shares(journey: pd.DataFrame, lead_created_at) -> dict[str, np.ndarray]:
    """Each model's share of every touch of one opportunity's journey."""
    at = journey["touched_at"]
    first = (at == at.min()).to_numpy()
    last = (at == at.max()).to_numpy()
    before_lead = at[at <= lead_created_at] if lead_created_at is not None else at[:0]
    lead = ((at == before_lead.max()).to_numpy() if len(before_lead)
            else np.zeros(len(at), dtype=bool))
    middle = ~first & ~lead
    rest = middle & ~last

    def spread(weight: float, mask: np.ndarray) -> np.ndarray:
        return weight * mask / mask.sum() if mask.any() else np.zeros(len(mask))

    u_shaped = spread(U_FIRST, first) + spread(U_LEAD, lead) + spread(U_MIDDLE, middle)
    if len(at) == 2:  # catalogue: "two touches under U-shaped get 50/50", whatever they hold
        u_shaped = np.full(2, 0.5)
    w_shaped = (spread(W_FIRST, first) + spread(W_LEAD, lead) + spread(W_OPPORTUNITY, last)
                + spread(W_REST, rest))
    decay = 2.0 ** (-journey["days_before"].to_numpy() / HALF_LIFE_DAYS)
    return {"first_touch": spread(1.0, first), "last_touch": spread(1.0, last),
            "linear": np.full(len(at), 1.0 / len(at)),
            "u_shaped": u_shaped / u_shaped.sum(), "w_shaped": w_shaped / w_shaped.sum(),
            "time_decay": decay / decay.sum()}


def credit_rows(truth: Path, fx: Fx) -> pd.DataFrame:
    """One row per won opportunity x model x counted touch (touchpoint_id None when
    unattributed): channel, campaign, platform, won month, touch month (None when
    unattributed) and credited EUR."""
    won = won_opportunities(truth, fx)
    lead_created = pd.read_parquet(truth / "leads.parquet").set_index("lead_id")["created_at"]
    touches = touchpoints(truth)
    rows = []
    for opp in won.itertuples():
        created = pd.Timestamp(opp.created_at)
        mine = touches[(touches["account_id"] == opp.account_id)
                       | (touches["lead_id"] == opp.lead_id)]
        mine = mine[(mine["touched_at"] <= created)
                    & (mine["touched_at"] >= created - pd.Timedelta(days=LOOKBACK_DAYS))].copy()
        if mine.empty:
            rows += [(opp.opportunity_id, model, None, "unattributed", None, None, opp.month,
                      None, opp.amount_eur) for model in MODELS]
            continue
        mine["days_before"] = (created - mine["touched_at"]).dt.total_seconds() / 86400
        lead_at = None if pd.isna(opp.lead_id) else lead_created.get(opp.lead_id)
        for model, shares in _shares(mine, lead_at).items():
            rows += [(opp.opportunity_id, model, t.touchpoint_id, t.channel, t.campaign,
                      t.platform, opp.month, _month(t.touched_at), share * opp.amount_eur)
                     for t, share in zip(mine.itertuples(), shares)]
    return pd.DataFrame(rows, columns=["opportunity_id", "model", "touchpoint_id", "channel",
                                       "campaign", "platform", "month", "touch_month",
                                       "amount"])


def credits(truth: Path) -> dict[tuple[str, str, str | None], float]:
    """(opportunity_id, model, touchpoint_id or None when unattributed) -> credited EUR."""
    frame = credit_rows(truth, Fx(truth))
    return {(r.opportunity_id, r.model, None if pd.isna(r.touchpoint_id) else r.touchpoint_id):
            r.amount
            for r in frame.itertuples(index=False)}


def attribution_kpis(truth: Path) -> dict[Key, Row]:
    """marketing_roi, roas and unattributed_revenue_share rows keyed like kpi_values, by the
    won month ('month') and by the credited touch's month ('touch_month'): attributed revenue
    is revenue credited to a touch (catalogue section 4; see the `kpi_attribution` docs)."""
    fx = Fx(truth)
    credited = credit_rows(truth, fx)
    ads = pd.read_parquet(truth / "ad_spend_daily.parquet")
    ads["month"] = ads["date"].map(_month)
    ads["eur"] = [fx.to_eur(a, c, d) for a, c, d in zip(ads["spend"], ads["currency"], ads["date"])]
    ads["channel"] = ads["platform"].map(PLATFORM_CHANNEL)
    finance = pd.read_parquet(truth / "clean/finance/marketing_sales_costs.parquet")
    finance = finance[(finance["cost_center"] == "marketing") & (finance["category"] != "ads")]
    finance = finance.assign(month=[dt.date(int(m[:4]), int(m[5:7]), 1) for m in finance["month"]])
    finance["eur"] = [fx.to_eur(a, c, d) for a, c, d in
                      zip(finance["amount"], finance["currency"], finance["month"])]
    costs = pd.concat([ads[["month", "channel", "eur"]], finance[["month", "channel", "eur"]]])

    totals: dict[tuple[str, str, dt.date, str, str], list[float]] = {}

    def add(kpi_id, grain, month, name, value, revenue=0.0, cost=0.0):
        total = totals.setdefault((kpi_id, grain, month, name, value), [0.0, 0.0])
        total[0] += revenue
        total[1] += cost

    for grain in ("month", "touch_month"):
        for r in costs.itertuples():
            for model in MODELS:
                if model == REPORTING_MODEL:
                    add("marketing_roi", grain, r.month, "all", "all", cost=r.eur)
                add("marketing_roi", grain, r.month, "model", model, cost=r.eur)
                if isinstance(r.channel, str):
                    add("marketing_roi", grain, r.month, "model_channel",
                        f"{model}|{r.channel}", cost=r.eur)
        for r in ads.itertuples():
            campaign = r.campaign_name if isinstance(r.campaign_name, str) else "unknown"
            for model in MODELS:
                if model == REPORTING_MODEL:
                    add("roas", grain, r.month, "all", "all", cost=r.eur)
                add("roas", grain, r.month, "model", model, cost=r.eur)
                add("roas", grain, r.month, "model_platform", f"{model}|{r.platform}", cost=r.eur)
                add("roas", grain, r.month, "model_platform_campaign",
                    f"{model}|{r.platform}|{campaign}", cost=r.eur)
                add("marketing_roi", grain, r.month, "model_channel_campaign",
                    f"{model}|{r.channel}|{campaign}", cost=r.eur)
        for r in credited.itertuples():
            attributed = isinstance(r.touchpoint_id, str)
            month = r.month if grain == "month" else r.touch_month
            if grain == "month" and r.model == REPORTING_MODEL:
                add("unattributed_revenue_share", grain, month, "all", "all",
                    revenue=0.0 if attributed else r.amount, cost=r.amount)
            if not attributed:
                # no touch, so no touch month; by won month the channel 'unattributed' only
                if grain == "month":
                    add("marketing_roi", grain, month, "model_channel",
                        f"{r.model}|unattributed", revenue=r.amount)
                continue
            if r.model == REPORTING_MODEL:
                add("marketing_roi", grain, month, "all", "all", revenue=r.amount)
            add("marketing_roi", grain, month, "model", r.model, revenue=r.amount)
            add("marketing_roi", grain, month, "model_channel", f"{r.model}|{r.channel}",
                revenue=r.amount)
            if isinstance(r.campaign, str):
                add("marketing_roi", grain, month, "model_channel_campaign",
                    f"{r.model}|{r.channel}|{r.campaign}", revenue=r.amount)
            if isinstance(r.platform, str):
                if r.model == REPORTING_MODEL:
                    add("roas", grain, month, "all", "all", revenue=r.amount)
                add("roas", grain, month, "model", r.model, revenue=r.amount)
                add("roas", grain, month, "model_platform", f"{r.model}|{r.platform}",
                    revenue=r.amount)
                add("roas", grain, month, "model_platform_campaign",
                    f"{r.model}|{r.platform}|{r.campaign}", revenue=r.amount)
    kpis: dict[Key, Row] = {}
    for (kpi_id, grain, month, name, value), (amount, base) in totals.items():
        # marketing_roi: (revenue - cost) / cost; roas: revenue / spend; the share: the
        # unattributed revenue / the won revenue (kept in the two slots of `add`)
        numerator = amount - base if kpi_id == "marketing_roi" else amount
        kpis[(kpi_id, grain, month, name, value)] = (_ratio(numerator, base), numerator, base)
    return kpis
