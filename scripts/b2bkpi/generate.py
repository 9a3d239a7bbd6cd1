"""Generate a deterministic raw layer for a simulated B2B SaaS company, and its truth.

    python -m b2bkpi.generate --out data/raw --truth-out data/truth --seed 42 --leads 5000 \\
        --start 2024-01-01 --end 2025-12-31

Raw files follow the raw contract (`b2bkpi.raw_contract`): `<out>/<source>/<table>.parquet|csv`
for every contract table. The truth (`<truth-out>/*.parquet`, schemas in
`b2bkpi.generator.truth.SCHEMAS`) is what the marts must recover: leads, their status changes,
opportunities, accounts, contracts, daily ad spend, email sends, web sessions, the rows staging
must reject, and the expected row accounting per raw table.

The simulation (all rates and durations in `b2bkpi.generator.params`, which documents them):
- Salesforce: ~15 reps (6 SDRs, 9 AEs) plus managers and marketing users; accounts =
  max(20, leads / 8) in DE/FR/NL/ES/IT/AT/IE (EUR), US (USD), UK (GBP), CH (CHF), 10 % ABM
  targets, 12 % customers before the range. Leads come from seven channels with seasonality,
  weekday pattern and 30 %/year growth, and walk the status picklist: ~35 % reach MQL, ~half
  of MQLs become SQL, ~30 % are rejected with a reason, ~60 % of SQLs convert into a contact and
  a New Business opportunity (won ~30 % of closed ones). Leads skip stages, recycle to
  nurturing, qualify twice, and stay open at the end. Won deals and the existing base run
  subscriptions: 12–36 month contracts, renewals (87 %), upsells and cross-sells, churn.
- Marketo mirrors every lead, sends newsletters, nurture emails and invites (deliveries,
  bounces, opens, clicks, unsubscribes), records form fills and score changes.
- Segment: every web lead's device(s) plus 8 anonymous visitors per lead; sessions of several
  pages, UTM-tagged when paid (the ad campaigns' names) or from email; identify at lead creation.
- Ad platforms: daily stats follow the simulated paid sessions (Google in USD, LinkedIn in EUR,
  Facebook in GBP); renamed campaigns have 2–3 history versions.
- Exports: daily social stats, monthly finance costs (ads reconcile with the platforms), eNPS.
- Messiness a pipeline must undo: ~2 % re-sync duplicates (older versions for leads and
  opportunities), soft deletes, padded mixed-case emails, 5 % picklist casing, rejectable rows.

Daily mode (`--daily-increments N`): the same world, cut by load stamp into `<out>/base` (rows
landed before the range's last N days) and `<out>/day_1` .. `<out>/day_N` (rows landed on each
of those days: new rows, newer versions of earlier records, history rows, soft deletes and
late-arriving events); `b2bkpi.generator.daily` documents the rule. Load the base, then append
each day (`python -m b2bkpi.load <out>/day_1 --append`). The truth is the world at the end.

Deterministic: every random stream derives from the seed, every timestamp (including
`_fivetran_synced`) from the simulated clock; the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from b2bkpi.generator import ads, crm, daily, exports, hubspot, marketo, mess, output, truth, web
from b2bkpi.generator.core import Fx, Sim
from b2bkpi.generator.params import SAMPLE
from b2bkpi.raw_contract import CRMS, tables_for


class _Progress:
    def __init__(self, stream=sys.stderr):
        self.started = time.perf_counter()
        self.stream = stream

    def __call__(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:6.1f}s] {message}", file=self.stream, flush=True)


SAMPLE_START, SAMPLE_END = date.fromisoformat(SAMPLE["start"]), date.fromisoformat(SAMPLE["end"])


def generate(out_dir, truth_dir, seed: int = SAMPLE["seed"], n_leads: int = SAMPLE["leads"],
             start: date = SAMPLE_START, end: date = SAMPLE_END,
             log=None, daily_increments: int = 0, crm_name: str = "salesforce") -> dict[str, int]:
    """Write the raw layer and the truth; return the row count per raw table ('source/table').

    With `daily_increments` N > 0 the raw layer is written as `<out_dir>/base` and
    `<out_dir>/day_1` .. `day_N` (see `b2bkpi.generator.daily`); the counts are their totals.
    `crm_name` 'hubspot' writes the CRM as HubSpot's tables instead of Salesforce's
    (`b2bkpi.generator.hubspot`): the same company, the same truth, and the HubSpot id of each
    of its Salesforce ids (`truth/hubspot_ids`)."""
    if n_leads < 1:
        raise ValueError(f"the number of leads must be at least 1 (got {n_leads})")
    if end < start:
        raise ValueError(f"the end date {end} is before the start date {start}")
    contracts = tables_for(crm_name)
    if crm_name != "salesforce" and daily_increments:
        raise ValueError(f"daily increments are not written for the {crm_name} CRM yet")
    log = log or _Progress()
    out_dir, truth_dir = Path(out_dir), Path(truth_dir)
    sim = Sim(seed, n_leads, start, end)
    cut = daily.first_increment_us(sim, daily_increments) if daily_increments else None
    tables, truths, previous, rejects = _simulate(sim, log)
    if crm_name == "hubspot":
        rejects, ids = hubspot.export(sim, tables, previous, rejects)
        truths["expected_rejects"] = truth.expected_rejects(rejects)
        rows = output.write_truth(truth_dir, "hubspot_ids", ids, truth.HUBSPOT_IDS_SCHEMA)
        log(f"wrote the CRM as HubSpot; truth/hubspot_ids {rows:,} rows")
    # written as soon as possible and dropped: only the raw tables stay in memory
    for name in [n for n in truth.SCHEMAS if n in truths]:
        rows = output.write_truth(truth_dir, name, truths.pop(name), truth.SCHEMAS[name])
        log(f"wrote truth/{name:<36} {rows:>10,} rows")

    rejected = {}
    for source, table, record, _ in rejects:
        rejected.setdefault(f"{source}/{table}", set()).add(record)
    for contract in contracts:
        name = f"{contract.source}/{contract.name}"
        output.write_clean(truth_dir, contract, tables[name], rejected.get(name, set()))
    log("wrote truth/clean: every raw table before the mess")
    mess.apply(sim, tables, previous)
    if cut is not None:
        daily.add_late_changes(sim, tables, previous, cut, daily_increments)
    counts, accounting = {}, []
    by_name = {f"{contract.source}/{contract.name}": contract for contract in contracts}
    for contract in contracts:
        name = f"{contract.source}/{contract.name}"
        table = tables.pop(name)  # freed once written
        if cut is None:
            counts[name] = output.write_raw(out_dir, contract, table)
        else:
            day = _landing_days(sim, name, contract, table, cut, daily_increments)
            if name == "salesforce/contact":  # written before the leads, which are still here
                lead = tables["salesforce/lead"]
                day = daily.with_converted_leads(
                    day, table["id"].to_numpy(),
                    _landing_days(sim, "salesforce/lead", by_name["salesforce/lead"], lead, cut,
                                  daily_increments),
                    lead["converted_contact_id"].to_numpy())
            counts[name] = _write_daily(out_dir, contract, table, day, daily_increments)
        accounting.append({"source": contract.source, "table_name": contract.name,
                           **output.row_accounting(contract, table, rejected.get(name, set()))})
        log(f"wrote {name:<42} {counts[name]:>10,} rows")
    rows = output.write_truth(truth_dir, "expected_row_counts", pd.DataFrame(accounting),
                              truth.SCHEMAS["expected_row_counts"])
    log(f"wrote truth/{'expected_row_counts':<36} {rows:>10,} rows")
    return counts


def _simulate(sim: Sim, log) -> tuple[dict, dict, dict, list]:
    """The world before the mess: the raw tables ('source/table'), the truth tables, the
    earlier versions of records and the rejects. Everything else the simulation built is
    dropped on return."""
    fx = Fx(sim, sim.rng("fx"))
    catalogue = ads.catalogue(sim)
    company = crm.build(sim, fx, catalogue)
    log(f"simulated Salesforce: {len(company.people):,} leads")
    site = web.build(sim, company.people, catalogue)
    log(f"simulated the website: {len(site.sessions):,} sessions")
    marketo_tables, email_sends = marketo.build(sim, company.people, company.status_events,
                                                site.form_fills, site.pricing_visits)
    log("simulated Marketo")
    ad_tables, ad_spend = ads.stats(sim, fx, catalogue, site.paid_landings, site.paid_leads)
    tables = {
        **company.tables, **site.tables, **marketo_tables, **ad_tables,
        "social/page_daily_stats": exports.social(sim),
        "finance/marketing_sales_costs": exports.finance(
            sim, fx, ad_spend, company.tables["salesforce/opportunity"]),
        "surveys/enps_responses": exports.enps(sim),
    }
    company.rejects += exports.unscored_responses(tables["surveys/enps_responses"])
    missing = [f"{t.source}/{t.name}" for t in tables_for("salesforce")
               if f"{t.source}/{t.name}" not in tables]
    assert not missing, f"the simulation produced no {missing}"
    truths = truth.build(company, site, email_sends, ad_spend)
    log("simulated ad platforms and exports; built the truth")
    return tables, truths, company.previous, company.rejects


def _landing_days(sim: Sim, name: str, contract, table, cut: int, n_days: int) -> np.ndarray | None:
    """The load day of each row of the table (`daily.landing_days`); the same on every call."""
    return daily.landing_days(sim.rng(f"daily:landing:{name}"),
                              daily.load_stamps(name, contract, table), cut, n_days)


def _write_daily(out_dir: Path, contract, table, day: np.ndarray | None, n_days: int) -> int:
    """Write one table as its base and one part per increment day (`day`: each row's load day,
    None for a file export); return its row count."""
    if day is None:  # a file export: whole in the base
        return output.write_raw(out_dir / "base", contract, table)
    folders = ["base", *(f"day_{k}" for k in range(1, n_days + 1))]
    return sum(output.write_raw(out_dir / folder, contract, table, np.flatnonzero(day == k))
               for k, folder in enumerate(folders))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m b2bkpi.generate",
        description="Generate the deterministic raw layer of a simulated B2B SaaS company "
                    "(Salesforce, Marketo, Segment, ad platforms, exports) and its truth.")
    parser.add_argument("--out", type=Path, default=Path("data/raw"),
                        help="folder for <source>/<table> raw files (default: data/raw)")
    parser.add_argument("--truth-out", type=Path, default=Path("data/truth"),
                        help="folder for the truth parquet files (default: data/truth)")
    parser.add_argument("--seed", type=int, default=SAMPLE["seed"],
                        help="random seed (default: %(default)s)")
    parser.add_argument("--leads", type=int, default=SAMPLE["leads"],
                        help="number of (surviving) leads to simulate (default: %(default)s)")
    parser.add_argument("--start", type=_date, default=SAMPLE_START,
                        help="first simulated day, YYYY-MM-DD (default: %(default)s)")
    parser.add_argument("--end", type=_date, default=SAMPLE_END,
                        help="last simulated day, YYYY-MM-DD (default: %(default)s)")
    parser.add_argument("--daily-increments", type=int, default=0, metavar="N",
                        help="write <out>/base plus <out>/day_1..day_N, the rows landed on each "
                             "of the range's last N days (default: 0, one folder)")
    parser.add_argument("--crm", choices=CRMS, default="salesforce",
                        help="the CRM the raw layer is written for: Salesforce's tables or "
                             "HubSpot's, of the same company (default: salesforce)")
    args = parser.parse_args(argv)
    if args.daily_increments < 0:
        parser.error(f"--daily-increments must be 0 or more (got {args.daily_increments})")
    if args.leads < 1:
        parser.error(f"--leads must be at least 1 (got {args.leads})")
    if args.end < args.start:
        parser.error(f"--end ({args.end}) is before --start ({args.start})")
    log = _Progress()
    try:
        counts = generate(args.out, args.truth_out, args.seed, args.leads, args.start, args.end,
                          log, args.daily_increments, args.crm)
    except ValueError as error:
        parser.error(str(error))
    log(f"done: {len(counts)} raw tables, {sum(counts.values()):,} rows in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
