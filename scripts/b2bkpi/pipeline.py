"""Run the whole job on the embedded DuckDB: sample data, load, dbt build, KPI summary.

    python -m b2bkpi.pipeline run    # generate (once), load, dbt build, print the KPIs
    python -m b2bkpi.pipeline lint   # sqlfluff over the models
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
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
from b2bkpi.report import print_kpi_summary

PROJECT_DIR = Path(__file__).resolve().parents[2]
SAMPLE = {"seed": 42, "leads": 5000, "start": "2024-01-01", "end": "2025-12-31"}
QUALITY_DOCS = PROJECT_DIR / "data" / "quality_docs"


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


def _generator_fingerprint() -> str:
    """Changes whenever the generator's code does, so a stale sample is made again."""
    digest = hashlib.sha256()
    package = PROJECT_DIR / "scripts" / "b2bkpi"
    sources = [package / "generate.py", package / "raw_contract.py",
               *(package / "generator").glob("*.py")]
    for path in sorted(sources):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sample_data(data_dir: Path) -> tuple[Path, Path]:
    """Generate the sample once; a marker file records what it was made with."""
    from b2bkpi.generate import generate

    raw, truth = data_dir / "raw", data_dir / "truth"
    marker = data_dir / "sample.json"
    made_with = {**SAMPLE, "generator": _generator_fingerprint()}
    if marker.exists() and json.loads(marker.read_text()) == made_with:
        print(f"    sample data already in {data_dir} (seed {SAMPLE['seed']})")
        return raw, truth
    generate(raw, truth, SAMPLE["seed"], SAMPLE["leads"],
             dt.date.fromisoformat(SAMPLE["start"]), dt.date.fromisoformat(SAMPLE["end"]))
    marker.write_text(json.dumps(made_with))
    return raw, truth


def _quality(database: Path, layer: str, as_of: dt.datetime) -> bool:
    """Run one layer's data-quality suites; False when an error-level check failed."""
    from b2bkpi import quality

    started = _step(f"data quality: {layer} suites (Data Docs in {QUALITY_DOCS})")
    results = quality.run_suites(database, QUALITY_DOCS / layer, layers=(layer,), as_of=as_of)
    _done(started)
    for check in results.errors:
        print(f"error: {check.line()}", file=sys.stderr)
    return results.success


def run(args: argparse.Namespace) -> int:
    database = Path(os.environ.get("B2B_DUCKDB_PATH", PROJECT_DIR / "data" / "warehouse.duckdb"))
    as_of = dt.datetime.combine(
        dt.date.fromisoformat(SAMPLE["end"]) + dt.timedelta(days=1), dt.time())
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
    if not _quality(database, "raw", as_of):
        print("error: the raw data failed error-level checks (above); fix them and run again",
              file=sys.stderr)
        return 3
    started = _step("dbt build")
    dbt("build", as_of=as_of.isoformat(sep=" "))
    _done(started)
    if not _quality(database, "marts", as_of):
        print("error: the marts failed error-level checks (above)", file=sys.stderr)
        return 3
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
