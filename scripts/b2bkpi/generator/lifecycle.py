"""State machines of a lead, an opportunity and a subscription, one entity at a time.

Each path is a generator of steps with waits; the caller adds the waits to the entity's clock and
stops at the range's end, so nothing after `end` is ever produced and the unused tail of an
entity's draws is simply not consumed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from b2bkpi.generator import params as P
from b2bkpi.generator.core import DAY, HOUR, SECOND, Draws, day_us

OPEN = "Open - Not Contacted"
WORKING = "Working - Contacted"
NURTURING = "Nurturing"
MQL = "Marketing Qualified"
SALES_ACCEPTED = "Sales Accepted"
SALES_QUALIFIED = "Sales Qualified"
DISQUALIFIED = "Disqualified"
CONVERTED = "Closed - Converted"
NOT_CONVERTED = "Closed - Not Converted"
WON, LOST = "Closed Won", "Closed Lost"


# ---- leads -----------------------------------------------------------------------------------
def lead_path(d: Draws, p_mql: float):
    """Yields (status, wait in days, disqualification reason) from 'Open - Not Contacted'."""
    if d.u() < P.P_DIRECT_SQL:  # created by sales, accepted at once
        yield from _sql_path(d, d.days(*P.WAIT_DIRECT_SQL))
        return
    if d.u() >= P.P_CONTACTED:
        if d.u() < P.P_CLOSE_UNCONTACTED:
            yield NOT_CONVERTED, d.days(*P.WAIT_CLOSE), None
        return
    yield WORKING, d.days(*P.WAIT_CONTACT), None
    r = d.u()
    if r < P.P_DQ_EARLY:
        yield DISQUALIFIED, d.days(*P.WAIT_DQ_EARLY), d.pick(P.EARLY_DQ_REASONS)
        return
    if r < P.P_DQ_EARLY + P.P_SKIP_TO_SQL:  # demo request: sales accepts without an MQL
        if (yield from _sql_path(d, d.days(*P.WAIT_MQL_DECISION))) != NURTURING:
            return
        if d.u() >= P.P_REQUALIFY:
            return
        # recycled before ever being an MQL: its first MQL comes after its first SQL
        wait = d.days(*P.WAIT_NURTURE_TO_MQL)
    elif d.u() < p_mql:
        wait = d.days(*P.WAIT_TO_MQL)
    else:
        r = d.u()
        if r < P.P_NURTURE_UNQUALIFIED:
            yield NURTURING, d.days(*P.WAIT_TO_NURTURE), None
            if d.u() >= P.P_LATE_MQL:
                return
            wait = d.days(*P.WAIT_NURTURE_TO_MQL)
        else:
            if r < P.P_NURTURE_UNQUALIFIED + P.P_CLOSE_UNQUALIFIED:
                yield NOT_CONVERTED, d.days(*P.WAIT_CLOSE), None
            return
    for _ in range(P.MAX_MQL_CYCLES):
        yield MQL, wait, None
        r = d.u()
        if r < P.P_ACCEPT:
            if (yield from _sql_path(d, d.days(*P.WAIT_MQL_DECISION))) != NURTURING:
                return
        elif r < P.P_ACCEPT + P.P_REJECT:
            yield DISQUALIFIED, d.days(*P.WAIT_MQL_DECISION), d.pick(P.MQL_REJECT_REASONS)
            return
        elif r < P.P_ACCEPT + P.P_REJECT + P.P_RECYCLE_MQL:
            yield NURTURING, d.days(*P.WAIT_MQL_DECISION), None
        else:
            return  # still waiting for sales at the end
        if d.u() >= P.P_REQUALIFY:
            return
        wait = d.days(*P.WAIT_NURTURE_TO_MQL)


def _sql_path(d: Draws, wait: float):
    """From acceptance by sales; returns the last status reached."""
    yield SALES_ACCEPTED, wait, None
    if d.u() < P.P_SALES_QUALIFIED:
        yield SALES_QUALIFIED, d.days(*P.WAIT_SA_TO_SQ), None
    r, wait = d.u(), d.days(*P.WAIT_SQL_DECISION)
    for status, share in ((CONVERTED, P.P_CONVERT), (DISQUALIFIED, P.P_SQL_DQ),
                          (NURTURING, P.P_SQL_RECYCLE), (NOT_CONVERTED, P.P_SQL_CLOSE)):
        if r < share:
            yield status, wait, d.pick(P.SQL_DQ_REASONS) if status == DISQUALIFIED else None
            return status
        r -= share
    return SALES_QUALIFIED


def run_path(steps, t0: int, t_end: int) -> list[tuple[str, int, str | None]]:
    """(status, time, reason) of every step that happens by `t_end`, times in whole seconds."""
    events, t = [], t0
    for status, wait, reason in steps:
        t = _after(t, wait)
        if t > t_end:
            break
        events.append((status, t, reason))
    return events


# ---- opportunities ---------------------------------------------------------------------------
@dataclass
class Opp:
    """An opportunity as its history rows: (stage, time, amount, expected close day in µs)."""

    type: str
    created: int
    rows: list = field(default_factory=list)
    loss_reason: str | None = None

    def add(self, stage: str, t: int, amount: float, close_day: int) -> None:
        self.rows.append((stage, t, amount, close_day))

    @property
    def stage(self) -> str:
        return self.rows[-1][0]

    @property
    def closed_at(self) -> int | None:
        return next((t for stage, t, *_ in self.rows if stage in (WON, LOST)), None)


def new_business(d: Draws, created: int, amount: float, t_end: int) -> Opp:
    """Stage by stage from 'Prospecting'; a chance of loss at every stage, else won at the end."""
    opp = Opp("New Business", created)
    expected = _day(created) + int(d.days(60, 0.4)) * DAY
    opp.add(P.OPEN_STAGES[0], created, amount, expected)
    t = created
    for stage in (*P.OPEN_STAGES[1:], WON):
        t = _after(t, d.days(*P.WAIT_STAGE))
        lost = stage != WON and d.u() < P.P_STAGE_LOSS
        if t > t_end:
            break
        if lost:
            opp.loss_reason = d.pick(P.LOSS_REASONS)
            opp.add(LOST, t, amount, _day(t))
            break
        if stage == WON:
            opp.add(WON, t, amount, _day(t))
            break
        if d.u() < P.P_STAGE_SKIP:
            continue
        expected = max(expected, _day(t) + 14 * DAY)
        opp.add(stage, t, amount, expected)
        if d.u() < P.P_AMOUNT_CHANGE:  # a revised quote within the stage
            t_change = _after(t, d.days(2, 0.5))
            if t_change <= t_end:
                amount = round(amount * (0.8 + 0.4 * d.u()), -2)
                opp.add(stage, t_change, amount, expected)
                t = t_change
    return opp


def _anchored(opp_type: str, created: int, closed: int, amount: float, won: bool,
              stages: tuple[str, ...], d: Draws, t_end: int) -> Opp:
    """An opportunity whose close time is known up front (renewals, expansions)."""
    opp = Opp(opp_type, created)
    for i, stage in enumerate(stages):
        t = created + (closed - created) * i // len(stages)
        t -= t % SECOND
        if t > t_end:
            return opp
        opp.add(stage, t, amount, _day(closed))
    if closed <= t_end:
        if not won:
            opp.loss_reason = d.pick(P.LOSS_REASONS)
        opp.add(WON if won else LOST, closed, amount, _day(closed))
    return opp


def _day(t: int) -> int:
    return t - t % DAY


# ---- subscriptions ---------------------------------------------------------------------------
@dataclass
class Contract:
    start: date
    end: date
    term: int
    annual_value: float
    status: str = "Activated"


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def subscription(d: Draws, start: date, acv: float, abm: bool, range_start: date,
                 range_end: date, add_ons: list[tuple[date, float]] = ()
                 ) -> tuple[list[Contract], list[Opp], list[tuple[date, float]]]:
    """Contracts and renewal/expansion opportunities of one subscription, in the account's currency.

    Renewals and expansions before the range are assumed (no opportunity); contracts ending more
    than a year before it are closed out as 'Expired' (older ones still count for a year-ago
    retention base); churn is a lost renewal. Nothing starts after the range. `add_ons` (signed
    day, annual value; sorted) are later deals of the same account: one signed while a contract
    runs is co-termed with it and renewed with the rest, as an expansion; the ones signed after
    the subscription ended are returned (the account comes back with a new subscription).
    """
    t_start, t_end = day_us(range_start), day_us(range_end) + DAY - 1
    contracts, opps, add_ons = [], [], list(add_ons)
    while start <= range_end:
        term = d.pick(P.CONTRACT_TERMS)
        end = add_months(start, term) - timedelta(days=1)
        closed_out = end < range_start - timedelta(days=366)
        contracts.append(Contract(start, end, term, acv, "Expired" if closed_out else "Activated"))
        expansion = 0.0
        while add_ons and add_ons[0][0] <= end:
            signed, amount = add_ons.pop(0)
            contracts.append(Contract(signed, end, max(1, round((end - signed).days / 30.44)),
                                      amount))
            expansion += amount
        for year in range(term // 12):
            if d.u() >= P.P_EXPANSION_PER_YEAR:
                continue
            created = _after(day_us(start) + 9 * HOUR, (year + d.u()) * 365)
            closed = _after(created, d.days(30, 0.5))
            low, high = P.EXPANSION_SHARE_OF_ACV
            amount = round(acv * (low + (high - low) * d.u()), -2)
            won = d.u() < P.P_EXPANSION_WIN
            kind = "Upsell" if d.u() < 0.5 else "Cross-sell"
            if not t_start <= created <= t_end or closed >= day_us(end):
                continue
            opps.append(_anchored(kind, created, closed, amount, won,
                                  ("Prospecting", "Needs Analysis", "Proposal/Price Quote"), d, t_end))
            if won and closed <= t_end:  # co-termed with the running contract
                signed = as_date(closed)
                contracts.append(Contract(signed, end, max(1, round((end - signed).days / 30.44)),
                                          amount))
                expansion += amount
        renewal_at = _after(day_us(end) + 10 * HOUR, -(45 + 45 * d.u()))
        renewed_acv = round((acv + expansion) * (1 + P.RENEWAL_UPLIFT_MAX * d.u()), -2)
        won = d.u() < (P.P_RENEW_ABM if abm else P.P_RENEW)
        late = d.u() < 0.10
        closed = max(_after(day_us(end) + 15 * HOUR, 1 + 29 * d.u() if late else -25 * d.u()),
                     renewal_at + DAY)
        next_start = end + timedelta(days=1)
        if renewal_at > t_end:
            break
        if renewal_at >= t_start:
            opps.append(_anchored("Renewal", renewal_at, closed, renewed_acv, won,
                                  ("Prospecting", "Proposal/Price Quote", "Negotiation/Review"),
                                  d, t_end))
            if closed > t_end:
                if next_start <= range_end:  # a late renewal still negotiated: draft contract
                    contracts.append(Contract(next_start, add_months(next_start, 12)
                                              - timedelta(days=1), 12, renewed_acv, "Draft"))
                break
            if not won:
                break
        start, acv = next_start, renewed_acv
    return contracts, opps, add_ons


def _after(t: int, days: float) -> int:
    """`t` plus a number of days, in whole seconds."""
    return t + int(days * 86_400) * SECOND


def as_date(t: int) -> date:
    return date(1970, 1, 1) + timedelta(days=t // DAY)
