"""Segment web tracking: visitors, their sessions and pages, identifies and tracks.

Every visitor is a sequence of sessions on a relative clock (pages seconds to 20 minutes
apart, sessions at least 35 minutes apart), then pinned to an anchor: a lead's device to the
thank-you page right after the lead-creating form (where Segment `identify` happens), a second
device to a later content-download form, an anonymous visitor to its first page. Sessions
starting before the range are dropped and pages after it cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b2bkpi.generator import names as N
from b2bkpi.generator import params as P
from b2bkpi.generator.ads import AdCampaign, pick_active
from b2bkpi.generator.core import (
    DAY, MINUTE, NULL_TS, SECOND, Sim, hex_ids, lognormal_days, seasonal_times, uuids, weighted,
)

LEAD, SECOND_DEVICE, ANONYMOUS = 0, 1, 2
# the channel of the lead-creating session for each lead channel
CREATION_CHANNEL = {"organic": "organic", "paid_search": "paid_search", "paid_social": "paid_social",
                    "email": "email", "events": "direct", "referral": "referral", "direct": "direct"}
PATHS = tuple(N.PAGES)
PATH = {path: i for i, path in enumerate(PATHS)}
RESOURCES = np.array([PATH[p] for p in PATHS if p.startswith("/resources/")])
UTM_MEDIUM = {"paid_search": "cpc", "paid_social": "paid_social", "email": "email"}
UTM_SOURCE = {"google_ads": "google", "linkedin_ads": "linkedin", "facebook_ads": "facebook"}
CHANNEL_OF_PLATFORM = {"google_ads": "paid_search", "linkedin_ads": "paid_social",
                       "facebook_ads": "paid_social"}
SOCIAL_REFERRER = {"linkedin_ads": "https://www.linkedin.com/", "facebook_ads": "https://l.facebook.com/"}


@dataclass
class Web:
    tables: dict[str, pa.Table]
    sessions: pd.DataFrame  # one row per session, clean (truth)
    form_fills: pd.DataFrame  # lead_idx, t, form, url: forms filled by known people
    pricing_visits: pd.DataFrame  # lead_idx, t: identified views of /pricing (lead scoring)
    paid_landings: pd.DataFrame  # campaign, day: paid sessions (for the ad platforms)
    paid_leads: pd.DataFrame  # campaign, day: lead-creating paid sessions
    first_visits: pd.Series  # lead_idx -> first page time of any device identified as the lead


def build(sim: Sim, people: pd.DataFrame, ads: list[AdCampaign]) -> Web:
    rng = sim.rng("web")
    visitors = _visitors(sim, rng, people)
    sessions = _sessions(rng, visitors)
    pages = _pages(rng, visitors, sessions)
    sessions, pages = _pin_to_clock(sim, visitors, sessions, pages)
    _campaigns(rng, visitors, sessions, people, ads)
    tracks, form_fills = _tracks(sim, rng, visitors, sessions, pages)
    return _assemble(sim, rng, visitors, sessions, pages, tracks, form_fills, people, ads)


# ---- who visits ------------------------------------------------------------------------------
def _visitors(sim: Sim, rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    web = people[people["web"]]
    second = web[rng.random(len(web)) < P.P_SECOND_DEVICE]
    n_anon = P.ANON_VISITORS_PER_LEAD * sim.n_leads
    n_pre = np.where(rng.random(len(web)) < 0.3, 0, 1 + rng.poisson(1.5, len(web)))
    second_pre = 1 + rng.poisson(1.0, len(second))
    second_submit = second["t_form"].to_numpy() + (
        lognormal_days(rng, 20, 0.8, len(second)) * DAY).astype(np.int64)
    form = np.where(web["demo"], "demo", np.where(rng.random(len(web)) < 0.35, "content", "contact"))
    visitors = pd.DataFrame({
        "kind": np.repeat([LEAD, SECOND_DEVICE, ANONYMOUS], [len(web), len(second), n_anon]),
        "lead_idx": np.concatenate([web["idx"], second["idx"], np.full(n_anon, -1)]),
        "channel": np.concatenate([web["channel"].map(CREATION_CHANNEL), np.full(len(second), ""),
                                   np.full(n_anon, "")]),
        # the form submission (lead devices) or the first page (anonymous visitors)
        "anchor_time": np.concatenate([web["t_form"], second_submit, seasonal_times(sim, rng, n_anon)]),
        "form": np.concatenate([form, np.full(len(second), "content"), np.full(n_anon, "")]),
        "anchor": np.concatenate([n_pre, second_pre, np.zeros(n_anon, int)]),
        "sessions": np.concatenate([n_pre + 1 + rng.poisson(1.0, len(web)), second_pre + 1,
                                    rng.geometric(0.7, n_anon)]),
        "country": np.concatenate([web["country"], second["country"], np.full(n_anon, None)]),
    })
    visitors["identified"] = (visitors["kind"] != ANONYMOUS) & (visitors["anchor_time"] <= sim.t_end)
    visitors["tz"] = _time_zones(rng, visitors["country"].to_numpy())
    visitors["anonymous_id"] = uuids(rng, len(visitors)).to_numpy(zero_copy_only=False)
    octets = rng.integers(1, 255, (len(visitors), 4)).tolist()
    visitors["ip"] = [f"{a}.{b}.{c}.{d}" for a, b, c, d in octets]
    return visitors


def _time_zones(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """The visitor's zone: from the lead's country, or a country mix for anonymous visitors."""
    zones = np.empty(len(country), dtype=object)
    unknown = pd.isna(country)
    mix = {zone: share / len(zs) for _, share, zs in P.COUNTRIES.values() for zone in zs}
    zones[unknown] = weighted(rng, {**mix, **P.EXTRA_VISITOR_TIME_ZONES}, int(unknown.sum()))
    for land, (_, _, zs) in P.COUNTRIES.items():
        rows = np.flatnonzero(country == land)
        zones[rows] = np.array(zs)[rng.integers(0, len(zs), len(rows))]
    return zones.astype(str)


# ---- sessions and pages on a relative clock ------------------------------------------------------
def _sessions(rng: np.random.Generator, visitors: pd.DataFrame) -> pd.DataFrame:
    counts = visitors["sessions"].to_numpy()
    visitor = np.repeat(np.arange(len(visitors)), counts)
    k = np.arange(len(visitor)) - np.repeat(np.cumsum(counts) - counts, counts)
    kind = visitors["kind"].to_numpy()[visitor]
    creation = (k == visitors["anchor"].to_numpy()[visitor]) & (kind != ANONYMOUS)
    n = len(visitor)
    pages = np.where(rng.random(n) < P.P_BOUNCE, 1, 2 + rng.poisson(P.MEAN_EXTRA_PAGES - 1, n))
    gap_days = np.minimum(lognormal_days(rng, *P.SESSION_GAP_DAYS, n), 120)
    channel = weighted(rng, P.SESSION_CHANNEL_MIX, n).astype(object)
    lead_creation = creation & (kind == LEAD)
    channel[lead_creation] = visitors["channel"].to_numpy()[visitor[lead_creation]]
    email_return = creation & (kind == SECOND_DEVICE) & (rng.random(n) < 0.5)
    channel[email_return] = "email"
    return pd.DataFrame({
        "visitor": visitor, "k": k, "creation": creation,
        "pages": np.where(creation, 2 + rng.poisson(1.5, n), pages),  # ... form, thank-you
        "gap": np.where(k == 0, 0, P.MIN_SESSION_GAP_MINUTES * MINUTE
                        + (gap_days * DAY).astype(np.int64)),
        "channel": channel.astype(str),
    })


def _pages(rng: np.random.Generator, visitors: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Pages with gaps to the previous page (the session gap for a session's first page) and
    paths: a landing page by channel, browsing, and in a creation session the form page then
    the thank-you page."""
    counts = sessions["pages"].to_numpy()
    session = np.repeat(np.arange(len(sessions)), counts)
    k = np.arange(len(session)) - np.repeat(np.cumsum(counts) - counts, counts)
    n = len(session)
    last = k == counts[session] - 1
    creation = sessions["creation"].to_numpy()[session]
    gap_s = np.clip(lognormal_days(rng, P.PAGE_GAP[0], P.PAGE_GAP[1], n), 2, 20 * 60)
    gap = (gap_s * SECOND).astype(np.int64) + rng.integers(0, 1000, n) * 1000
    gap = np.where(creation & last, rng.integers(20, 180, n) * SECOND + 2 * SECOND, gap)
    gap = np.where(k == 0, sessions["gap"].to_numpy()[session], gap)
    weights = np.array([w for _, w in N.PAGES.values()])
    path = rng.choice(len(PATHS), size=n, p=weights / weights.sum())
    channel = sessions["channel"].to_numpy()[session]
    for code, landing in N.LANDING.items():
        rows = np.flatnonzero((k == 0) & (channel == code))
        path[rows] = [PATH[p] for p in weighted(rng, landing, len(rows))]
    form = visitors["form"].to_numpy()[sessions["visitor"].to_numpy()[session]]
    form_page = np.where(form == "demo", PATH["/demo"], np.where(
        form == "content", RESOURCES[rng.integers(0, len(RESOURCES), n)], PATH["/contact"]))
    before_last = np.r_[last[1:], False]
    path = np.where(creation & before_last, form_page, path)
    path = np.where(creation & last, PATH["/thank-you"], path)
    return pd.DataFrame({"session": session, "k": k, "gap": gap, "path": path})


def _pin_to_clock(sim, visitors, sessions, pages):
    """Absolute page times; sessions starting before the range dropped, pages after it cut."""
    visitor = sessions["visitor"].to_numpy()[pages["session"].to_numpy()]
    rel = pd.Series(pages["gap"].to_numpy()).groupby(visitor).cumsum().to_numpy()
    first_page = np.r_[0, np.cumsum(sessions["pages"].to_numpy())[:-1]]
    last_page = first_page + sessions["pages"].to_numpy() - 1
    first_session = np.r_[0, np.cumsum(visitors["sessions"].to_numpy())[:-1]]
    anchor_session = first_session + visitors["anchor"].to_numpy()
    anonymous = visitors["kind"].to_numpy() == ANONYMOUS
    # the anchor: the thank-you page 2 s after the form submission, or the first page
    anchor_page = np.where(anonymous, first_page[anchor_session], last_page[anchor_session])
    anchor_time = visitors["anchor_time"].to_numpy() + np.where(anonymous, 0, 2 * SECOND)
    t = anchor_time[visitor] + rel - rel[anchor_page][visitor]
    pages["t"] = t - t % 1000  # Segment keeps milliseconds
    pages["visitor"] = visitor
    sessions["start"] = pages["t"].to_numpy()[first_page]
    keep = ((sessions["start"].to_numpy() >= sim.t_start)[pages["session"].to_numpy()]
            & (pages["t"].to_numpy() <= sim.t_end))
    pages = pages[keep].reset_index(drop=True)
    sessions["page_count"] = np.bincount(pages["session"], minlength=len(sessions))
    return sessions, pages


def _campaigns(rng, visitors, sessions, people, ads) -> None:
    """Ad campaign and platform of paid sessions: the lead's own click for a lead-creating
    session, else a campaign of the platform running then."""
    channel = sessions["channel"].to_numpy()
    social = rng.random(len(sessions)) < P.P_LINKEDIN_FOR_PAID_SOCIAL
    platform = np.where(channel == "paid_search", "google_ads",
                        np.where(social, "linkedin_ads", "facebook_ads"))
    paid = np.isin(channel, ["paid_search", "paid_social"]) & (sessions["page_count"].to_numpy() > 0)
    campaign = np.full(len(sessions), -1)
    campaign[paid] = pick_active(ads, platform[paid], sessions["start"].to_numpy()[paid], rng)
    visitor = sessions["visitor"].to_numpy()
    own = paid & sessions["creation"].to_numpy() & (visitors["kind"].to_numpy()[visitor] == LEAD)
    campaign[own] = people["ad_campaign"].to_numpy()[visitors["lead_idx"].to_numpy()[visitor[own]]]
    sessions["campaign"] = campaign
    sessions["platform"] = np.where(campaign >= 0, np.array([a.platform for a in ads] + [""])[campaign], "")


# ---- events ------------------------------------------------------------------------------------
def _tracks(sim, rng, visitors, sessions, pages) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tracks (visitor, session, event, t) and the forms filled by known people (for Marketo):
    the lead-creating and second-device forms, and content downloads once identified."""
    known = visitors[visitors["identified"]]
    submit = known["anchor_time"].to_numpy()
    creation_session = (np.r_[0, np.cumsum(visitors["sessions"].to_numpy())[:-1]]
                        + visitors["anchor"].to_numpy())[known.index]
    form = known["form"].to_numpy()
    parts = [pd.DataFrame({"visitor": known.index, "session": creation_session,
                           "event": "form_submitted", "t": submit + 300_000})]
    for kind, offset in (("demo", 400_000), ("content", 500_000)):
        rows = form == kind
        parts.append(pd.DataFrame({
            "visitor": known.index[rows], "session": creation_session[rows],
            "event": "demo_requested" if kind == "demo" else "content_downloaded",
            "t": submit[rows] + offset}))
    # downloads outside the creation session: ungated when anonymous, a form once identified
    creation = sessions["creation"].to_numpy()[pages["session"].to_numpy()]
    download = (np.isin(pages["path"].to_numpy(), RESOURCES) & ~creation
                & (rng.random(len(pages)) < P.P_CONTENT_DOWNLOAD))
    down = pages[download]
    t = down["t"].to_numpy() + rng.integers(5, 60, len(down)) * SECOND
    visitor = down["visitor"].to_numpy()
    identified = visitors["identified"].to_numpy()[visitor] & (
        t > visitors["anchor_time"].to_numpy()[visitor])
    parts += [
        pd.DataFrame({"visitor": visitor, "session": down["session"].to_numpy(),
                      "event": "content_downloaded", "t": t}),
        pd.DataFrame({"visitor": visitor[identified], "session": down["session"].to_numpy()[identified],
                      "event": "form_submitted", "t": t[identified] + 200_000}),
    ]
    tracks = pd.concat(parts, ignore_index=True)
    tracks = tracks[tracks["t"] <= sim.t_end].sort_values(["t", "visitor", "event"], kind="stable",
                                                          ignore_index=True)
    form_url = np.array([N.SITE + p for p in PATHS])
    fills = pd.DataFrame({
        "lead_idx": np.concatenate([known["lead_idx"], visitors["lead_idx"].to_numpy()[visitor[identified]]]),
        "t": np.concatenate([submit, t[identified] + 200_000]),
        "form": np.concatenate([form, np.full(int(identified.sum()), "content")]),
        "url": np.concatenate([
            form_url[pages.set_index("session")["path"].groupby(level=0).nth(-2)
                     .reindex(creation_session).fillna(PATH["/contact"]).astype(int).to_numpy()],
            form_url[down["path"].to_numpy()[identified]]]),
    })
    fills = fills[fills["t"] <= sim.t_end].sort_values(["t", "lead_idx"], kind="stable", ignore_index=True)
    return tracks, fills


# ---- tables ------------------------------------------------------------------------------------
def _assemble(sim, rng, visitors, sessions, pages, tracks, form_fills, people, ads) -> Web:
    user_of_lead = hex_ids(rng, len(people), 12).to_numpy(zero_copy_only=False)
    lead_idx = visitors["lead_idx"].to_numpy()
    user = np.where(visitors["identified"], user_of_lead[np.maximum(lead_idx, 0)], None)
    identify_at = np.where(visitors["identified"], visitors["anchor_time"], np.iinfo(np.int64).max)
    tz = visitors["tz"].to_numpy()
    anonymous_id = visitors["anonymous_id"].to_numpy()

    # pages
    pv = pages["visitor"].to_numpy()
    ps = pages["session"].to_numpy()
    pt = pages["t"].to_numpy()
    landing = pages["k"].to_numpy() == 0
    channel = sessions["channel"].to_numpy()[ps]
    # UTM parameters on landing pages: key 0..len(ads)-1 an ad campaign, then the email ones
    utm = [(UTM_SOURCE[a.platform], UTM_MEDIUM[CHANNEL_OF_PLATFORM[a.platform]], a.name) for a in ads]
    utm += [("marketo", "email", name) for name in N.EMAIL_UTM_CAMPAIGNS]
    key = np.where(landing, sessions["campaign"].to_numpy()[ps], -1)
    email = landing & (channel == "email")
    key[email] = len(ads) + rng.integers(0, len(N.EMAIL_UTM_CAMPAIGNS), int(email.sum()))
    has_utm = key >= 0

    def utm_part(i: int) -> pa.Array:
        return pa.array([u[i] for u in utm], pa.string()).take(pa.array(key, mask=~has_utm))

    query = pa.array([f"?utm_source={s}&utm_medium={m}&utm_campaign={c}" for s, m, c in utm] + [""])
    url = pc.binary_join_element_wise(
        N.SITE, pa.array(np.array(PATHS)[pages["path"].to_numpy()]),
        query.take(pa.array(np.where(has_utm, key, len(utm)))), "")
    if isinstance(url, pa.ChunkedArray):  # large columns come back in chunks
        url = url.combine_chunks()
    previous_url = pa.concat_arrays([pa.array([None], pa.string()), url.slice(0, max(len(pages) - 1, 0))])
    outside = _landing_referrer(rng, channel, sessions["platform"].to_numpy()[ps])
    referrer = pc.if_else(pa.array(landing), pa.array(outside, pa.string()),
                          previous_url.slice(0, len(pages)))
    page_table = pa.table({
        "id": uuids(rng, len(pages)),
        "anonymous_id": pa.array(anonymous_id[pv]),
        "user_id": pa.array(np.where(pt >= identify_at[pv], user[pv], None), pa.string()),
        "timestamp": iso_with_offset(pt, tz[pv]),
        "received_at": pa.array((pt + rng.integers(50, 3000, len(pages)) * 1000).view("datetime64[us]")),
        "path": pa.array(np.array(PATHS)[pages["path"].to_numpy()]),
        "url": url, "referrer": referrer,
        "title": pa.array(np.array([t for t, _ in N.PAGES.values()])[pages["path"].to_numpy()]),
        "context_campaign_source": utm_part(0),
        "context_campaign_medium": utm_part(1),
        "context_campaign_name": utm_part(2),
        "context_ip": pa.array(visitors["ip"].to_numpy()[pv]),
    })

    known = visitors[visitors["identified"]].sort_values("anchor_time", kind="stable")
    identifies = pa.table({
        "id": uuids(rng, len(known)),
        "anonymous_id": pa.array(known["anonymous_id"].to_numpy()),
        "user_id": pa.array(user[known.index]),
        "email": pa.array(people["email"].to_numpy()[known["lead_idx"].to_numpy()]),
        "timestamp": iso_with_offset(known["anchor_time"].to_numpy(), known["tz"].to_numpy()),
    })
    tv, tt = tracks["visitor"].to_numpy(), tracks["t"].to_numpy()
    track_table = pa.table({
        "id": uuids(rng, len(tracks)),
        "anonymous_id": pa.array(anonymous_id[tv]),
        "user_id": pa.array(np.where(tt >= identify_at[tv], user[tv], None), pa.string()),
        "event": pa.array(tracks["event"].to_numpy()),
        "timestamp": iso_with_offset(tt, tz[tv]),
    })

    is_paid = sessions["campaign"].to_numpy() >= 0
    known_page = visitors["identified"].to_numpy()[pv]
    kept = sessions["page_count"].to_numpy() > 0
    lead_sessions = sessions[sessions["creation"] & is_paid
                             & (visitors["kind"].to_numpy()[sessions["visitor"]] == LEAD)]
    return Web(
        tables={"segment/pages": page_table, "segment/identifies": identifies,
                "segment/tracks": track_table},
        sessions=_session_truth(sessions, pages, tracks, visitors, ads),
        form_fills=form_fills,
        pricing_visits=pd.DataFrame({
            "lead_idx": lead_idx[pv], "t": pt})[(pt >= identify_at[pv])
                                                & (pages["path"].to_numpy() == PATH["/pricing"])],
        paid_landings=pd.DataFrame({"campaign": sessions["campaign"][is_paid & kept],
                                    "day": sessions["start"][is_paid & kept] // DAY}),
        paid_leads=pd.DataFrame({
            "campaign": lead_sessions["campaign"],
            "day": visitors["anchor_time"].to_numpy()[lead_sessions["visitor"]] // DAY}),
        first_visits=pd.Series(pt[known_page]).groupby(lead_idx[pv][known_page]).min(),
    )


def _landing_referrer(rng, channel: np.ndarray, platform: np.ndarray) -> np.ndarray:
    n = len(channel)
    search = np.array(N.SEARCH_REFERRERS)[rng.integers(0, len(N.SEARCH_REFERRERS), n)]
    referral = np.array(N.REFERRAL_SITES)[rng.integers(0, len(N.REFERRAL_SITES), n)]
    social = pd.Series(platform).map(SOCIAL_REFERRER).to_numpy()
    return np.select(
        [channel == "organic", channel == "referral", channel == "paid_search",
         channel == "paid_social"],
        [search, referral, "https://www.google.com/", social], None).astype(object)


def _session_truth(sessions, pages, tracks, visitors, ads) -> pd.DataFrame:
    kept = sessions[sessions["page_count"] > 0]
    by_session = pages.groupby("session")
    converted = set(tracks.loc[tracks["event"] == "form_submitted", "session"].tolist())
    names = np.array([a.name for a in ads] + [None], dtype=object)
    truth = pd.DataFrame({
        "anonymous_id": visitors["anonymous_id"].to_numpy()[kept["visitor"]],
        "session_start": by_session["t"].min().reindex(kept.index).to_numpy(),
        "session_end": by_session["t"].max().reindex(kept.index).to_numpy(),
        "page_count": kept["page_count"].to_numpy(),
        "landing_path": np.array(PATHS)[by_session["path"].first().reindex(kept.index).to_numpy()],
        "channel": kept["channel"].to_numpy(),
        "utm_campaign": names[kept["campaign"].to_numpy()],
        "has_form_fill": [s in converted for s in kept.index],
    })
    truth["is_bounce"] = truth["page_count"] == 1
    return truth


def iso_with_offset(utc_us: np.ndarray, zones: np.ndarray) -> pa.Array:
    """ISO-8601 text in each visitor's local time with its UTC offset ('…T11:04:05.123+01:00')."""
    local = np.asarray(utc_us, dtype=np.int64).copy()
    for zone in np.unique(zones):
        rows = np.flatnonzero(zones == zone)
        stamps = pd.DatetimeIndex(local[rows].view("datetime64[us]")).tz_localize("UTC")
        local[rows] = stamps.tz_convert(zone).tz_localize(None).as_unit("us").asi8
    offset = (local - utc_us) // MINUTE
    codes, inverse = np.unique(offset, return_inverse=True)
    labels = np.array([f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in codes])
    text = np.datetime_as_string(local.view("datetime64[us]").astype("datetime64[ms]"), unit="ms")
    return pc.binary_join_element_wise(pa.array(text), pa.array(labels[inverse]), "")
