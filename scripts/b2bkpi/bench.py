"""Scale benchmark: generate, load and build the whole project at several numbers of leads.

    python -m b2bkpi.bench --scales 2000,20000 [--postgres] --out data/bench
    python -m b2bkpi.bench --scales 2000,20000,200000 --postgres-scales 2000,20000
    python -m b2bkpi.bench --scales 500,2000 --spark-scales 500,2000

Per scale, in its own temporary folder (data 2024-01-01..2025-12-31, seed 42, generated as a
base and one daily increment): generate time and raw rows; load time of the base; the full
`dbt build` (models, seeds and tests) wall time, the summed execution seconds of its models
and of its tests, and peak memory; DuckDB alone running the compiled SQL of every model in DAG
order on a copy of the loaded warehouse, and the dbt/DuckDB-alone ratio; raw rows per build
second; the daily run (the increment appended, then `dbt build` without --full-refresh) and
its share of the full build; optionally the same full build on a throwaway PostgreSQL server
and on local Spark (dbt-spark's session method; load and build each start their own JVM,
which is in the figures).
Prints a table and writes `bench.csv` and `bench.png` (build time and peak memory per scale)
to --out.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import graphlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator  # noqa: E402

from b2bkpi import load, load_postgres
from b2bkpi.sql import identifier, literal
from b2bkpi.generate import generate
from b2bkpi.java import ensure_java
from b2bkpi.pipeline import DAILY_RUN_ARGS

PROJECT_DIR = Path(__file__).resolve().parents[2]
START, END, SEED = dt.date(2024, 1, 1), dt.date(2025, 12, 31), 42
AS_OF = f"{END + dt.timedelta(days=1)} 00:00:00"
BI_ROLE = "bi_reader"
DAILY_INCREMENTS = 1  # the last day arrives as an increment: the daily run's input
COLUMNS = ["leads", "raw_rows", "generate_s", "load_s", "dbt_build_s", "dbt_models_s",
           "dbt_tests_s", "dbt_peak_rss_mib", "duckdb_alone_s", "dbt_over_duckdb_alone",
           "rows_per_s", "daily_run_s", "daily_run_share",
           "pg_load_s", "pg_build_s", "pg_models_s", "pg_tests_s", "pg_peak_rss_mib",
           "pg_over_duckdb", "spark_load_s", "spark_build_s", "spark_over_duckdb"]


def _quiet(message: str) -> None:
    pass


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def dbt_build(env: dict[str, str], folder: Path, *args: str) -> tuple[float, float | None]:
    """Run `dbt build` (the full one unless `args` select); return wall seconds and the peak
    RSS in MiB.

    GNU time reports the largest resident set of dbt and its (waited-for) children; without it
    the peak is unknown.
    """
    command = [str(Path(sys.executable).with_name("dbt")), "build", *args,
               "--vars", json.dumps({"lifecycle_as_of": AS_OF}),
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    folder.mkdir(parents=True, exist_ok=True)
    rusage = folder / "time.txt"
    if Path("/usr/bin/time").exists():
        command = ["/usr/bin/time", "-v", "-o", str(rusage), *command]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"dbt build failed in {folder}:\n"
                           f"{result.stdout[-4000:]}{result.stderr[-2000:]}")
    peak = None
    if rusage.exists():
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", rusage.read_text())
        peak = int(found.group(1)) / 1024 if found else None
    return seconds, peak


def node_seconds(target: Path) -> dict[str, float]:
    """Execution seconds of the build's models and tests summed over nodes (run_results.json);
    with 2 threads the sum can exceed their share of the wall time."""
    totals = {"model": 0.0, "test": 0.0}
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        kind = result["unique_id"].split(".")[0]
        if kind in totals:
            totals[kind] += result["execution_time"]
    return totals


def duckdb_alone(target: Path, loaded: Path, built: Path, replay: Path) -> float:
    """Seconds DuckDB needs to run every model's compiled SQL (target/run) in DAG order.

    The replay runs on a copy of the loaded warehouse (same file name, so the database name in
    the compiled SQL matches) with the seeds copied from the built one; only the models are
    timed. dbt writes tables as `<name>__dbt_tmp` and renames them; the replay creates the final
    names directly.
    """
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = manifest["nodes"]
    models = {uid: n for uid, n in nodes.items()
              if n["resource_type"] == "model" and n["config"]["materialized"] != "ephemeral"}
    seeds = [n for n in nodes.values() if n["resource_type"] == "seed"]
    order = graphlib.TopologicalSorter(
        {uid: [d for d in n["depends_on"]["nodes"] if d in models] for uid, n in models.items()}
    ).static_order()
    replay.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(loaded, replay)
    con = duckdb.connect(str(replay))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach {literal(str(built))} as built (read_only)")
        for seed in seeds:
            name = (seed["schema"], seed["alias"])
            con.execute(f"create schema if not exists {identifier(seed['schema'])}")
            con.execute(f"create table {identifier(*name)} as "
                        f"select * from {identifier('built', *name)}")
        con.execute("detach built")
        statements = []
        for uid in order:
            node = models[uid]
            schema, alias = node["schema"], node["alias"]
            run_sql = (target / "run" / node["package_name"] / node["original_file_path"])
            statements.append((f"create schema if not exists {identifier(schema)}",
                               run_sql.read_text().replace(identifier(f"{alias}__dbt_tmp"),
                                                           identifier(alias))))
        started = time.perf_counter()
        for create_schema, sql in statements:
            con.execute(create_schema)
            con.execute(sql)
        return time.perf_counter() - started
    finally:
        con.close()


def daily_run(env: dict[str, str], increment: Path, built: Path, folder: Path) -> float:
    """Wall seconds of the daily run on the built warehouse: the increment appended, then
    `dbt build` without --full-refresh (incremental models merge only the new rows) and with
    the daily run's tests, as `b2bkpi run --incremental` runs it."""
    load.load_folder(increment, built, log=_quiet, append=True)
    seconds, _ = dbt_build(env, folder, *DAILY_RUN_ARGS)
    return seconds


def _env(folder: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
            "DBT_TARGET_PATH": str(folder / "target"), "DBT_LOG_PATH": str(folder / "logs"),
            **extra}


def bench_scale(leads: int, postgres: bool, spark: bool = False, log=print) -> dict:
    """One scale in its own temporary folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"b2b_bench_{leads}_"))
    try:
        raw = folder / "raw"
        counts, generate_s = _timed(generate, raw, folder / "truth", SEED, leads, START, END,
                                    log=_quiet, daily_increments=DAILY_INCREMENTS)
        raw_rows = sum(counts.values())
        log(f"  {leads:,} leads: generated {raw_rows:,} raw rows in {generate_s:.1f}s")
        loaded = folder / "loaded" / "wh.duckdb"
        _, load_s = _timed(load.load_folder, raw / "base", loaded, log=_quiet)
        built = folder / "wh.duckdb"
        shutil.copyfile(loaded, built)
        log(f"  loaded in {load_s:.1f}s; dbt build on DuckDB...")
        duck_env = _env(folder / "duckdb", DBT_TARGET="duckdb", B2B_DUCKDB_PATH=str(built))
        build_s, peak = dbt_build(duck_env, folder / "duckdb")
        nodes = node_seconds(folder / "duckdb" / "target")
        alone_s = duckdb_alone(folder / "duckdb" / "target", loaded, built,
                               folder / "replay" / "wh.duckdb")
        log(f"  dbt build {build_s:.1f}s; DuckDB alone {alone_s:.1f}s; the daily run...")
        daily_s = daily_run(duck_env, raw / f"day_{DAILY_INCREMENTS}", built,
                            folder / "duckdb_daily")
        log(f"  daily run {daily_s:.1f}s")
        row = {"leads": leads, "raw_rows": raw_rows, "generate_s": generate_s, "load_s": load_s,
               "dbt_build_s": build_s, "dbt_models_s": nodes["model"],
               "dbt_tests_s": nodes["test"], "dbt_peak_rss_mib": peak,
               "duckdb_alone_s": alone_s,
               "dbt_over_duckdb_alone": build_s / alone_s, "rows_per_s": raw_rows / build_s,
               "daily_run_s": daily_s, "daily_run_share": daily_s / build_s}
        if postgres:
            row.update(_bench_postgres(raw / "base", folder / "postgres", build_s, log))
        if spark:
            row.update(_bench_spark(raw / "base", folder / "spark", build_s, log))
        return row
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _bench_postgres(raw: Path, folder: Path, duck_build_s: float, log) -> dict:
    from b2bkpi.postgres_cluster import throwaway_cluster

    with throwaway_cluster(roles=[BI_ROLE]) as params:
        _, load_s = _timed(load_postgres.load_folder, raw, params, log=_quiet)
        log(f"  PostgreSQL: loaded in {load_s:.1f}s; dbt build...")
        env = _env(folder, DBT_TARGET="postgres", B2B_PG_HOST=params["host"],
                   B2B_PG_PORT=params["port"], B2B_PG_USER=params["user"],
                   B2B_PG_DATABASE=params["dbname"], B2B_BI_READER_ROLE=BI_ROLE)
        build_s, peak = dbt_build(env, folder)
    nodes = node_seconds(folder / "target")
    log(f"  PostgreSQL dbt build {build_s:.1f}s")
    return {"pg_load_s": load_s, "pg_build_s": build_s, "pg_models_s": nodes["model"],
            "pg_tests_s": nodes["test"], "pg_peak_rss_mib": peak,
            "pg_over_duckdb": build_s / duck_build_s}


def _bench_spark(raw: Path, folder: Path, duck_build_s: float, log) -> dict:
    """Load and build on local Spark, its warehouse and metastore in `folder`."""
    env = _env(folder, DBT_TARGET="spark", B2B_SPARK_WAREHOUSE=str(folder / "warehouse"),
               PYTHONPATH=os.pathsep.join([str(PROJECT_DIR / "scripts"),
                                           os.environ.get("PYTHONPATH", "")]))
    ensure_java(env)
    # its own process: the loader's JVM holds the embedded metastore until it exits
    command = [sys.executable, "-m", "b2bkpi.load_spark", str(raw)]
    result, load_s = _timed(subprocess.run, command, cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Spark load failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    log(f"  Spark: loaded in {load_s:.1f}s; dbt build...")
    build_s, _ = dbt_build(env, folder)
    log(f"  Spark dbt build {build_s:.1f}s")
    return {"spark_load_s": load_s, "spark_build_s": build_s,
            "spark_over_duckdb": build_s / duck_build_s}


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(rows: list[dict]) -> None:
    cells = [[_cell(row.get(c)) for c in COLUMNS] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(COLUMNS)]
    print("  ".join(c.rjust(w) for c, w in zip(COLUMNS, widths)))
    for r in cells:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))


# per panel: title, y label, log y (times span decades; memory reads best from zero), series
CHART_PANELS = [
    ("build time", "wall seconds", True,
     [("dbt_build_s", "dbt build, DuckDB"), ("daily_run_s", "daily run, DuckDB"),
      ("duckdb_alone_s", "models alone, DuckDB"), ("pg_build_s", "dbt build, PostgreSQL"),
      ("spark_build_s", "dbt build, local Spark")]),
    ("peak memory of the dbt process", "MiB", False,
     [("dbt_peak_rss_mib", "dbt build, DuckDB"), ("pg_peak_rss_mib", "dbt build, PostgreSQL")]),
]


def write_chart(rows: list[dict], path: Path) -> None:
    """Build wall time and peak memory per scale, DuckDB against PostgreSQL, log scale of
    leads (the scales span decades)."""
    plain = FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 10 else f"{value:g}")
    fig, axes = plt.subplots(1, len(CHART_PANELS), figsize=(11, 4))
    for ax, (title, ylabel, log_y, series) in zip(axes, CHART_PANELS):
        for column, label in series:
            points = [(row["leads"], row[column]) for row in rows if row.get(column) is not None]
            if points:
                ax.plot(*zip(*points), marker="o", label=label)
        ax.set_xscale("log")
        ax.set_xticks([row["leads"] for row in rows])  # a tick per measured scale
        ax.xaxis.set_minor_locator(NullLocator())
        if log_y:
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
            ax.yaxis.set_minor_locator(NullLocator())
        else:
            ax.set_ylim(bottom=0)
        ax.xaxis.set_major_formatter(plain)
        ax.yaxis.set_major_formatter(plain)
        ax.set(title=title, xlabel="leads", ylabel=ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _scales(text: str) -> list[int]:
    try:
        scales = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}")
    if not scales or min(scales) < 1:
        raise argparse.ArgumentTypeError("every scale must be a positive number of leads")
    return scales


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m b2bkpi.bench",
        description="Generate, load and dbt-build the project at several scales; print a table "
                    "and save a CSV and a PNG chart.")
    parser.add_argument("--scales", type=_scales, default=[2000, 20000],
                        help="comma-separated numbers of leads (default: 2000,20000)")
    parser.add_argument("--postgres", action="store_true",
                        help="also load and build on a throwaway PostgreSQL server")
    parser.add_argument("--postgres-scales", type=_scales, default=[],
                        help="the PostgreSQL build at these scales only (comma-separated; "
                             "PostgreSQL is about 10x slower than DuckDB)")
    parser.add_argument("--spark-scales", type=_scales, default=[],
                        help="also load and build on local Spark at these scales (comma-separated;"
                             " needs Java 17, installed with apt when missing)")
    parser.add_argument("--out", type=Path, default=Path("data/bench"),
                        help="folder for bench.csv and bench.png (default: data/bench)")
    args = parser.parse_args(argv)
    for option, scales in (("--postgres-scales", args.postgres_scales),
                           ("--spark-scales", args.spark_scales)):
        unknown = sorted(set(scales) - set(args.scales))
        if unknown:
            parser.error(f"{option} {unknown} are not among --scales {args.scales}")
    postgres_at = set(args.scales if args.postgres else args.postgres_scales)
    rows = []
    for leads in args.scales:
        print(f"==> {leads:,} leads", flush=True)
        rows.append(bench_scale(leads, leads in postgres_at, leads in args.spark_scales))
        # after every scale: a long run stopped at a big scale keeps the smaller ones
        write_results(rows, args.out)
    print()
    print_table(rows)
    print(f"\nwrote {args.out / 'bench.csv'} and {args.out / 'bench.png'}")
    return 0


def write_results(rows: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "bench.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    write_chart(rows, out / "bench.png")


if __name__ == "__main__":
    sys.exit(main())
