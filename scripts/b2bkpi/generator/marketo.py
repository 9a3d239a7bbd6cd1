"""Marketo: a Marketo lead per Salesforce lead, programs and smart campaigns, email sends with
their deliveries, bounces, opens, clicks and unsubscribes, form fills and score changes.

Sends go out in time order so that an unsubscribe or a hard bounce stops later sends; every
activity follows the one it depends on (no open without a delivery, no click without an open).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from b2bkpi.generator import lifecycle as lc
from b2bkpi.generator import names as N
from b2bkpi.generator import params as P
from b2bkpi.generator.core import DAY, HOUR, MINUTE, NULL_TS, SECOND, Sim, day_us, to_date

LEAD_ID_BASE = 1_000_001
FORM_IDS = {"contact": 1001, "demo": 1002, "content": 1003}
EMAIL_TABLES = ("activity_send_email", "activity_email_delivered", "activity_email_bounced",
                "activity_open_email", "activity_click_email", "activity_unsubscribe_email")


def build(sim: Sim, people: pd.DataFrame, status_events: pd.DataFrame, form_fills: pd.DataFrame,
          pricing_visits: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The Marketo tables and the clean email counts per send (truth)."""
    rng = sim.rng("marketo")
    programs, campaigns, sends = _programs(sim)
    created = np.where(people["web"], people["t_form"], np.minimum(
        people["created"] + rng.integers(1, 30, len(people)) * MINUTE, sim.t_end))
    activities = _email_activities(sim, rng, people, status_events, created, sends)
    form_campaign = {form: campaigns.loc[campaigns["name"] == name, "id"].iat[0] for form, name in
                     (("contact", "Contact Us Form"), ("demo", "Demo Request Form"),
                      ("content", "Content Download Form"))}
    scoring_campaign = campaigns.loc[campaigns["name"] == "Behavior Scoring", "id"].iat[0]
    activities["activity_fill_out_form"] = pd.DataFrame({
        "lead_idx": form_fills["lead_idx"].to_numpy(), "t": form_fills["t"].to_numpy(),
        "campaign_id": form_fills["form"].map(form_campaign).to_numpy(),
        "webform_id": form_fills["form"].map(FORM_IDS).to_numpy(),
        "referrer_url": form_fills["url"].to_numpy()})
    scores = _score_changes(activities, form_fills, pricing_visits, form_campaign, scoring_campaign)
    activities["activity_change_score"] = scores[scores["t"] <= sim.t_end].reset_index(drop=True)
    tables = _number_activities(activities)
    lead = _lead_table(sim, people, created, activities)
    truth = _email_counts(activities, campaigns, programs)
    return {"marketo/lead": lead, "marketo/program": programs, "marketo/campaign": campaigns,
            **{f"marketo/{name}": table for name, table in tables.items()}}, truth


def _programs(sim: Sim) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[int, int, int, str]]]:
    """Programs, smart campaigns and the send schedule (time, campaign, email, audience)."""
    programs, campaigns, sends = [], [], []
    setup = sim.t_start - 45 * DAY + 10 * HOUR

    def program(name, kind, channel, created, deleted=False) -> int:
        programs.append((1001 + len(programs), name, kind, channel, created, deleted))
        return programs[-1][0]

    def campaign(name, program_id, kind, created, deleted=False) -> int:
        campaigns.append((5001 + len(campaigns), name, program_id, kind, created, deleted))
        return campaigns[-1][0]

    forms = program("Website Forms", "Content", "Website", setup)
    for name in ("Contact Us Form", "Demo Request Form", "Content Download Form"):
        campaign(name, forms, "Trigger", setup)
    campaign("Behavior Scoring", forms, "Trigger", setup)
    nurture = program("Nurture - Early Stage", "Nurture", "Nurture", setup)
    stream = campaign("Nurture - Early Stage - Stream", nurture, "Batch", setup)
    email_id = 3001
    for year in range(sim.start.year, sim.end.year + 1):
        newsletter = program(f"Newsletter {year}", "Email", "Email Send",
                             max(setup, day_us(date(year, 1, 1)) - 20 * DAY))
        for month in pd.date_range(f"{year}-01-01", f"{year}-12-01", freq="MS"):
            tuesday = month + pd.Timedelta(days=(1 - month.day_of_week) % 7)
            t = int(tuesday.value // 1000) + 9 * HOUR
            if sim.t_start <= t <= sim.t_end:
                send = campaign(f"Newsletter {month:%Y-%m} - Send", newsletter, "Batch", t - 5 * DAY)
                sends.append((t, send, email_id, "newsletter"))
                email_id += 1
    for q, quarter in enumerate(pd.period_range(sim.start, sim.end, freq="Q")):
        label = f"{quarter.year}-Q{quarter.quarter}"
        first = int(quarter.start_time.value // 1000)
        for kind, offset, audience in (("Webinar", 20, "webinar"), ("Event", 45, "event")):
            t = first + offset * DAY + 8 * HOUR
            if not sim.t_start <= t <= sim.t_end:
                continue
            titles = N.WEBINAR_TOPICS if kind == "Webinar" else N.EVENTS
            title = titles[q % len(titles)]
            program_id = program(f"{kind} {label}: {title}", kind,
                                 "Webinar" if kind == "Webinar" else "Tradeshow", t - 14 * DAY)
            sends.append((t, campaign(f"{kind} {label} - Invite", program_id, "Batch", t - 7 * DAY),
                          email_id, audience))
            email_id += 1
    t = sim.t_start + 3 * DAY + 10 * HOUR
    while t <= sim.t_end:  # the nurture stream: a new email every two weeks
        sends.append((t, stream, email_id, "nurture"))
        email_id += 1
        t += 14 * DAY
    for k in range(2):  # deleted test assets, used by nothing
        deleted = program(f"Test program {k + 1}", "Email", "Email Send", setup + k * DAY, True)
        campaign(f"Test send {k + 1}", deleted, "Batch", setup + k * DAY, True)
    programs = pd.DataFrame(programs, columns=["id", "name", "type", "channel", "created_at",
                                               "_fivetran_deleted"])
    campaigns = pd.DataFrame(campaigns, columns=["id", "name", "program_id", "type", "created_at",
                                                 "_fivetran_deleted"])
    for table in (programs, campaigns):
        table["_modified"] = table["created_at"] + np.where(table["_fivetran_deleted"], 60 * DAY, 0)
    return programs, campaigns, sorted(sends)


def _email_activities(sim, rng, people, status_events, created, sends) -> dict[str, pd.DataFrame]:
    n = len(people)
    opted_in = rng.random(n) < P.P_OPTED_IN
    bad_email = rng.random(n) < P.P_BAD_EMAIL
    propensity = rng.beta(*P.OPEN_PROPENSITY, n)
    unsubscribed_at = np.full(n, np.iinfo(np.int64).max)
    invalid = np.zeros(n, bool)
    nurturing = status_events[status_events["status"] == lc.NURTURING]
    following = status_events.groupby("lead_idx")["t"].shift(-1).reindex(nurturing.index)
    spells = (nurturing["lead_idx"].to_numpy(), nurturing["t"].to_numpy(),
              following.fillna(sim.t_end).astype(np.int64).to_numpy())
    empty = pd.DataFrame({c: np.zeros(0, np.int64) for c in
                          ("lead_idx", "t", "campaign_id", "email_template_id", "send_t")})
    out = {name: [empty.assign(link="") if name == "activity_click_email" else empty]
           for name in EMAIL_TABLES}  # a range without sends still has (empty) tables
    for t_send, campaign, email, audience in sends:
        can = opted_in & (created < t_send) & (unsubscribed_at > t_send) & ~invalid
        if audience == "nurture":
            in_nurture = np.zeros(n, bool)
            active = (spells[1] <= t_send) & (spells[2] > t_send)
            in_nurture[spells[0][active]] = True
            can &= in_nurture
        elif audience in ("webinar", "event"):
            can &= rng.random(n) < (0.4 if audience == "webinar" else 0.3)
        who = np.flatnonzero(can)
        m = len(who)
        sent = t_send + rng.integers(0, 20 * 60, m) * SECOND
        bounced = bad_email[who] | (rng.random(m) < P.P_BOUNCE_GOOD_EMAIL)
        invalid[who[bounced & bad_email[who]]] = True  # a hard bounce marks the address invalid
        arrived = sent + rng.integers(1, 60, m) * SECOND
        delivered = ~bounced
        opened = delivered & (rng.random(m) < propensity[who])
        first_open = arrived + (np.minimum(rng.lognormal(np.log(3), 1.5, m), 14 * 24) * HOUR).astype(np.int64)
        reopen = opened & (rng.random(m) < P.P_REOPEN)
        second_open = first_open + (rng.lognormal(np.log(20), 1.0, m) * HOUR).astype(np.int64)
        clicked = opened & (rng.random(m) < P.P_CLICK_GIVEN_OPEN)
        click = first_open + rng.integers(5, 600, m) * SECOND
        unsubscribed = opened & (rng.random(m) < P.P_UNSUBSCRIBE / 0.25)
        unsubscribe = first_open + rng.integers(10, 300, m) * SECOND
        unsubscribed_at[who[unsubscribed]] = np.minimum(unsubscribed_at[who[unsubscribed]],
                                                        unsubscribe[unsubscribed])
        link = N.SITE + "/blog/b2b-funnel-metrics?utm_source=marketo&utm_medium=email"

        def rows(mask, t):
            return pd.DataFrame({"lead_idx": who[mask], "t": t[mask], "campaign_id": campaign,
                                 "email_template_id": email, "send_t": t_send})

        out["activity_send_email"].append(rows(np.ones(m, bool), sent))
        out["activity_email_bounced"].append(rows(bounced, arrived))
        out["activity_email_delivered"].append(rows(delivered, arrived))
        out["activity_open_email"] += [rows(opened, first_open), rows(reopen, second_open)]
        out["activity_click_email"].append(rows(clicked, click).assign(link=link))
        out["activity_unsubscribe_email"].append(rows(unsubscribed, unsubscribe))
    result = {}
    for name, parts in out.items():
        table = pd.concat(parts, ignore_index=True)
        result[name] = table[table["t"] <= sim.t_end].reset_index(drop=True)
    return result


def _score_changes(activities, form_fills, pricing_visits, form_campaign, scoring_campaign):
    """Score changes from forms, email clicks, pricing-page visits and unsubscribes, with the
    running score per lead (old and new values)."""
    points = P.SCORE_POINTS
    clicks = activities["activity_click_email"]
    unsubscribes = activities["activity_unsubscribe_email"]
    changes = pd.concat([
        pd.DataFrame({"lead_idx": form_fills["lead_idx"], "t": form_fills["t"] + SECOND,
                      "campaign_id": form_fills["form"].map(form_campaign),
                      "change_value": np.where(form_fills["form"] == "demo", points["demo"],
                                               points["form"]),
                      "reason": np.where(form_fills["form"] == "demo", "Requested a demo",
                                         "Filled out form")}),
        pd.DataFrame({"lead_idx": clicks["lead_idx"], "t": clicks["t"] + SECOND,
                      "campaign_id": clicks["campaign_id"], "change_value": points["click"],
                      "reason": "Clicked link in email"}),
        pd.DataFrame({"lead_idx": pricing_visits["lead_idx"], "t": pricing_visits["t"] + SECOND,
                      "campaign_id": scoring_campaign, "change_value": points["pricing"],
                      "reason": "Visited pricing page"}),
        pd.DataFrame({"lead_idx": unsubscribes["lead_idx"], "t": unsubscribes["t"] + SECOND,
                      "campaign_id": unsubscribes["campaign_id"], "change_value": points["unsubscribe"],
                      "reason": "Unsubscribed from email"}),
    ], ignore_index=True).sort_values(["lead_idx", "t"], kind="stable", ignore_index=True)
    changes["new_value"] = changes.groupby("lead_idx")["change_value"].cumsum()
    changes["old_value"] = changes["new_value"] - changes["change_value"]
    return changes


def _number_activities(activities: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Activity ids: one sequence across all activity types, in time order, as Marketo does."""
    names = sorted(activities)
    stacked = pd.concat([pd.DataFrame({"table": k, "row": np.arange(len(activities[name])),
                                       "t": activities[name]["t"].to_numpy(),
                                       "lead_idx": activities[name]["lead_idx"].to_numpy()})
                         for k, name in enumerate(names)], ignore_index=True)
    stacked = stacked.sort_values(["t", "table", "lead_idx", "row"], kind="stable", ignore_index=True)
    stacked["id"] = 100_000_001 + np.arange(len(stacked))
    tables = {}
    for k, name in enumerate(names):
        own = stacked[stacked["table"] == k].sort_values("row")
        table = activities[name].assign(id=own["id"].to_numpy())
        table = table.sort_values("id", ignore_index=True)
        tables[name] = table
        activities[name] = table
    return {name: _activity_columns(name, table) for name, table in tables.items()}


def _activity_columns(name: str, table: pd.DataFrame) -> pd.DataFrame:
    base = {"id": table["id"], "lead_id": LEAD_ID_BASE + table["lead_idx"],
            "activity_date": table["t"], "campaign_id": table["campaign_id"]}
    if name == "activity_fill_out_form":
        extra = {"webform_id": table["webform_id"], "referrer_url": table["referrer_url"]}
    elif name == "activity_change_score":
        extra = {column: table[column] for column in ("change_value", "old_value", "new_value", "reason")}
    else:
        extra = {"email_template_id": table["email_template_id"],
                 "primary_attribute_value_id": table["email_template_id"]}
        if name == "activity_click_email":
            extra["link"] = table["link"]
    return pd.DataFrame({**base, **extra, "_modified": table["t"]})


def _lead_table(sim, people, created, activities) -> pd.DataFrame:
    last_activity = pd.concat([table[["lead_idx", "t"]] for table in activities.values()]).groupby(
        "lead_idx")["t"].max().reindex(people.index).fillna(NULL_TS).astype(np.int64).to_numpy()
    scores = activities["activity_change_score"].groupby("lead_idx")["new_value"].last()
    unsubscribed = np.zeros(len(people), bool)
    unsubscribed[activities["activity_unsubscribe_email"]["lead_idx"].to_numpy()] = True
    converted = people["converted_at"].to_numpy() != NULL_TS
    updated = np.maximum.reduce([created, last_activity, people["converted_at"].to_numpy()])
    return pd.DataFrame({
        "id": LEAD_ID_BASE + people["idx"].to_numpy(), "email": people["email"].to_numpy(),
        "sfdc_lead_id": people["id"].to_numpy(),
        "sfdc_contact_id": np.where(converted, people["contact_id"], None),
        "sfdc_account_id": np.where(converted, people["account_id"], None),
        "created_at": created, "updated_at": updated,
        "lead_score": scores.reindex(people.index).fillna(0).astype(np.int64).to_numpy(),
        "unsubscribed": unsubscribed, "_modified": updated,
    })


def _email_counts(activities, campaigns, programs) -> pd.DataFrame:
    """Per send (campaign, email, send day): sent, delivered, bounced, unique opens and clicks,
    unsubscribes; deduplicated, the way the email KPIs count."""
    keys = ["campaign_id", "email_template_id", "send_t"]
    counts = {}
    for column, name, unique in (("sent", "activity_send_email", False),
                                 ("delivered", "activity_email_delivered", False),
                                 ("bounced", "activity_email_bounced", False),
                                 ("unique_opens", "activity_open_email", True),
                                 ("unique_clicks", "activity_click_email", True),
                                 ("unsubscribes", "activity_unsubscribe_email", True)):
        table = activities[name]
        counts[column] = (table.groupby(keys)["lead_idx"].nunique() if unique
                          else table.groupby(keys).size())
    truth = pd.DataFrame(counts).fillna(0).astype(np.int64).reset_index()
    program_of = campaigns.set_index("id")["program_id"]
    truth.insert(0, "program_id", program_of.reindex(truth["campaign_id"]).to_numpy())
    truth["send_date"] = to_date(truth["send_t"].to_numpy())
    return truth.drop(columns="send_t")[["program_id", "campaign_id", "email_template_id",
                                         "send_date", "sent", "delivered", "bounced",
                                         "unique_opens", "unique_clicks", "unsubscribes"]]
