"""Segment web tracking: visitors, their sessions and pages, identifies and tracks.

Every visitor is a sequence of sessions on a relative clock (pages seconds to 20 minutes
apart, sessions at least 35 minutes apart), then pinned to an anchor: a lead's device to the
thank-you page right after the lead-creating form (where Segment `identify` happens), a second
device to a later content-download form, an anonymous visitor to its first page. Sessions
starting before the range are dropped and pages after it cut. A few lead devices are shared:
a colleague (another lead of the same company) identifies on it after its last page, so one
anonymous id carries two emails.

Millions of pages: categories are small integer codes until the string columns are built
with Arrow `take`, and repeated strings stay dictionary-encoded (`_coded`).
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
    DAY, MINUTE, SECOND, Sim, ascii_strings, hex_ids, lognormal_days, seasonal_times, uuids,
    weighted,
)

LEAD, SECOND_DEVICE, ANONYMOUS = 0, 1, 2
CHANNELS = ("organic", "direct", "paid_search", "paid_social", "referral", "email")
CH = {channel: code for code, channel in enumerate(CHANNELS)}
# the channel of the lead-creating session for each lead channel
CREATION_CHANNEL = {"organic": "organic", "paid_search": "paid_search", "paid_social": "paid_social",
                    "email": "email", "events": "direct", "referral": "referral", "direct": "direct"}
FORMS = ("contact", "demo", "content")
CONTACT, DEMO, CONTENT = range(3)
PATHS = tuple(N.PAGES)
PATH = {path: code for code, path in enumerate(PATHS)}
RESOURCES = np.array([PATH[p] for p in PATHS if p.startswith("/resources/")])
ZONES = tuple(dict.fromkeys([z for *_, zs in P.COUNTRIES.values() for z in zs]
                            + list(P.EXTRA_VISITOR_TIME_ZONES)))
UTM_SOURCE = {"google_ads": "google", "linkedin_ads": "linkedin", "facebook_ads": "facebook"}
UTM_MEDIUM = {"google_ads": "cpc", "linkedin_ads": "paid_social", "facebook_ads": "paid_social"}
# referrers of landing pages: search engines, referral sites, then the ad platforms
REFERRERS = (*N.SEARCH_REFERRERS, *N.REFERRAL_SITES, "https://www.google.com/",
             "https://www.linkedin.com/", "https://l.facebook.com/")


@dataclass
class Web:
    tables: dict[str, pa.Table]
    sessions: pd.DataFrame  # one row per session, clean (truth)
    form_fills: pd.DataFrame  # lead_idx, t, form, url: forms filled by known people
    pricing_visits: pd.DataFrame  # lead_idx, t: identified views of /pricing (lead scoring)
    paid_landings: pd.DataFrame  # campaign, day: paid sessions (for the ad platforms)
    paid_leads: pd.DataFrame  # campaign, day: lead-creating paid sessions
    first_visits: pd.Series  # lead_idx -> first page time of the lead's own devices


def build(sim: Sim, people: pd.DataFrame, ads: list[AdCampaign]) -> Web:
    rng = sim.rng("web")
    visitors = _visitors(sim, rng, people)
    sessions = _sessions(rng, visitors)
    pages = _pages(rng, visitors, sessions)
    sessions, pages = _pin_to_clock(sim, visitors, sessions, pages)
    _campaigns(rng, visitors, sessions, people, ads)
    tracks, form_fills = _tracks(sim, rng, visitors, sessions, pages)
    # its own stream: the shared devices leave every other row as it was
    shared = _shared_devices(sim.rng("web_shared_devices"), visitors, pages, people, sim.t_end)
    return _assemble(rng, visitors, sessions, pages, tracks, form_fills, people, ads, sim.t_end,
                     shared)


# ---- who visits ------------------------------------------------------------------------------
def _visitors(sim: Sim, rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    web = people[people["web"]]
    second = web[rng.random(len(web)) < P.P_SECOND_DEVICE]
    n_anon = P.ANON_VISITORS_PER_LEAD * sim.n_leads
    n_pre = np.where(rng.random(len(web)) < 0.3, 0, 1 + rng.poisson(1.5, len(web)))
    second_pre = 1 + rng.poisson(1.0, len(second))
    second_submit = second["t_form"].to_numpy() + (
        lognormal_days(rng, 20, 0.8, len(second)) * DAY).astype(np.int64)
    form = np.where(web["demo"], DEMO, np.where(rng.random(len(web)) < 0.35, CONTENT, CONTACT))
    countries = np.concatenate([web["country"], second["country"]])
    visitors = pd.DataFrame({
        "kind": np.repeat([LEAD, SECOND_DEVICE, ANONYMOUS], [len(web), len(second), n_anon]),
        "lead_idx": np.concatenate([web["idx"], second["idx"], np.full(n_anon, -1)]),
        "channel": np.concatenate([[CH[CREATION_CHANNEL[c]] for c in web["channel"]],
                                   np.full(len(second) + n_anon, -1)]),
        # the form submission (lead devices) or the first page (anonymous visitors)
        "anchor_time": np.concatenate([web["t_form"], second_submit, seasonal_times(sim, rng, n_anon)]),
        "form": np.concatenate([form, np.full(len(second), CONTENT), np.full(n_anon, -1)]),
        "anchor": np.concatenate([n_pre, second_pre, np.zeros(n_anon, int)]),
        "sessions": np.concatenate([n_pre + 1 + rng.poisson(1.0, len(web)), second_pre + 1,
                                    rng.geometric(0.7, n_anon)]),
        "tz": np.concatenate([_known_zones(rng, countries), _anonymous_zones(rng, n_anon)]),
    })
    visitors["identified"] = (visitors["kind"] != ANONYMOUS) & (visitors["anchor_time"] <= sim.t_end)
    return visitors


def _known_zones(rng: np.random.Generator, countries: np.ndarray) -> np.ndarray:
    zones = np.zeros(len(countries), int)
    for land, (_, _, zs) in P.COUNTRIES.items():
        rows = np.flatnonzero(countries == land)
        zones[rows] = np.array([ZONES.index(z) for z in zs])[rng.integers(0, len(zs), len(rows))]
    return zones


def _anonymous_zones(rng: np.random.Generator, n: int) -> np.ndarray:
    mix = {ZONES.index(z): share / len(zs) for _, share, zs in P.COUNTRIES.values() for z in zs}
    mix.update({ZONES.index(z): share for z, share in P.EXTRA_VISITOR_TIME_ZONES.items()})
    return weighted(rng, mix, n)


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
    channel = weighted(rng, {CH[c]: w for c, w in P.SESSION_CHANNEL_MIX.items()}, n)
    lead_creation = creation & (kind == LEAD)
    channel[lead_creation] = visitors["channel"].to_numpy()[visitor[lead_creation]]
    channel[creation & (kind == SECOND_DEVICE) & (rng.random(n) < 0.5)] = CH["email"]
    return pd.DataFrame({
        "visitor": visitor, "k": k, "creation": creation,
        "pages": np.where(creation, 2 + rng.poisson(1.5, n), pages),  # ..., form, thank-you
        "gap": np.where(k == 0, 0, P.MIN_SESSION_GAP_MINUTES * MINUTE
                        + (gap_days * DAY).astype(np.int64)),
        "channel": channel,
    })


def _pages(rng: np.random.Generator, visitors: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Pages with their gap to the previous page (the session gap for a session's first page)
    and paths: a landing page by channel, browsing, and in a creation session the form page
    then the thank-you page."""
    counts = sessions["pages"].to_numpy()
    session = np.repeat(np.arange(len(sessions)), counts)
    k = np.arange(len(session)) - np.repeat(np.cumsum(counts) - counts, counts)
    n = len(session)
    last = k == counts[session] - 1
    creation = sessions["creation"].to_numpy()[session]
    gap_s = np.clip(lognormal_days(rng, P.PAGE_GAP[0], P.PAGE_GAP[1], n), 2, 20 * 60)
    gap = (gap_s * 1000).astype(np.int64) * 1000
    gap = np.where(creation & last, rng.integers(20, 180, n) * SECOND + 2 * SECOND, gap)
    gap = np.where(k == 0, sessions["gap"].to_numpy()[session], gap)
    weights = np.array([w for _, w in N.PAGES.values()])
    path = rng.choice(len(PATHS), size=n, p=weights / weights.sum())
    channel = sessions["channel"].to_numpy()[session]
    for name, landing in N.LANDING.items():
        rows = np.flatnonzero((k == 0) & (channel == CH[name]))
        path[rows] = weighted(rng, {PATH[p]: w for p, w in landing.items()}, len(rows))
    form = visitors["form"].to_numpy()[sessions["visitor"].to_numpy()[session]]
    form_page = np.where(form == DEMO, PATH["/demo"], np.where(
        form == CONTENT, RESOURCES[rng.integers(0, len(RESOURCES), n)], PATH["/contact"]))
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
    anchor_session = (np.r_[0, np.cumsum(visitors["sessions"].to_numpy())[:-1]]
                      + visitors["anchor"].to_numpy())
    anonymous = visitors["kind"].to_numpy() == ANONYMOUS
    # the anchor: the thank-you page 2 s after the form submission, or the very first page
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
    visitors["creation_session"] = anchor_session
    return sessions, pages


def _campaigns(rng, visitors, sessions, people, ads) -> None:
    """Ad campaign (index, -1 if none) of paid sessions: the lead's own click for a
    lead-creating session, else a campaign of the platform running then."""
    channel = sessions["channel"].to_numpy()
    social = rng.random(len(sessions)) < P.P_LINKEDIN_FOR_PAID_SOCIAL
    platform = np.where(channel == CH["paid_search"], "google_ads",
                        np.where(social, "linkedin_ads", "facebook_ads"))
    paid = (np.isin(channel, [CH["paid_search"], CH["paid_social"]])
            & (sessions["page_count"].to_numpy() > 0))
    campaign = np.full(len(sessions), -1)
    campaign[paid] = pick_active(ads, platform[paid], sessions["start"].to_numpy()[paid], rng)
    visitor = sessions["visitor"].to_numpy()
    own = paid & sessions["creation"].to_numpy() & (visitors["kind"].to_numpy()[visitor] == LEAD)
    campaign[own] = people["ad_campaign"].to_numpy()[visitors["lead_idx"].to_numpy()[visitor[own]]]
    sessions["campaign"] = campaign


# ---- events ------------------------------------------------------------------------------------
def _tracks(sim, rng, visitors, sessions, pages) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tracks (visitor, session, event, t) and the forms filled by known people (for Marketo):
    the lead-creating and second-device forms, and content downloads once identified."""
    known = visitors[visitors["identified"]]
    submit = known["anchor_time"].to_numpy()
    creation_session = known["creation_session"].to_numpy()
    form = known["form"].to_numpy()
    parts = [pd.DataFrame({"visitor": known.index, "session": creation_session,
                           "event": "form_submitted", "t": submit + 300_000})]
    for code, event, offset in ((DEMO, "demo_requested", 400_000), (CONTENT, "content_downloaded", 500_000)):
        rows = form == code
        parts.append(pd.DataFrame({"visitor": known.index[rows], "session": creation_session[rows],
                                   "event": event, "t": submit[rows] + offset}))
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
    # the page a creation form was on: the page before the thank-you page
    form_page = pages.groupby("session")["path"].nth(-2)
    form_page = pd.Series(form_page.to_numpy(), index=pages.loc[form_page.index, "session"])
    fallback = np.where(form == DEMO, PATH["/demo"], np.where(form == CONTENT, RESOURCES[0],
                                                              PATH["/contact"]))
    creation_path = form_page.reindex(creation_session).to_numpy()
    creation_path = np.where(pd.isna(creation_path), fallback, creation_path).astype(int)
    fills = pd.DataFrame({
        "lead_idx": np.concatenate([known["lead_idx"],
                                    visitors["lead_idx"].to_numpy()[visitor[identified]]]),
        "t": np.concatenate([submit, t[identified] + 200_000]),
        "form": np.array(FORMS)[np.concatenate([form, np.full(int(identified.sum()), CONTENT)])],
        "url": N.SITE + np.array(PATHS)[np.concatenate([creation_path,
                                                        down["path"].to_numpy()[identified]])],
    })
    fills = fills[fills["t"] <= sim.t_end].sort_values(["t", "lead_idx"], kind="stable",
                                                       ignore_index=True)
    return tracks, fills


def _shared_devices(rng, visitors, pages, people, t_end) -> pd.DataFrame:
    """visitor, lead_idx, t, id: the colleague's identify on a shared lead device, 1 to 60 s
    after the device's last page (so no page of the device has the colleague's user id)."""
    last_page = pages.groupby("visitor")["t"].max()
    lead_devices = visitors.index[(visitors["kind"] == LEAD) & visitors["identified"]]
    devices = last_page.reindex(lead_devices).dropna().astype(np.int64)
    devices = devices[rng.random(len(devices)) < P.P_SHARED_DEVICE]
    # the colleague: another lead of the owner's company, drawn from the leads sorted by company
    company = people["account"].to_numpy()
    by_company = np.argsort(company, kind="stable")
    place = np.empty(len(company), np.int64)
    place[by_company] = np.arange(len(company))
    first = np.searchsorted(company[by_company], company, side="left")
    size = np.searchsorted(company[by_company], company, side="right") - first
    owner = visitors["lead_idx"].to_numpy()[devices.index]
    draw = (rng.random(len(owner)) * np.maximum(size[owner] - 1, 1)).astype(np.int64)
    draw += first[owner]
    draw += draw >= place[owner]  # skip the owner
    colleague = np.where(size[owner] > 1, by_company[np.minimum(draw, len(company) - 1)], -1)
    t = devices.to_numpy() + rng.integers(1, 61, len(devices)) * SECOND
    keep = (colleague >= 0) & (t <= t_end)
    ids = uuids(rng, int(keep.sum())).to_numpy(zero_copy_only=False)
    return pd.DataFrame({"visitor": devices.index[keep], "lead_idx": colleague[keep],
                         "t": t[keep], "id": ids})


# ---- tables ------------------------------------------------------------------------------------
def _assemble(rng, visitors, sessions, pages, tracks, form_fills, people, ads, t_end,
              shared) -> Web:
    n_visitors = len(visitors)
    anonymous_id = uuids(rng, n_visitors)
    octets = [pa.array(o).cast(pa.string()) for o in rng.integers(1, 255, (4, n_visitors))]
    ip = pc.binary_join_element_wise(*octets, ".")
    lead_user = hex_ids(rng, len(people), 12)
    lead_idx = visitors["lead_idx"].to_numpy()
    identified = visitors["identified"].to_numpy()
    identify_at = np.where(identified, visitors["anchor_time"], np.iinfo(np.int64).max)
    tz = visitors["tz"].to_numpy()

    def user_ids(visitor: np.ndarray, t: np.ndarray) -> pa.Array:
        """The lead's user id on events at or after the visitor's identify, else null."""
        return _coded(np.maximum(lead_idx[visitor], 0), lead_user, null=t < identify_at[visitor])

    page_table = _page_table(rng, pages, sessions, ads, t_end, anonymous_id, ip, tz, user_ids)
    pv, pt, path = (pages[c].to_numpy() for c in ("visitor", "t", "path"))

    known = np.flatnonzero(identified)
    known = known[np.argsort(visitors["anchor_time"].to_numpy()[known], kind="stable")]
    ids = pa.concat_arrays([uuids(rng, len(known)), pa.array(shared["id"], pa.string())])
    device = np.concatenate([known, shared["visitor"].to_numpy()]).astype(np.int64)
    who = np.concatenate([lead_idx[known], shared["lead_idx"].to_numpy()]).astype(np.int64)
    at = np.concatenate([visitors["anchor_time"].to_numpy()[known], shared["t"].to_numpy()])
    identifies = pa.table({
        "id": ids,
        "anonymous_id": anonymous_id.take(device),
        "user_id": lead_user.take(who),
        "email": pa.array(people["email"].to_numpy()[who]),
        "timestamp": iso_with_offset(at, tz[device]),
    })
    tv, tt = tracks["visitor"].to_numpy(), tracks["t"].to_numpy()
    track_table = pa.table({
        "id": uuids(rng, len(tracks)),
        "anonymous_id": anonymous_id.take(tv),
        "user_id": user_ids(tv, tt),
        "event": pa.array(tracks["event"].to_numpy()),
        "timestamp": iso_with_offset(tt, tz[tv]),
    })

    is_paid = sessions["campaign"].to_numpy() >= 0
    kept = sessions["page_count"].to_numpy() > 0
    lead_sessions = sessions[sessions["creation"] & is_paid
                             & (visitors["kind"].to_numpy()[sessions["visitor"]] == LEAD)]
    known_page = identified[pv]
    converted = np.zeros(len(sessions), bool)
    converted[tracks.loc[tracks["event"] == "form_submitted", "session"].to_numpy()] = True
    return Web(
        tables={"segment/pages": page_table, "segment/identifies": identifies,
                "segment/tracks": track_table},
        sessions=_session_truth(sessions, pages, converted, anonymous_id, ads),
        form_fills=form_fills,
        pricing_visits=pd.DataFrame({"lead_idx": lead_idx[pv], "t": pt})[
            (pt >= identify_at[pv]) & (path == PATH["/pricing"])],
        paid_landings=pd.DataFrame({"campaign": sessions["campaign"][is_paid & kept],
                                    "day": sessions["start"][is_paid & kept] // DAY}),
        paid_leads=pd.DataFrame({
            "campaign": lead_sessions["campaign"],
            "day": visitors["anchor_time"].to_numpy()[lead_sessions["visitor"]] // DAY}),
        first_visits=pd.Series(pt[known_page]).groupby(lead_idx[pv][known_page]).min(),
    )


def _page_table(rng, pages, sessions, ads, t_end, anonymous_id, ip, tz, user_ids) -> pa.Table:
    """segment/pages (its own function: the per-page temporaries go when it returns)."""
    pv, ps, pt = (pages[c].to_numpy() for c in ("visitor", "session", "t"))
    path = pages["path"].to_numpy()
    landing = pages["k"].to_numpy() == 0
    channel = sessions["channel"].to_numpy()[ps]
    # UTM parameters on landing pages: keys 0..len(ads)-1 the ad campaigns, then email ones
    utm = [(UTM_SOURCE[a.platform], UTM_MEDIUM[a.platform], a.name) for a in ads]
    utm += [("marketo", "email", name) for name in N.EMAIL_UTM_CAMPAIGNS]
    key = np.where(landing, sessions["campaign"].to_numpy()[ps], -1)
    email = landing & (channel == CH["email"])
    key[email] = len(ads) + rng.integers(0, len(N.EMAIL_UTM_CAMPAIGNS), int(email.sum()))
    no_utm = key < 0

    def utm_part(i: int) -> pa.Array:
        return _coded(np.maximum(key, 0), pa.array([u[i] for u in utm]), null=no_utm)

    # every URL is a path and a query (the last one empty): code path * queries + query
    queries = [f"?utm_source={s}&utm_medium={m}&utm_campaign={c}" for s, m, c in utm] + [""]
    urls = pa.array([N.SITE + p + q for p in PATHS for q in queries])
    url = path * len(queries) + np.where(no_utm, len(utm), key)
    # the referrer: where a landing came from, else the previous page's URL
    landing_referrer = _landing_referrer(rng, channel, key, ads)
    referrer = np.where(landing, landing_referrer, len(REFERRERS) + np.r_[0, url[:-1]])
    no_referrer = np.where(landing, landing_referrer < 0, np.arange(len(pages)) == 0)
    return pa.table({
        "id": uuids(rng, len(pages)),
        "anonymous_id": _coded(pv, anonymous_id),
        "user_id": user_ids(pv, pt),
        "timestamp": iso_with_offset(pt, tz[pv]),
        "received_at": pa.array(np.minimum(pt + rng.integers(50, 3000, len(pages)) * 1000,
                                           t_end).view("datetime64[us]")),
        "path": _coded(path, pa.array(PATHS)),
        "url": _coded(url, urls),
        "referrer": _coded(np.maximum(referrer, 0), pa.concat_arrays([pa.array(REFERRERS), urls]),
                           null=no_referrer),
        "title": _coded(path, pa.array([title for title, _ in N.PAGES.values()])),
        "context_campaign_source": utm_part(0),
        "context_campaign_medium": utm_part(1),
        "context_campaign_name": utm_part(2),
        "context_ip": _coded(pv, ip),
    })


def _landing_referrer(rng, channel: np.ndarray, key: np.ndarray, ads) -> np.ndarray:
    """Where a landing came from (index into `REFERRERS`): a search engine, a referring site,
    the ad platform, or nothing (-1: direct, email)."""
    n = len(channel)
    n_search, n_sites = len(N.SEARCH_REFERRERS), len(N.REFERRAL_SITES)
    code = np.full(n, -1)
    code = np.where(channel == CH["organic"], rng.integers(0, n_search, n), code)
    code = np.where(channel == CH["referral"], n_search + rng.integers(0, n_sites, n), code)
    platform = np.array([a.platform for a in ads] + [""])[np.where(key < len(ads), key, -1)]
    social = {"google_ads": 0, "linkedin_ads": 1, "facebook_ads": 2}
    for name, offset in social.items():
        code = np.where((platform == name) & (key >= 0), n_search + n_sites + offset, code)
    return code


def _coded(codes: np.ndarray, values: pa.Array, null: np.ndarray | None = None) -> pa.Array:
    """`values` taken at `codes` (null where `null`), kept dictionary-encoded: a page's strings
    repeat (its visitor's id and IP, a few thousand URLs), and millions of pages stay small
    until the writer decodes them, one row group at a time."""
    width = next(t for t in (np.int8, np.int16, np.int32) if len(values) <= np.iinfo(t).max)
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(width), mask=null), values)


def _session_truth(sessions, pages, converted, anonymous_id, ads) -> pd.DataFrame:
    ps = pages["session"].to_numpy()
    first = np.flatnonzero(np.r_[True, ps[1:] != ps[:-1]])
    last = np.r_[first[1:] - 1, len(ps) - 1]
    session = ps[first]
    names = np.array([a.name for a in ads] + [None], dtype=object)
    truth = pd.DataFrame({
        "anonymous_id": anonymous_id.take(sessions["visitor"].to_numpy()[session]).to_pandas(),
        "session_start": pages["t"].to_numpy()[first],
        "session_end": pages["t"].to_numpy()[last],
        "page_count": last - first + 1,
        # categorical: one byte per session, not a fixed-width string array on the way
        "landing_path": pd.Categorical.from_codes(pages["path"].to_numpy()[first], PATHS),
        "channel": pd.Categorical.from_codes(sessions["channel"].to_numpy()[session], CHANNELS),
        "utm_campaign": names[sessions["campaign"].to_numpy()[session]],
        "has_form_fill": converted[session],
    })
    truth["is_bounce"] = truth["page_count"] == 1
    return truth


_DIGITS2 = np.array([list(f"{i:02d}".encode()) for i in range(100)], np.uint8)
_DIGITS3 = np.array([list(f"{i:03d}".encode()) for i in range(1000)], np.uint8)
_OFFSETS = np.array([list(f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}".encode())
                     for m in range(-720, 841, 15)], np.uint8)


def iso_with_offset(utc_us: np.ndarray, zones: np.ndarray) -> pa.Array:
    """ISO-8601 text in each visitor's local time with its UTC offset ('…T11:04:05.123+01:00'),
    built from digit lookup tables (millions of rows)."""
    local = np.asarray(utc_us, dtype=np.int64).copy()
    for code, zone in enumerate(ZONES):
        rows = np.flatnonzero(zones == code)
        stamps = pd.DatetimeIndex(local[rows].view("datetime64[us]")).tz_localize("UTC")
        local[rows] = stamps.tz_convert(zone).tz_localize(None).as_unit("us").asi8
    offset = (local - utc_us) // MINUTE
    ms = local // 1000
    day = ms // 86_400_000
    first = int(day.min()) if len(day) else 0
    days = np.arange(first, (int(day.max()) if len(day) else first) + 1).astype("datetime64[D]")
    dates = np.frombuffer("".join(f"{d}T" for d in days).encode(), np.uint8).reshape(-1, 11)
    in_day = ms - day * 86_400_000
    seconds = in_day // 1000
    chars = np.empty((len(ms), 29), np.uint8)  # filled in place: millions of rows
    for column, part in ((0, dates[day - first]), (11, _DIGITS2[seconds // 3600]),
                         (14, _DIGITS2[seconds // 60 % 60]), (17, _DIGITS2[seconds % 60]),
                         (20, _DIGITS3[in_day % 1000]), (23, _OFFSETS[(offset + 720) // 15])):
        chars[:, column:column + part.shape[1]] = part
    chars[:, [13, 16]], chars[:, 19] = ord(":"), ord(".")
    return ascii_strings(chars)
