"""An independent oracle for sales activity and lead prioritisation (catalogue section 2).

It reads only the generator's truth folder (`truth/*.parquet` and the clean raw tables under
`truth/clean/`), never our tables or seeds: the default weights and rules of the seeds
`lead_score_weights` and `lead_grade_rules` are written out again here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pandas as pd

from funnel_oracle import stage_entries
from identity_oracle import visitor_emails

# lead_score_weights defaults: event type -> (source, points, half-life in days)
WEIGHTS = {
    "page_view": ("web", 1.0, 30.0),
    "pricing_page_view": ("web", 10.0, 30.0),
    "demo_page_view": ("web", 10.0, 30.0),
    "email_open": ("email", 2.0, 30.0),
    "email_click": ("email", 5.0, 30.0),
    "form_fill": ("form", 25.0, 60.0),
}
PAGE_EVENT_TYPES = {"/pricing": "pricing_page_view", "/demo": "demo_page_view"}

# lead_grade_rules defaults
INDUSTRY_POINTS = {"Technology": 30, "Financial Services": 25, "Professional Services": 20,
                   "Manufacturing": 15, "Logistics": 10, "Healthcare": 10, "Retail": 5}
SIZE_POINTS = [("50-249", 50, 249, 15), ("250-999", 250, 999, 25),
               ("1000+", 1000, 999_999_999, 20)]
TITLE_POINTS = {"chief": 25, "vp": 25, "head": 20, "director": 20, "ceo": 20,
                "revenue operations": 20, "cfo": 15, "demand generation": 15, "manager": 10,
                "lead": 10, "controller": 5, "analyst": 5, "specialist": 5}
COUNTRY_POINTS = {"Germany": 15, "Austria": 15, "Switzerland": 15, "United Kingdom": 10,
                  "Netherlands": 10, "Ireland": 10, "United States": 5, "France": 5}
GRADES = [("A", 70), ("B", 50), ("C", 30), ("D", 0)]
OPEN_STAGES = {"lead", "mql", "sql"}

Key = tuple[str, str, dt.date, str, str]
Row = tuple[float | None, float | None, float | None]


def _clean(truth: Path, source: str, table: str) -> pd.DataFrame:
    return pd.read_parquet(truth / "clean" / source / f"{table}.parquet")


def _month(ts: pd.Timestamp) -> dt.date:
    return dt.date(ts.year, ts.month, 1)


def _week(ts: pd.Timestamp) -> dt.date:
    day = ts.date()
    return day - dt.timedelta(days=day.weekday())


def _dim(value) -> str:
    return "unknown" if value is None or pd.isna(value) else str(value)


# ---- sales activities ----------------------------------------------------------------------

def activities(truth: Path) -> pd.DataFrame:
    """Tasks and events with type, rep, time and linked opportunity (what_id, else the
    opportunity the who_id lead or contact was converted into)."""
    tasks = _clean(truth, "salesforce", "task")
    events = _clean(truth, "salesforce", "event")
    leads = _clean(truth, "salesforce", "lead")
    opportunity_ids = set(_clean(truth, "salesforce", "opportunity")["id"])
    frame = pd.concat([
        pd.DataFrame({"type": tasks["task_subtype"].str.lower(), "rep": tasks["owner_id"],
                      "who_id": tasks["who_id"], "what_id": tasks["what_id"],
                      "at": pd.to_datetime(tasks["activity_date"])}),
        pd.DataFrame({"type": events["type"].str.lower(), "rep": events["owner_id"],
                      "who_id": events["who_id"], "what_id": events["what_id"],
                      "at": events["start_date_time"]}),
    ], ignore_index=True)
    converted = leads[leads["converted_opportunity_id"].notna()]
    person_opportunity = dict(zip(converted["id"], converted["converted_opportunity_id"]))
    with_contact = converted[converted["converted_contact_id"].notna()]
    person_opportunity.update(
        with_contact.groupby("converted_contact_id")["converted_opportunity_id"].min().to_dict())
    frame["opportunity_id"] = [
        what if what in opportunity_ids else person_opportunity.get(who)
        for what, who in zip(frame["what_id"], frame["who_id"])
    ]
    return frame


def sales_activity_kpis(truth: Path) -> dict[Key, Row]:
    acts = activities(truth)
    leads = _clean(truth, "salesforce", "lead")
    work = pd.concat([
        acts[["type", "rep", "at"]],
        pd.DataFrame({"type": "prospect_registered", "rep": leads["owner_id"],
                      "at": leads["created_date"]}),
    ], ignore_index=True)
    counts: dict[Key, int] = defaultdict(int)
    for kind, rep, at in zip(work["type"], work["rep"], work["at"]):
        for grain, start in (("month", _month(at)), ("week", _week(at))):
            for dim, value in (("all", "all"), ("rep", _dim(rep)), ("type", _dim(kind))):
                counts[("sales_activities", grain, start, dim, value)] += 1
    result: dict[Key, Row] = {k: (float(n), float(n), None) for k, n in counts.items()}

    opportunities = pd.read_parquet(truth / "opportunities.parquet")
    won = opportunities[opportunities["outcome"] == "won"]
    per_opportunity = acts["opportunity_id"].dropna().value_counts().to_dict()
    totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for opportunity, rep, closed in zip(won["opportunity_id"], won["owner_id"], won["closed_at"]):
        for dim, value in (("all", "all"), ("rep", _dim(rep))):
            total = totals[("activities_per_opportunity", "month", _month(closed), dim, value)]
            total[0] += per_opportunity.get(opportunity, 0)
            total[1] += 1
    for key, (n_activities, n_won) in totals.items():
        result[key] = (n_activities / n_won, float(n_activities), float(n_won))
    return result


# ---- lead score and grade ------------------------------------------------------------------

def engagement_events(truth: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    """(lead_id, event_type, at) of every scored event up to `as_of`."""
    leads = _clean(truth, "salesforce", "lead")
    leads = pd.DataFrame({"lead_id": leads["id"], "email": leads["email"].str.strip().str.lower()})
    # the anonymous id's latest identify names its person (identity_oracle)
    identifies = visitor_emails(truth).rename_axis("anonymous_id").reset_index()
    pages = _clean(truth, "segment", "pages")
    pages = pd.DataFrame({
        "anonymous_id": pages["anonymous_id"],
        "event_type": pages["path"].str.lower().map(PAGE_EVENT_TYPES).fillna("page_view"),
        "at": pd.to_datetime(pages["timestamp"], utc=True, format="ISO8601").dt.tz_localize(None),
    })
    web = leads.merge(identifies, on="email").merge(pages, on="anonymous_id")

    marketo_leads = _clean(truth, "marketo", "lead")[["id", "sfdc_lead_id"]]
    marketo = []
    for table, event_type in (("activity_open_email", "email_open"),
                              ("activity_click_email", "email_click"),
                              ("activity_fill_out_form", "form_fill")):
        activity = _clean(truth, "marketo", table)
        marketo.append(pd.DataFrame({"id": activity["lead_id"], "event_type": event_type,
                                     "at": activity["activity_date"]}))
    marketo_events = pd.concat(marketo).merge(marketo_leads, on="id")
    marketo_events = marketo_events[marketo_events["sfdc_lead_id"].isin(set(leads["lead_id"]))]
    events = pd.concat([
        web[["lead_id", "event_type", "at"]],
        marketo_events.rename(columns={"sfdc_lead_id": "lead_id"})[
            ["lead_id", "event_type", "at"]],
    ], ignore_index=True)
    events = events[events["at"] <= as_of].copy()
    age_days = (as_of - events["at"]) / pd.Timedelta(microseconds=1) / 86_400_000_000.0
    points = events["event_type"].map(lambda t: WEIGHTS[t][1])
    half_life = events["event_type"].map(lambda t: WEIGHTS[t][2])
    events["source"] = events["event_type"].map(lambda t: WEIGHTS[t][0])
    events["points"] = points * 2.0 ** (-age_days / half_life)
    return events


def lead_scores(truth: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per lead: score, per-source points, top event type and its count."""
    lead_ids = _clean(truth, "salesforce", "lead")["id"]
    events = engagement_events(truth, as_of)
    totals = events.groupby("lead_id")["points"].sum()
    by_source = events.pivot_table(index="lead_id", columns="source", values="points",
                                   aggfunc="sum", fill_value=0.0)
    by_type = (events.groupby(["lead_id", "event_type"])["points"]
               .agg(["sum", "count"]).reset_index())
    by_type = by_type.sort_values(["lead_id", "sum", "event_type"], ascending=[True, False, True])
    top = by_type.drop_duplicates("lead_id").set_index("lead_id")
    frame = pd.DataFrame({"lead_id": lead_ids}).set_index("lead_id")
    frame["score"] = totals.reindex(frame.index).fillna(0.0)
    for source in ("web", "email", "form"):
        column = by_source[source] if source in by_source else pd.Series(dtype=float)
        frame[f"{source}_points"] = column.reindex(frame.index).fillna(0.0)
    frame["top_event_type"] = top["event_type"].reindex(frame.index)
    frame["top_event_count"] = top["count"].reindex(frame.index)
    return frame


def lead_grades(truth: Path) -> pd.DataFrame:
    """One row per lead: fit points, grade (None when ungradable) and the matched rules."""
    rows = []
    for lead in _clean(truth, "salesforce", "lead").itertuples(index=False):
        matched = {}
        if pd.notna(lead.industry):
            industry = lead.industry.strip().lower()
            hit = {k: v for k, v in INDUSTRY_POINTS.items() if k.lower() == industry}
            if hit:
                matched["industry"] = _best(hit)
        if pd.notna(lead.number_of_employees):
            hit = {label: p for label, low, high, p in SIZE_POINTS
                   if low <= lead.number_of_employees <= high}
            if hit:
                matched["company_size"] = _best(hit)
        if pd.notna(lead.title):
            hit = {k: v for k, v in TITLE_POINTS.items() if k in lead.title.lower()}
            if hit:
                matched["title_keyword"] = _best(hit)
        if pd.notna(lead.country):
            country = lead.country.strip().lower()
            hit = {k: v for k, v in COUNTRY_POINTS.items() if k.lower() == country}
            if hit:
                matched["country"] = _best(hit)
        fit = float(sum(points for _, points in matched.values()))
        gradable = any(pd.notna(v) for v in (lead.industry, lead.number_of_employees,
                                              lead.title, lead.country))
        grade = next((g for g, threshold in GRADES if fit >= threshold), None) if gradable else None
        threshold = dict(GRADES).get(grade)
        rules = ", ".join(f"{kind}:{matched[kind][0]}" for kind in sorted(matched)) or None
        rows.append({"lead_id": lead.id, "fit_points": fit, "grade": grade,
                     "grade_min_fit_points": threshold, "matched_rules": rules})
    return pd.DataFrame(rows).set_index("lead_id")


def _best(hits: dict[str, float]) -> tuple[str, float]:
    """The matching rule with the most points, the first by value among equals."""
    return min(hits.items(), key=lambda kv: (-kv[1], kv[0]))


# ---- priority queue and its KPIs -----------------------------------------------------------

def open_leads(truth: Path) -> pd.DataFrame:
    """Leads whose latest stage entry is lead, mql or sql, with their owner."""
    current = {lead: entries[-1][1] for lead, entries in stage_entries(truth).items()}
    leads = pd.read_parquet(truth / "leads.parquet").set_index("lead_id")
    ids = [lead for lead, stage in current.items() if stage in OPEN_STAGES]
    return pd.DataFrame({"owner_id": leads["owner_id"].reindex(ids),
                         "current_stage": [current[i] for i in ids]}, index=ids)


def priority_queue(truth: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    queue = open_leads(truth).join(lead_scores(truth, as_of)).join(lead_grades(truth))
    queue["lead_id"] = queue.index
    queue["threshold_key"] = queue["grade_min_fit_points"].fillna(-float("inf"))
    queue = queue.sort_values(["threshold_key", "score", "fit_points", "lead_id"],
                              ascending=[False, False, False, True])
    queue["priority_rank"] = range(1, len(queue) + 1)
    queue["priority_reason"] = [
        ("grade " + g if isinstance(g, str) else "ungraded") + f", score {round(s, 1)}"
        + (f": mostly {t} ({int(n)} events)" if isinstance(t, str) else ": no engagement")
        for g, s, t, n in zip(queue["grade"], queue["score"], queue["top_event_type"],
                              queue["top_event_count"])
    ]
    return queue


def prioritisation_kpis(truth: Path, as_of: pd.Timestamp) -> dict[Key, Row]:
    queue = priority_queue(truth, as_of)
    day = as_of.date()
    covered = (queue["score"] > 0) & queue["grade"].notna()
    result: dict[Key, Row] = {}
    groups = [("all", "all", queue.index)] + [
        ("rep", _dim(rep), group.index) for rep, group in queue.groupby(
            queue["owner_id"].fillna("unknown"))]
    for dim, value, index in groups:
        n = len(index)
        hits = float(covered.loc[index].sum())
        total = float(queue.loc[index, "score"].sum())
        result[("priority_coverage", "snapshot", day, dim, value)] = (hits / n, hits, float(n))
        result[("lead_score", "snapshot", day, dim, value)] = (total / n, total, float(n))
    n = len(queue)
    graded = float(queue["grade"].notna().sum())
    result[("lead_grade", "snapshot", day, "all", "all")] = (graded / n, graded, float(n))
    for grade, count in queue["grade"].fillna("unknown").value_counts().items():
        result[("lead_grade", "snapshot", day, "grade", grade)] = (
            count / n, float(count), float(n))
    return result
