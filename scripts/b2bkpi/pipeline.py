"""Run the whole job on the embedded DuckDB: sample data, load, dbt build, KPI summary.

    python -m b2bkpi.pipeline run    # generate (once), load, dbt build, print the KPIs
    python -m b2bkpi.pipeline lint   # sqlfluff over the models
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from b2bkpi import load

PROJECT_DIR = Path(__file__).resolve().parents[2]
SAMPLE = {"seed": 42, "leads": 5000, "start": "2024-01-01", "end": "2025-12-31"}


def _step(title: str) -> float:
    print(f"==> {title}", flush=True)
    return time.perf_counter()


def _done(started: float) -> None:
    print(f"    done in {time.perf_counter() - started:.1f}s", flush=True)


def dbt(*args: str, as_of: str | None = None) -> None:
    """Run a dbt command in the project with its profiles; raise if it fails."""
    command = [str(Path(sys.executable).with_name("dbt")), *args,
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    if as_of:
        command += ["--vars", json.dumps({"lifecycle_as_of": as_of})]
    subprocess.run(command, check=True, cwd=PROJECT_DIR)


def sample_data(data_dir: Path) -> tuple[Path, Path]:
    """Generate the sample once; a marker file records the parameters it was made with."""
    from b2bkpi.generate import generate

    raw, truth = data_dir / "raw", data_dir / "truth"
    marker = data_dir / "sample.json"
    if marker.exists() and json.loads(marker.read_text()) == SAMPLE:
        print(f"    sample data already in {data_dir} (seed {SAMPLE['seed']})")
        return raw, truth
    generate(raw, truth, SAMPLE["seed"], SAMPLE["leads"],
             dt.date.fromisoformat(SAMPLE["start"]), dt.date.fromisoformat(SAMPLE["end"]))
    marker.write_text(json.dumps(SAMPLE))
    return raw, truth


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ratio":
        return f"{value:7.1%}"
    if unit == "days":
        return f"{value:7.1f} d"
    return f"{value:9,.0f}"


def print_kpi_summary(database: Path) -> None:
    """The funnel over the whole period: counts summed, rates and averages recomputed from
    their numerators and denominators (medians do not add up, so they are left out)."""
    con = duckdb.connect(str(database), read_only=True)
    rows = con.execute(
        """
        select
            kpi_id,
            any_value(unit) as unit,
            min(period_start) as first_period,
            max(period_start) as last_period,
            sum(numerator) as numerator,
            sum(denominator) as denominator
        from marts.kpi_values
        where dimension_name = 'all' and kpi_id not like '%median%'
        group by kpi_id
        """
    ).fetchall()
    by_channel = con.execute(
        """
        select dimension_value, sum(numerator), sum(denominator)
        from marts.kpi_values
        where kpi_id = 'lead_to_customer_rate' and dimension_name = 'channel'
        group by 1 order by 1
        """
    ).fetchall()
    con.close()
    order = ["leads_created", "mqls", "sqls", "opportunities_created", "customers_won",
             "lead_to_mql_rate", "mql_to_sql_rate", "mql_rejection_rate",
             "sql_to_opportunity_rate", "opportunity_win_rate", "lead_to_customer_rate",
             "lead_to_close_days", "sales_cycle_days"]
    summary = {row[0]: row for row in rows}
    first = min(row[2] for row in rows)
    last = max(row[3] for row in rows)
    print(f"\nFunnel KPIs, all channels, {first:%Y-%m} to {last:%Y-%m}")
    for kpi_id in order:
        if kpi_id not in summary:
            continue
        _, unit, _, _, numerator, denominator = summary[kpi_id]
        value = numerator if unit == "count" else (numerator / denominator if denominator else None)
        detail = f"  ({numerator:,.0f} / {denominator:,.0f})" if unit == "ratio" else ""
        print(f"  {kpi_id:<26}{_format(value, unit)}{detail}")
    print("\nLead-to-customer rate by channel")
    for channel, customers, leads in by_channel:
        print(f"  {channel:<26}{_format(customers / leads if leads else None, 'ratio')}"
              f"  ({customers:,.0f} / {leads:,.0f})")


def run(args: argparse.Namespace) -> int:
    database = Path(os.environ.get("B2B_DUCKDB_PATH", PROJECT_DIR / "data" / "warehouse.duckdb"))
    started = _step("sample data")
    raw, _ = sample_data(PROJECT_DIR / "data" / "sample")
    _done(started)
    started = _step(f"load {raw} into {database}")
    try:
        load.load_folder(raw, database)
    except load.RawDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _done(started)
    started = _step("dbt build")
    as_of = (dt.date.fromisoformat(SAMPLE["end"]) + dt.timedelta(days=1)).isoformat()
    dbt("build", as_of=as_of)
    _done(started)
    print_kpi_summary(database)
    return 0


def lint(args: argparse.Namespace) -> int:
    started = _step("sqlfluff lint models")
    # the dbt templater only compiles: an empty scratch warehouse is enough
    scratch = tempfile.mkdtemp(prefix="b2bkpi-lint-")
    env = {**os.environ, "B2B_DUCKDB_PATH": os.path.join(scratch, "lint.duckdb")}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("sqlfluff")), "lint", "models", "analyses", "tests",
         "--processes", "2", "--disable-progress-bar"],
        cwd=PROJECT_DIR,
        env=env,
    )
    shutil.rmtree(scratch, ignore_errors=True)
    _done(started)
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="generate sample data, load, dbt build, print the KPIs")
    commands.add_parser("lint", help="sqlfluff lint over the dbt models")
    args = parser.parse_args(argv)
    return {"run": run, "lint": lint}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
