"""Ad platforms: the campaign catalogue (shared with the CRM and the web tracking, whose UTM
campaign names are the campaigns' current names) and the daily stats, which follow the paid
sessions actually simulated on the site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkpi.generator.core import DAY, HOUR, MINUTE, Fx, Sim, to_date

GOOGLE_CUSTOMER_ID = 4_815_162_342
LINKEDIN_ACCOUNT_ID = 508_771_204
FACEBOOK_ACCOUNT_ID = "act_1029384756"
PLATFORM_CURRENCY = {"google_ads": "USD", "linkedin_ads": "EUR", "facebook_ads": "GBP"}

# platform, current name (the UTM campaign), earlier names, active window as fractions of the
# range, traffic weight, cost per click (account currency), click-through rate, search campaign
_CATALOGUE = (
    ("google_ads", "gads_brand_search", ("Brand Search", "Brand - Search - EU"), (0, 1), 3.0, 2.4, 0.085, True),
    ("google_ads", "gads_generic_kpi_dashboards", ("Generic KPI",), (0, 1), 3.0, 6.8, 0.041, True),
    ("google_ads", "gads_competitor_terms", (), (0.15, 0.7), 1.5, 9.5, 0.028, True),
    ("google_ads", "gads_display_remarketing", ("Display RMK",), (0.3, 1), 1.0, 1.1, 0.006, False),
    ("google_ads", "gads_revops_analytics", (), (0.55, 1), 2.0, 7.4, 0.036, True),
    ("linkedin_ads", "li_abm_decision_makers", ("ABM - DM",), (0, 1), 2.0, 8.5, 0.0065, False),
    ("linkedin_ads", "li_ebook_kpi_guide", (), (0.1, 0.5), 1.5, 6.9, 0.0072, False),
    ("linkedin_ads", "li_webinar_promotion", ("Webinar promo",), (0.4, 0.9), 1.0, 7.6, 0.0055, False),
    ("linkedin_ads", "li_demo_request_emea", (), (0.6, 1), 1.5, 11.2, 0.0048, False),
    ("facebook_ads", "fb_retargeting_website", ("Retargeting",), (0, 1), 2.0, 1.6, 0.012, False),
    ("facebook_ads", "fb_lookalike_customers", (), (0.2, 0.8), 1.0, 2.3, 0.009, False),
    ("facebook_ads", "fb_ebook_kpi_guide", ("Ebook promo", "Ebook promo v2"), (0.5, 1), 1.0, 1.9, 0.010, False),
)


@dataclass(frozen=True)
class AdCampaign:
    index: int
    platform: str
    id: int | str
    name: str
    old_names: tuple[str, ...]
    start: int  # active window, µs
    end: int
    weight: float
    cpc: float
    ctr: float
    search: bool


def catalogue(sim: Sim) -> list[AdCampaign]:
    span = sim.t_end - sim.t_start
    campaigns = []
    for i, (platform, name, old, (lo, hi), weight, cpc, ctr, search) in enumerate(_CATALOGUE):
        ad_id = {"google_ads": 20_481_000_000 + 7_919 * i, "linkedin_ads": 612_340_000 + 17 * i,
                 "facebook_ads": str(23_851_004_000_000_000 + 99_991 * i)}[platform]
        start = sim.t_start + int(lo * span) // DAY * DAY
        end = sim.t_start + int(hi * span) // DAY * DAY + DAY - 1 if hi < 1 else sim.t_end
        campaigns.append(AdCampaign(i, platform, ad_id, name, old, start, end, weight, cpc, ctr, search))
    return campaigns


def pick_active(campaigns: list[AdCampaign], platforms: np.ndarray, times: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """For each (platform, time) a campaign of that platform running then, by traffic weight
    (-1 when none runs)."""
    u = rng.random(len(times))
    chosen = np.full(len(times), -1)
    for platform in np.unique(platforms):
        rows = np.flatnonzero(platforms == platform)
        own = [c for c in campaigns if c.platform == platform]
        active = np.array([(times[rows] >= c.start) & (times[rows] <= c.end) for c in own]).T
        weights = active * np.array([c.weight for c in own])
        total = weights.sum(axis=1)
        cumulative = np.cumsum(weights, axis=1) / np.maximum(total, 1e-12)[:, None]
        pick = np.minimum((cumulative < u[rows, None]).sum(axis=1), len(own) - 1)
        chosen[rows] = np.where(total > 0, np.array([c.index for c in own])[pick], -1)
    return chosen


# ---- daily stats ----------------------------------------------------------------------------
def stats(sim: Sim, fx: Fx, campaigns: list[AdCampaign], sessions: pd.DataFrame,
          leads: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Platform tables from paid sessions (clicks ≥ landings) and lead-creating form fills.

    `sessions`: ad campaign index and UTC day of each paid landing; `leads`: the same for the
    sessions that created a lead. Returns the raw tables and the clean daily spend (truth).
    Days are UTC days.
    """
    rng = sim.rng("ads")
    days = np.arange(sim.t_start // DAY, sim.t_end // DAY + 1)
    grid = pd.MultiIndex.from_product([[c.index for c in campaigns], days], names=["campaign", "day"])
    landings = sessions.groupby(["campaign", "day"]).size().reindex(grid, fill_value=0)
    conversions = leads.groupby(["campaign", "day"]).size().reindex(grid, fill_value=0)
    daily = pd.DataFrame({"landings": landings, "conversions": conversions}).reset_index()
    start = np.array([x.start // DAY * DAY for x in campaigns])[daily["campaign"]]
    end = np.array([x.end for x in campaigns])[daily["campaign"]]
    day_us = daily["day"].to_numpy() * DAY
    daily = daily[(day_us >= start) & (day_us <= end)].reset_index(drop=True)
    c = {field: np.array([getattr(x, field) for x in campaigns])[daily["campaign"]]
         for field in ("cpc", "ctr", "platform")}
    n = len(daily)
    clicks = np.round(daily["landings"] * rng.uniform(1.05, 1.35, n)).astype(int) + rng.poisson(0.6, n)
    impressions = np.round(clicks / (c["ctr"] * rng.lognormal(0, 0.15, n))).astype(int) + rng.poisson(3, n)
    spend = np.round(clicks * c["cpc"] * rng.lognormal(0, 0.12, n), 2)
    daily = daily.assign(platform=c["platform"], clicks=clicks, impressions=impressions, spend=spend,
                         date=to_date(daily["day"].to_numpy() * DAY))
    tables = {
        **_google(rng, sim, campaigns, daily[daily["platform"] == "google_ads"]),
        **_linkedin(rng, sim, fx, campaigns, daily[daily["platform"] == "linkedin_ads"]),
        **_facebook(rng, sim, campaigns, daily[daily["platform"] == "facebook_ads"]),
    }
    return tables, _spend_truth(tables, campaigns)


def _spend_truth(tables: dict[str, pd.DataFrame], campaigns: list[AdCampaign]) -> pd.DataFrame:
    """Daily spend per platform and campaign, summed from the platform rows as written."""
    google = tables["google_ads/campaign_stats"]
    linkedin = tables["linkedin_ads/ad_analytics_by_campaign"]
    facebook = tables["facebook_ads/basic_ad"].merge(
        tables["facebook_ads/ad_history"][["id", "campaign_id"]], left_on="ad_id", right_on="id")
    parts = [
        google.assign(platform="google_ads", campaign_id=google["id"].astype(str),
                      spend=google["cost_micros"] / 1e6),
        linkedin.rename(columns={"day": "date", "cost_in_local_currency": "spend"}).assign(
            platform="linkedin_ads", campaign_id=linkedin["campaign_id"].astype(str)),
        facebook.rename(columns={"inline_link_clicks": "clicks"}).assign(platform="facebook_ads"),
    ]
    columns = ["date", "platform", "campaign_id", "impressions", "clicks", "spend"]
    daily = pd.concat([part[columns] for part in parts], ignore_index=True).groupby(
        ["date", "platform", "campaign_id"], as_index=False).sum()
    daily["spend"] = daily["spend"].round(2)
    daily.insert(3, "campaign_name", daily["campaign_id"].map({str(c.id): c.name for c in campaigns}))
    daily["currency"] = daily["platform"].map(PLATFORM_CURRENCY)
    return daily


def _split(rng, totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split integer totals over columns with the given shares (rows sum to the totals)."""
    return rng.multinomial(totals, shares).reshape(len(totals), len(shares))


def _history_versions(campaign: AdCampaign, sim: Sim) -> list[tuple[int, str]]:
    """(updated time, name) versions of a campaign: its earlier names, then the current one."""
    names = (*campaign.old_names, campaign.name)
    created = campaign.start - 10 * DAY + 9 * HOUR
    return [(created + i * 3 * DAY + 37 * i * MINUTE, name) for i, name in enumerate(names)]


def _google(rng, sim, campaigns, daily) -> dict[str, pd.DataFrame]:
    networks = {True: (("SEARCH", 0.86), ("SEARCH_PARTNERS", 0.14)), False: (("CONTENT", 1.0),)}
    devices = (("DESKTOP", 0.71), ("MOBILE", 0.26), ("TABLET", 0.03))
    rows = []
    search = np.array([c.search for c in campaigns])[daily["campaign"]]
    for is_search in (True, False):
        part = daily[search == is_search]
        if part.empty:
            continue
        combos = [(net, dev, ns * ds) for net, ns in networks[is_search] for dev, ds in devices]
        shares = np.array([s for *_, s in combos])
        clicks = _split(rng, part["clicks"].to_numpy(), shares)
        impressions = np.maximum(_split(rng, part["impressions"].to_numpy(), shares), clicks)
        weight = clicks / np.maximum(part["clicks"].to_numpy()[:, None], 1)
        cost = np.round(part["spend"].to_numpy()[:, None] * weight * 100) * 10_000  # micros in cents
        conv = part["conversions"].to_numpy()[:, None] * weight * rng.uniform(0.9, 1.2, weight.shape)
        for j, (net, dev, _) in enumerate(combos):
            rows.append(pd.DataFrame({
                "customer_id": GOOGLE_CUSTOMER_ID, "date": part["date"].to_numpy(),
                "id": np.array([c.id for c in campaigns], dtype=object)[part["campaign"]],
                "ad_network_type": net, "device": dev, "impressions": impressions[:, j],
                "clicks": clicks[:, j], "cost_micros": cost[:, j].astype(np.int64),
                "conversions": np.round(conv[:, j], 2),
                "conversions_value": np.round(conv[:, j] * 50, 2),
                "_modified": part["day"].to_numpy() * DAY + DAY + 4 * HOUR,
            }))
    stats = pd.concat(rows, ignore_index=True)
    stats = stats[stats["impressions"] > 0].sort_values(
        ["date", "id", "ad_network_type", "device"], ignore_index=True)
    history = []
    for c in campaigns:
        if c.platform != "google_ads":
            continue
        for t, name in _history_versions(c, sim):
            history.append((c.id, t, name, "ENABLED"))
        if c.end < sim.t_end:
            history.append((c.id, c.end + 2 * HOUR, c.name, "PAUSED"))
    campaign_history = pd.DataFrame(history, columns=["id", "updated_at", "name", "status"]).assign(
        customer_id=GOOGLE_CUSTOMER_ID)
    campaign_history["_modified"] = campaign_history["updated_at"]
    account = pd.DataFrame({
        "id": GOOGLE_CUSTOMER_ID, "updated_at": [sim.t_start - 400 * DAY, sim.t_start - 30 * DAY],
        "descriptive_name": ["Company Ads", "Company Ads Global"],
        "currency_code": "USD", "time_zone": "Europe/Berlin"})
    account["_modified"] = account["updated_at"]
    return {"google_ads/campaign_stats": stats, "google_ads/campaign_history": campaign_history,
            "google_ads/account_history": account}


def _linkedin(rng, sim, fx, campaigns, daily) -> dict[str, pd.DataFrame]:
    day_us = daily["day"].to_numpy() * DAY
    usd = np.round(daily["spend"].to_numpy() * fx.rate("USD", day_us) * rng.normal(1, 0.002, len(daily)), 2)
    stats = pd.DataFrame({
        "campaign_id": np.array([c.id for c in campaigns], dtype=object)[daily["campaign"]],
        "day": daily["date"].to_numpy(), "impressions": daily["impressions"].to_numpy(),
        "clicks": daily["clicks"].to_numpy(), "cost_in_local_currency": daily["spend"].to_numpy(),
        "cost_in_usd": usd, "external_website_conversions": daily["conversions"].to_numpy(),
        "one_click_leads": rng.poisson(0.15, len(daily)), "_modified": day_us + DAY + 5 * HOUR,
    }).sort_values(["day", "campaign_id"], ignore_index=True)
    history = []
    for c in campaigns:
        if c.platform == "linkedin_ads":
            created = _history_versions(c, sim)[0][0]
            for version, (t, name) in enumerate(_history_versions(c, sim), start=1):
                history.append((c.id, t, LINKEDIN_ACCOUNT_ID, 600_100_000 + c.index % 2, created,
                                name, str(version)))
    campaign_history = pd.DataFrame(history, columns=[
        "id", "last_modified_time", "account_id", "campaign_group_id", "created_time", "name",
        "version_tag"])
    campaign_history["_modified"] = campaign_history["last_modified_time"]
    created = sim.t_start - 500 * DAY
    account = pd.DataFrame({
        "id": LINKEDIN_ACCOUNT_ID, "last_modified_time": [created, sim.t_start - 60 * DAY],
        "created_time": created, "name": ["Company LinkedIn", "Company LinkedIn Ads"],
        "currency": "EUR", "version_tag": ["1", "2"]})
    account["_modified"] = account["last_modified_time"]
    return {"linkedin_ads/ad_analytics_by_campaign": stats,
            "linkedin_ads/campaign_history": campaign_history,
            "linkedin_ads/account_history": account}


def _facebook(rng, sim, campaigns, daily) -> dict[str, pd.DataFrame]:
    ads, history = [], []
    for c in campaigns:
        if c.platform != "facebook_ads":
            continue
        versions = _history_versions(c, sim)
        history += [(c.id, t, name) for t, name in versions]
        ad_set = str(int(c.id) + 500)
        for k, label in enumerate(("static", "carousel", "video")[: 2 + c.index % 2]):
            ads.append((str(int(c.id) + 1000 + k), versions[0][0] + HOUR, ad_set, c.id,
                        f"{c.name}_{label}", c.index, k))
    ad_history = pd.DataFrame(ads, columns=["id", "updated_time", "ad_set_id", "campaign_id", "name",
                                            "_campaign", "_k"]).assign(account_id=FACEBOOK_ACCOUNT_ID)
    rows = []
    for campaign_index, part in daily.groupby("campaign", sort=True):
        own = ad_history[ad_history["_campaign"] == campaign_index]
        shares = np.array([0.5, 0.3, 0.2][: len(own)])
        shares = shares / shares.sum()
        clicks = _split(rng, part["clicks"].to_numpy(), shares)
        impressions = np.maximum(_split(rng, part["impressions"].to_numpy(), shares), clicks)
        weight = clicks / np.maximum(part["clicks"].to_numpy()[:, None], 1)
        for j, ad_id in enumerate(own["id"]):
            rows.append(pd.DataFrame({
                "ad_id": ad_id, "date": part["date"].to_numpy(), "account_id": FACEBOOK_ACCOUNT_ID,
                "impressions": impressions[:, j], "inline_link_clicks": clicks[:, j],
                "spend": np.round(part["spend"].to_numpy() * weight[:, j], 2),
                "reach": np.round(impressions[:, j] * rng.uniform(0.6, 0.9, len(part))).astype(int),
                "_modified": part["day"].to_numpy() * DAY + DAY + 6 * HOUR,
            }))
    basic_ad = pd.concat(rows, ignore_index=True)
    basic_ad = basic_ad[basic_ad["impressions"] > 0].sort_values(["date", "ad_id"], ignore_index=True)
    ad_history = ad_history.drop(columns=["_campaign", "_k"])
    ad_history["_modified"] = ad_history["updated_time"]
    campaign_history = pd.DataFrame(history, columns=["id", "updated_time", "name"]).assign(
        account_id=FACEBOOK_ACCOUNT_ID)
    campaign_history["_modified"] = campaign_history["updated_time"]
    account = pd.DataFrame({"id": [FACEBOOK_ACCOUNT_ID], "name": ["Company Ads UK"], "currency": ["GBP"],
                            "timezone_name": ["Europe/London"], "_modified": [sim.t_start - 200 * DAY]})
    return {"facebook_ads/basic_ad": basic_ad, "facebook_ads/ad_history": ad_history,
            "facebook_ads/campaign_history": campaign_history,
            "facebook_ads/account_history": account}
