"""`b2bkpi`: the whole pipeline from one command (generate, load, build, check, report, run).

Exit codes: 0 ok, 1 internal error, 2 bad input (bad raw files or arguments), 3 failed checks
(data-quality suites or dbt tests), 4 refused (another run holds the warehouse); 130 / 143 when
interrupted (Ctrl-C / SIGTERM). Every command but `bench`, `lint` and `dashboard` logs to a
run folder, `<warehouse folder>/runs/<UTC timestamp>/`, with a log per step and summary.json.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import traceback
from pathlib import Path
from typing import Annotated, Callable, NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table

from b2bkpi import pipeline
from b2bkpi.generator.params import SAMPLE
from b2bkpi.pipeline import ExitCode, Run
from b2bkpi.progress import DbtProgress

EXIT_CODES = ("Exit codes: 0 ok, 1 internal error, 2 bad input (bad raw files or arguments), "
              "3 failed checks (data-quality suites or dbt tests), 4 refused (another run holds "
              "the warehouse's lock), 130/143 interrupted.")
PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}

app = typer.Typer(help=f"{__doc__.splitlines()[0]}\n\n{EXIT_CODES}", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode="markdown")
console = Console(highlight=False, soft_wrap=True)

Database = Annotated[Path, typer.Option(
    "--database", envvar="B2B_DUCKDB_PATH", help="DuckDB warehouse file.")]
RunsDir = Annotated[Optional[Path], typer.Option(
    help="Folder of the run folders (default: runs/ beside the warehouse).")]
Verbose = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Stream dbt's output, a line per node, instead of its progress bar.")]
AsOf = Annotated[Optional[dt.datetime], typer.Option(
    help="Lifecycle as-of (UTC) for dbt and the checks (default: the sample's end + 1 day "
         "for the sample data, else now).")]


def _echo(message: str) -> None:
    console.print(message, markup=False)


def _require_warehouse(database: Path) -> None:
    """Bad input before any side effect (no run folder, no copy) when there is no warehouse."""
    if not database.is_file():
        raise typer.BadParameter(f"{database}: no such warehouse (run `b2bkpi run` first)",
                                 param_hint="'--database'")


def _as_of(given: dt.datetime | None, sample: bool) -> dt.datetime:
    if given:
        return given
    return pipeline.sample_as_of() if sample else pipeline.utc_now().replace(tzinfo=None)


def _execute(command: str, database: Path | None, runs_dir: Path | None,
             body: Callable[[Run], None]) -> NoReturn:
    """Run `body` in a fresh run folder, print and write the summary, exit with its code."""
    database = database.resolve() if database else None
    runs_dir = runs_dir or (database.parent if database else Path("data")) / "runs"
    run = Run.start(command, database, runs_dir, _echo)
    _echo(f"run folder: {run.folder}")
    code = ExitCode.OK
    try:
        body(run)
    except pipeline.PipelineError as error:
        code = error.exit_code
        _echo(f"error: {error}")
    except KeyboardInterrupt:
        code = 130
        _echo("interrupted: the warehouse was not changed")
    except SystemExit as stop:  # SIGTERM, see main()
        code = stop.code if isinstance(stop.code, int) else ExitCode.INTERNAL_ERROR
        _echo("terminated: the warehouse was not changed")
    except Exception:  # noqa: BLE001  anything else is a bug or an environment problem
        code = ExitCode.INTERNAL_ERROR
        (run.folder / "error.log").write_text(traceback.format_exc())
        _echo(f"internal error: {traceback.format_exc().splitlines()[-1]} "
              f"(traceback in {run.folder / 'error.log'})")
    run.write_summary(int(code))
    _print_summary(run, int(code))
    raise typer.Exit(int(code))


def _print_summary(run: Run, code: int) -> None:
    steps = Table(title=f"b2bkpi {run.command}: exit code {code}", title_justify="left")
    for column in ("step", "seconds", "status"):
        steps.add_column(column, justify="right" if column == "seconds" else "left")
    for step in run.steps:
        steps.add_row(step.step, f"{step.seconds:.1f}", step.status)
    console.print(steps)
    if "rows" in run.facts:
        layers = Table(title="rows per layer", title_justify="left")
        for column in ("layer", "relations", "rows"):
            layers.add_column(column, justify="left" if column == "layer" else "right")
        for layer, count in run.facts["rows"].items():
            layers.add_row(layer, f"{count['relations']:,}", f"{count['rows']:,}")
        console.print(layers)
    if run.facts.get("rejected"):
        _echo("rows rejected by staging (staging.stg_rejected_rows lists them):")
        for table in run.facts["rejected"]:
            _echo("  " + _rejected_line(table))
    for name, counts in run.facts.get("checks", {}).items():
        _echo_checks(_echo, name, counts, run.facts["check_problems"][name])
    if "published" in run.facts:
        _echo(f"warehouse {run.database}: " + (
            "published" if run.facts["published"]
            else "NOT changed (the run did not pass: the previous warehouse is kept)"))
    _echo(f"summary: {run.folder / 'summary.json'}")


def _rejected_line(table: dict) -> str:
    """One table's rejects: 'WARNING'/'ERROR' when its share is above the dbt variable
    rejected_share_warn / rejected_share_error (stg_row_reconciliation decides)."""
    level = {"warn": "WARNING", "error": "ERROR"}.get(table["level"], "")
    above = f", above rejected_share_{table['level']}" if table["level"] else ""
    reasons = ", ".join(f"{reason} {n:,}" for reason, n in table["reasons"].items())
    return (f"{level:<8}{table['table']}: {table['rejected']:,} of "
            f"{table['staged'] + table['rejected']:,} rows ({table['share']:.1%}{above}): "
            f"{reasons}")


def _load_step(run: Run, folder: Path, database: Path, append: bool) -> None:
    with run.step("load") as log:
        counts = pipeline.load_raw(folder, database, append, pipeline.step_logger(log))
        run.echo(f"    {len(counts)} tables, {sum(counts.values()):,} rows from {folder}")


def _check_step(run: Run, database: Path, layer: str, as_of: dt.datetime) -> None:
    with run.step(f"check {layer}") as log:
        counts, problems, failed = pipeline.quality_checks(database, layer, as_of,
                                                           pipeline.step_logger(log))
        _record_checks(run, layer, counts, problems)
        _echo_checks(run.echo, "", counts, problems)
        if failed:
            raise pipeline.ChecksFailed(failed)


def _switch_step(run: Run, folder: Path, database: Path, append: bool) -> dict[str, bool]:
    """The dbt vars that switch off the optional sources without data, said on the terminal."""
    with run.step("sources") as log:
        switches = pipeline.source_switches(folder, database, append)
        for variable in switches:
            source = variable.removesuffix("_enabled")
            why = ("no table loaded" if append else f"no {source}/ folder in {folder}")
            pipeline.step_logger(log, run.echo)(
                f"    source {source} switched off ({why}): {variable}: false, its models "
                f"and KPIs are not built")
        run.facts["switched_off"] = [v.removesuffix("_enabled") for v in switches]
    return switches


def _record_checks(run: Run, name: str, counts: dict[str, int], problems: list[str]) -> None:
    run.facts.setdefault("checks", {})[name] = counts
    run.facts.setdefault("check_problems", {})[name] = problems


def _echo_checks(echo: Callable[[str], None], name: str, counts: dict[str, int],
                 problems: list[str]) -> None:
    """'checks raw: 425 passed, 1 warned, 0 failed' and a line per warned or failed check."""
    echo(f"{'checks ' + name + ': ' if name else '    '}"
         + ", ".join(f"{n} {status}" for status, n in counts.items()))
    for problem in problems:
        echo(f"      {problem}")


def _build_step(run: Run, database: Path, dbt_args: list[str], as_of: dt.datetime,
                descriptor: int, verbose: bool, variables: dict | None = None) -> None:
    with run.step("dbt build") as log:
        try:
            with DbtProgress(console, verbose) as shown:
                statuses = pipeline.dbt_build(database, dbt_args, as_of, run, log, descriptor,
                                              variables, shown.line)
        finally:
            if (run.folder / "run_results.json").exists():
                _record_checks(run, "dbt",
                               *pipeline.dbt_test_results(run.folder / "run_results.json"))
            # the rejects are worth seeing most when a check stopped the run
            run.facts["rejected"] = pipeline.rejected_rows(database)
    run.facts["dbt_statuses"] = statuses
    with run.step("count rows"):
        run.facts["rows"] = pipeline.row_counts(database)


def _report_step(run: Run, database: Path, out_dir: Path | None) -> None:
    from b2bkpi import report

    with run.step("report") as log:
        report.print_kpi_summary(database)
        written = report.write_report(database, out_dir or database.parent / "report")
        log.write(f"report written to {written}\n")
        run.echo(f"    report: {written}")


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder for the `<source>/<table>` raw files.")]
        = Path("data/raw"),
    truth_out: Annotated[Path, typer.Option(help="Folder for the simulation's truth.")]
        = Path("data/truth"),
    seed: Annotated[int, typer.Option(help="Random seed.")] = SAMPLE["seed"],
    leads: Annotated[int, typer.Option(min=1, help="Number of leads to simulate.")]
        = SAMPLE["leads"],
    start: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="First day.",
                                               show_default=SAMPLE["start"])]
        = dt.datetime.fromisoformat(SAMPLE["start"]),
    end: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="Last day.",
                                             show_default=SAMPLE["end"])]
        = dt.datetime.fromisoformat(SAMPLE["end"]),
    daily_increments: Annotated[int, typer.Option(
        min=0, help="Also write `OUT/base` plus one `OUT/day_<k>` folder for each of the last N "
                    "days, to load with `load --append` / `run --incremental`.")] = 0,
    crm: Annotated[str, typer.Option(
        help="The CRM the raw data is written for, salesforce or hubspot (docs/hubspot.md): "
             "the same company either way.")] = "salesforce",
    runs_dir: RunsDir = None,
) -> None:
    """Generate deterministic sample raw data (and its truth) at a seed and scale."""
    from b2bkpi.generate import generate as simulate
    from b2bkpi.raw_contract import CRMS

    if end < start:
        raise typer.BadParameter(f"--end {end:%Y-%m-%d} is before --start {start:%Y-%m-%d}")
    if crm not in CRMS:
        raise typer.BadParameter(f"--crm {crm!r} is not one of {', '.join(CRMS)}")
    if crm != "salesforce" and daily_increments:
        raise typer.BadParameter(f"--daily-increments is not available with --crm {crm} yet")

    def body(run: Run) -> None:
        with run.step("generate") as log:
            counts = simulate(out, truth_out, seed, leads, start.date(), end.date(),
                              log=pipeline.step_logger(log), daily_increments=daily_increments,
                              crm_name=crm)
            run.echo(f"    {len(counts)} raw tables, {sum(counts.values()):,} rows in {out}")

    _execute("generate", None, runs_dir or out.parent / "runs", body)


@app.command()
def load(
    folder: Annotated[Path, typer.Argument(
        exists=True, file_okay=False,
        help="Folder laid out as `<source>/<table>.parquet|csv`.")],
    database: Database = pipeline.DEFAULT_DATABASE,
    append: Annotated[bool, typer.Option(
        help="Append the folder's rows (a daily increment) instead of replacing its tables.")]
        = False,
    runs_dir: RunsDir = None,
) -> None:
    """Load a folder of raw files into the warehouse (checked first; all or nothing)."""
    def body(run: Run) -> None:
        with pipeline.building(run) as (copy, _):
            _load_step(run, folder, copy, append)

    _execute("load", database, runs_dir, body)


@app.command(context_settings=PASS_THROUGH)
def build(
    ctx: typer.Context,
    select: Annotated[Optional[str], typer.Option(
        "--select", "-s", help="dbt node selection, e.g. '+kpi_values'.")] = None,
    full_refresh: Annotated[bool, typer.Option(help="Rebuild incremental models.")] = False,
    database: Database = pipeline.DEFAULT_DATABASE,
    as_of: AsOf = None,
    runs_dir: RunsDir = None,
    verbose: Verbose = False,
) -> None:
    """dbt build (models, seeds, tests); any further flags are passed to dbt."""
    dbt_args = [*(["--select", select] if select else []),
                *(["--full-refresh"] if full_refresh else []), *ctx.args]
    _require_warehouse(database)
    when = _as_of(as_of, sample=False)

    def body(run: Run) -> None:
        with pipeline.building(run) as (copy, descriptor):
            _build_step(run, copy, dbt_args, when, descriptor, verbose)

    _execute("build", database, runs_dir, body)


@app.command()
def check(
    layer: Annotated[str, typer.Option(help="raw, marts or all.")] = "all",
    database: Database = pipeline.DEFAULT_DATABASE,
    as_of: AsOf = None,
    runs_dir: RunsDir = None,
) -> None:
    """Run the data-quality suites on the warehouse (read only)."""
    if layer not in ("raw", "marts", "all"):
        raise typer.BadParameter(f"--layer must be raw, marts or all (got {layer!r})")
    when = _as_of(as_of, sample=False)

    _require_warehouse(database)

    def body(run: Run) -> None:
        layers = ("raw", "marts") if layer == "all" else (layer,)
        failures = []
        for name in layers:
            try:
                _check_step(run, database, name, when)
            except pipeline.ChecksFailed as error:
                failures.append(str(error))
        if failures:
            raise pipeline.ChecksFailed("; ".join(failures))

    _execute("check", database, runs_dir, body)


@app.command()
def report(
    database: Database = pipeline.DEFAULT_DATABASE,
    out: Annotated[Optional[Path], typer.Option(
        help="Folder for the report files (default: report/ beside the warehouse).")] = None,
    runs_dir: RunsDir = None,
) -> None:
    """Print the KPI summary (funnel and scorecard) and write the report files."""
    _require_warehouse(database)

    def body(run: Run) -> None:
        _report_step(run, database, out)

    _execute("report", database, runs_dir, body)


@app.command()
def run(
    raw: Annotated[Optional[Path], typer.Option(
        exists=True, file_okay=False,
        help="Raw folder to load, replacing its tables (default: the sample data, generated "
             "once under `data/sample/`).")] = None,
    incremental: Annotated[Optional[Path], typer.Option(
        exists=True, file_okay=False,
        help="Append this raw folder (a day's increment) and build without --full-refresh.")]
        = None,
    database: Database = pipeline.DEFAULT_DATABASE,
    as_of: AsOf = None,
    report_out: Annotated[Optional[Path], typer.Option(
        help="Folder for the report files (default: report/ beside the warehouse).")] = None,
    runs_dir: RunsDir = None,
    verbose: Verbose = False,
) -> None:
    """Every step in order: load, raw checks, dbt build, mart checks, publish, report.

    A full run replaces the loaded tables and builds with --full-refresh; --incremental
    appends a folder and builds incrementally, testing only the incremental models' new rows
    and the tests tagged daily (selectors.yml). An optional source left out of the raw folder
    is switched off (`<source>_enabled: false`); Salesforce is required. The summary
    lists the rows staging rejected per table, with a WARNING, or an ERROR (exit 3), when a
    table loses more than the dbt variable rejected_share_warn / rejected_share_error. The
    warehouse is replaced only when every step and check passed."""
    if raw and incremental:
        raise typer.BadParameter("give --raw or --incremental, not both")
    if incremental:
        _require_warehouse(database)  # an increment appends to a warehouse
    when = _as_of(as_of, sample=not (raw or incremental))
    dbt_args = [*pipeline.DAILY_RUN_ARGS] if incremental else ["--full-refresh"]

    def body(run: Run) -> None:
        with pipeline.building(run) as (copy, descriptor):
            folder = incremental or raw
            if folder is None:
                with run.step("sample data") as log:
                    folder = pipeline.sample_data(pipeline.PROJECT_DIR / "data" / "sample",
                                                  pipeline.step_logger(log, run.echo))
            _load_step(run, folder, copy, append=incremental is not None)
            switches = _switch_step(run, folder, copy, append=incremental is not None)
            _check_step(run, copy, "raw", when)
            _build_step(run, copy, dbt_args, when, descriptor, verbose, switches)
            _check_step(run, copy, "marts", when)
        _report_step(run, database, report_out)

    _execute("run", database, runs_dir, body)


@app.command("export-marts")
def export_marts(
    out: Annotated[Path, typer.Option(
        dir_okay=False, help="The DuckDB file to write (replaced in one step if it exists).")],
    database: Database = pipeline.DEFAULT_DATABASE,
    runs_dir: RunsDir = None,
) -> None:
    """Write a DuckDB file with the marts only, for BI users: the warehouse also holds the
    raw, staging and intermediate data, personal data included (docs/bi.md)."""
    _require_warehouse(database)
    if out.resolve() == database.resolve():
        raise typer.BadParameter("--out must not be the warehouse itself", param_hint="'--out'")
    if out.name.split(".")[0] == pipeline.MARTS_SCHEMA:
        # DuckDB names a file's catalog after it: `marts.kpi_values` would be ambiguous
        raise typer.BadParameter(f"{out.name}: name the file other than marts.*, e.g. "
                                 "kpis.duckdb", param_hint="'--out'")

    def body(run: Run) -> None:
        with run.step("export marts") as log:
            counts = pipeline.export_marts(database, out)
            for table, rows in counts.items():
                log.write(f"marts.{table}: {rows:,} rows\n")
            run.echo(f"    {len(counts)} marts tables, {sum(counts.values()):,} rows in {out}")
        run.facts["exported"] = {"file": str(out), "tables": counts}

    _execute("export-marts", database, runs_dir, body)


@app.command(context_settings={**PASS_THROUGH, "help_option_names": []})
def bench(ctx: typer.Context) -> None:
    """Benchmark generate, load and dbt build at several scales (`b2bkpi bench --help` shows
    b2bkpi.bench's own options, which are passed through)."""
    from b2bkpi import bench as benchmark

    raise typer.Exit(benchmark.main(ctx.args))


@app.command()
def dashboard(
    database: Database = pipeline.DEFAULT_DATABASE,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "localhost",
) -> None:
    """Serve the KPI dashboard (Streamlit) on the warehouse, opened read-only (PostgreSQL
    with DBT_TARGET=postgres and the B2B_PG_* variables). Ctrl-C or SIGTERM stops it: the
    signal is passed on to Streamlit."""
    from b2bkpi.dashboard.__main__ import check_database, serve

    problem = check_database(database)
    if problem:
        _echo(f"error: {problem}")
        raise typer.Exit(ExitCode.BAD_INPUT)
    raise typer.Exit(serve(database, port, address))


@app.command()
def lint() -> None:
    """sqlfluff over the models, analyses and tests (the project's .sqlfluff)."""
    raise typer.Exit(pipeline.lint())


def main() -> None:
    # a scheduler's SIGTERM unwinds like Ctrl-C: the building copy is discarded
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    app()


if __name__ == "__main__":
    main()
