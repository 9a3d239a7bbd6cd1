"""The pipeline's steps, the run folder and the run safety behind the `b2bkpi` command.

Safety: a run that writes the warehouse first takes an exclusive lock on `<warehouse>.lock`
(`fcntl.flock`: the operating system releases it when the holder exits, even when killed, so
there is never a stale lock to delete). It then works on a copy, `<warehouse>.building`, and
moves the copy over the warehouse with one `os.replace` only when every step and every
error-level check passed. A killed or failed run therefore leaves the previous warehouse, and
its marts, untouched; readers never see a half-built file; the next run discards the leftover
copy. The price is one file copy per run (see docs/scheduling.md for the measured cost).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Callable, Iterator, TextIO

import duckdb
import yaml

from b2bkpi.generator.params import SAMPLE
from b2bkpi.sql import identifier, literal

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = PROJECT_DIR / "data" / "warehouse.duckdb"
DBT_LAYERS = ("staging", "intermediate", "marts", "semantic", "seeds")
# a daily run builds every model but tests only what it wrote (selectors.yml)
DAILY_RUN_ARGS = ("--selector", "daily")


class ExitCode(IntEnum):
    OK = 0
    INTERNAL_ERROR = 1
    BAD_INPUT = 2
    FAILED_CHECKS = 3
    REFUSED = 4


class PipelineError(Exception):
    """A run that stops; `exit_code` says why."""
    exit_code = ExitCode.INTERNAL_ERROR


class BadInput(PipelineError):
    exit_code = ExitCode.BAD_INPUT


class ChecksFailed(PipelineError):
    exit_code = ExitCode.FAILED_CHECKS


class WarehouseBusy(PipelineError):
    exit_code = ExitCode.REFUSED


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# ---------------------------------------------------------------------------- run safety

def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def building_path(database: Path) -> Path:
    return database.with_name(database.name + ".building")


@contextmanager
def exclusive_lock(database: Path, command: str) -> Iterator[int]:
    """Hold `<database>.lock` for the block; refuse at once if another run holds it.
    Yields the lock's file descriptor, which child processes inherit so that the lock lasts
    as long as any of them still writes."""
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseBusy(_busy_message(database, path, descriptor)) from None
        holder = {"pid": os.getpid(), "started": f"{utc_now():%Y-%m-%d %H:%M:%S} UTC",
                  "command": command}
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps(holder).encode(), 0)
        yield descriptor
    finally:
        os.close(descriptor)


def _busy_message(database: Path, path: Path, descriptor: int) -> str:
    try:
        holder = json.loads(os.pread(descriptor, 4096, 0))
        who = f"pid {holder['pid']}, started {holder['started']}, `{holder['command']}`"
    except (ValueError, KeyError):
        who = "a process that has only just started"
    return (f"refused: another run ({who}) is writing the warehouse {database}; it holds the "
            f"lock file {path}. Run again when it has finished: the operating system releases "
            f"the lock when that process ends, even if it is killed, so there is nothing to "
            f"delete by hand.")


def _checkpoint(database: Path) -> None:
    """Fold a DuckDB write-ahead log into its file, so the file alone is the whole database."""
    if database.with_name(database.name + ".wal").exists():
        duckdb.connect(str(database)).execute("checkpoint").close()


def _discard(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def prepare_copy(database: Path) -> Path:
    """A fresh `<database>.building`: the warehouse's copy (a leftover of a killed run is
    discarded), or nothing yet when there is no warehouse."""
    copy = building_path(database)
    _discard(copy)
    if database.exists():
        _checkpoint(database)
        shutil.copyfile(database, copy)
    return copy


def publish(copy: Path, database: Path) -> None:
    """Move the built copy over the warehouse in one step (readers that have the old file
    open keep reading it)."""
    _checkpoint(copy)
    with open(copy, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(copy, database)
    directory = os.open(database.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# ---------------------------------------------------------------------------- the run folder

@dataclass
class StepResult:
    step: str
    seconds: float
    status: str  # ok | failed
    detail: str = ""


@dataclass
class Run:
    """One command's run folder (`<runs>/<UTC timestamp>/`): a log per step, dbt's
    run_results.json, summary.json; and the progress lines on the terminal."""
    command: str
    database: Path | None  # None when the command does not touch a warehouse
    folder: Path
    echo: Callable[[str], None] = print
    steps: list[StepResult] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @classmethod
    def start(cls, command: str, database: Path | None, runs_dir: Path,
              echo: Callable[[str], None] = print) -> "Run":
        stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
        folder = runs_dir / stamp
        suffix = 1
        while folder.exists():
            suffix += 1
            folder = runs_dir / f"{stamp}-{suffix}"
        folder.mkdir(parents=True)
        return cls(command, database, folder, echo)

    @contextmanager
    def step(self, name: str) -> Iterator[TextIO]:
        """Time a step, log it to `<nn>_<name>.log`, and record how it ended."""
        self.echo(f"==> {name}")
        started = time.perf_counter()
        log_file = self.folder / f"{len(self.steps) + 1:02d}_{name.replace(' ', '_')}.log"
        with open(log_file, "w", buffering=1) as log:
            try:
                yield log
            except BaseException as error:
                seconds = time.perf_counter() - started
                self.steps.append(StepResult(name, round(seconds, 2), "failed",
                                             str(error) or type(error).__name__))
                self.echo(f"    failed after {seconds:.1f}s (log: {log_file})")
                raise
        seconds = time.perf_counter() - started
        self.steps.append(StepResult(name, round(seconds, 2), "ok"))
        self.echo(f"    ok in {seconds:.1f}s")

    def write_summary(self, exit_code: int) -> Path:
        summary = {"command": self.command, "database": str(self.database),
                   "run_folder": str(self.folder), "exit_code": exit_code,
                   "steps": [asdict(step) for step in self.steps], **self.facts}
        path = self.folder / "summary.json"
        path.write_text(json.dumps(summary, indent=2, default=str))
        return path


def step_logger(log: TextIO, echo: Callable[[str], None] | None = None) -> Callable[[str], None]:
    """A log function for a step: every line to its log file, and to the terminal if asked."""
    def tell(message: str) -> None:
        log.write(message.rstrip("\n") + "\n")
        if echo:
            echo(message.rstrip("\n"))
    return tell


# ---------------------------------------------------------------------------- steps

def _generator_fingerprint() -> str:
    """Changes whenever the generator's code does, so a stale sample is made again."""
    digest = hashlib.sha256()
    package = PROJECT_DIR / "scripts" / "b2bkpi"
    sources = [package / "generate.py", package / "raw_contract.py",
               *(package / "generator").glob("*.py")]
    for path in sorted(sources):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sample_data(data_dir: Path, log: Callable[[str], None]) -> Path:
    """The sample's raw folder, generated once; a marker file records what it was made with."""
    from b2bkpi.generate import generate

    raw, truth = data_dir / "raw", data_dir / "truth"
    marker = data_dir / "sample.json"
    made_with = {**SAMPLE, "generator": _generator_fingerprint()}
    if marker.exists() and json.loads(marker.read_text()) == made_with:
        log(f"sample data already in {data_dir} (seed {SAMPLE['seed']})")
        return raw
    generate(raw, truth, SAMPLE["seed"], SAMPLE["leads"], dt.date.fromisoformat(SAMPLE["start"]),
             dt.date.fromisoformat(SAMPLE["end"]), log)
    marker.write_text(json.dumps(made_with))
    return raw


def sample_as_of() -> dt.datetime:
    """The sample's lifecycle as-of: midnight after its last simulated day."""
    return dt.datetime.combine(dt.date.fromisoformat(SAMPLE["end"]) + dt.timedelta(days=1),
                               dt.time())


def load_raw(folder: Path, database: Path, append: bool, log: Callable[[str], None]) -> dict:
    """Load a raw folder (replacing its tables, or appending to them); bad files are bad input."""
    from b2bkpi import load

    try:
        if append:
            return load.load_folder(folder, database, append=True, log=log)
        return load.load_folder(folder, database, log=log)
    except load.RawDataError as error:
        raise BadInput(f"bad raw data: {error}") from error


def quality_checks(database: Path, layer: str, as_of: dt.datetime,
                   log: Callable[[str], None]) -> tuple[dict[str, int], list[str], str]:
    """One layer's data-quality suites: the counts of passed, warned and failed checks, a
    line naming each warned or failed one, and the failed error-level checks named ('' when
    none failed)."""
    from b2bkpi import quality

    # the building copy lies beside the warehouse: the Data Docs land in the same place
    docs = database.parent / "quality_docs" / layer
    results = quality.run_suites(database, docs, layers=(layer,), as_of=as_of, log=log)
    counts = {"passed": len(results.checks) - len(results.errors) - len(results.warnings),
              "warned": len(results.warnings), "failed": len(results.errors)}
    problems = [check.line() for check in results.checks if check.status != "ok"]
    failed = "; ".join(f"{c.suite}: {c.check}: {c.detail}" for c in results.errors[:5])
    if failed:
        failed = f"{len(results.errors)} error-level {layer} check(s) failed: {failed}"
    return counts, problems, failed


def source_switches(folder: Path, database: Path, append: bool) -> dict[str, bool]:
    """`<source>_enabled: false` for every optional source without data: no `<source>/`
    folder in the raw folder of a full load, or, for an increment (`append`), no table in the
    warehouse. Salesforce is required, and a source that is on must have all its tables:
    both are bad input, before dbt runs."""
    from b2bkpi.raw_contract import SOURCES, tables_of

    with duckdb.connect(str(database), read_only=True) as con:
        loaded = set(con.execute("select table_schema, table_name from information_schema.tables"
                                 " where table_catalog = current_database()").fetchall())
    switches = {}
    for source in SOURCES:
        tables = [table.name for table in tables_of(source)]
        present = (any((source, table) in loaded for table in tables) if append
                   else (folder / source).is_dir())
        if not present and source == "salesforce":
            raise BadInput(f"bad raw data: {folder} has no salesforce/ folder: Salesforce is "
                           f"the one required source (the others may be left out)")
        if not present:
            switches[f"{source}_enabled"] = False
            continue
        missing = [table for table in tables if (source, table) not in loaded]
        if missing:
            raise BadInput(f"bad raw data: source {source} lacks table(s) {', '.join(missing)} "
                           f"(add {source}/<table>.parquet|csv for each, or leave out the whole "
                           f"{source}/ folder to switch the source off)")
    return switches


def _with_vars(dbt_args: list[str], variables: dict) -> list[str]:
    """The dbt arguments with `variables` merged into any `--vars` given (those win)."""
    args, given = list(dbt_args), {}
    if "--vars" in args:
        at = args.index("--vars")
        given = yaml.safe_load(args[at + 1]) or {}
        del args[at:at + 2]
    return [*args, "--vars", json.dumps({**variables, **given})]


def dbt_target_dir() -> Path:
    return Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))


def dbt_build(database: Path, dbt_args: list[str], as_of: dt.datetime, run: Run, log: TextIO,
              lock_descriptor: int, variables: dict | None = None,
              on_line: Callable[[str], None] = lambda line: None) -> dict:
    """`dbt build` on `database` with `lifecycle_as_of` and `variables` as dbt vars, its
    output streamed to the step log and to `on_line` (the terminal's progress). A failed test
    raises ChecksFailed, any other failure PipelineError. Returns the count of dbt results
    per status."""
    variables = {"lifecycle_as_of": as_of.isoformat(sep=" "), **(variables or {})}
    command = [str(Path(sys.executable).with_name("dbt")), "--no-use-colors", "build",
               *_with_vars(dbt_args, variables),
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    env = {**os.environ, "B2B_DUCKDB_PATH": str(database), "DBT_LOG_PATH": str(run.folder)}
    results_file = dbt_target_dir() / "run_results.json"
    started = time.time()
    log.write("$ " + " ".join(command) + "\n")
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, text=True, bufsize=1,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               pass_fds=(lock_descriptor,))
    try:
        for line in process.stdout:
            log.write(line)
            on_line(line)
        code = process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
    if not results_file.exists() or results_file.stat().st_mtime < started:
        raise PipelineError(f"dbt build exited with {code} before running anything "
                            f"(see {log.name})")
    shutil.copyfile(results_file, run.folder / "run_results.json")
    results = json.loads(results_file.read_text())["results"]
    statuses: dict[str, int] = {}
    for result in results:
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    if code == 0:
        return statuses
    broken = [r["unique_id"] for r in results if r["status"] in ("error", "runtime error")
              and not r["unique_id"].startswith(("test.", "unit_test."))]
    if broken:
        raise PipelineError(f"dbt build failed: {len(broken)} node(s) errored, e.g. "
                            f"{', '.join(broken[:3])} (see {log.name})")
    failed = [r["unique_id"] for r in results if r["status"] in ("fail", "error")]
    if failed:
        raise ChecksFailed(f"{len(failed)} dbt test(s) failed, e.g. {', '.join(failed[:3])}")
    raise PipelineError(f"dbt build exited with {code} (see {log.name})")


def dbt_test_results(results_file: Path) -> tuple[dict[str, int], list[str]]:
    """The dbt tests of a run_results.json: the count per status (pass, warn, fail, error),
    and a line per test that did not pass: its status, name and dbt's message."""
    results = [r for r in json.loads(results_file.read_text())["results"]
               if r["unique_id"].startswith(("test.", "unit_test."))]
    counts = {status: sum(r["status"] == status for r in results)
              for status in ("pass", "warn", "fail", "error")}
    problems = [f"{r['status'].upper():<5} {_test_name(r['unique_id'])}: "
                f"{(r.get('message') or '').strip()}"
                for r in results if r["status"] != "pass"]
    return counts, problems


def _test_name(unique_id: str) -> str:
    """'test.b2b_kpi.unique_x_id.1a2b3c' -> 'unique_x_id' (a generic test's id ends in a
    hash); 'unit_test.b2b_kpi.model.case' -> 'model.case'."""
    kind, _, *name = unique_id.split(".")
    return ".".join(name[:-1] if kind == "test" and len(name) > 1 else name)


def row_counts(database: Path) -> dict[str, dict[str, int]]:
    """Relations and rows per layer: raw (every schema dbt does not build), staging,
    intermediate, marts, seeds. Views are counted by running them."""
    counts: dict[str, dict[str, int]] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_catalog = current_database()"
            " and table_schema not in ('information_schema', 'pg_catalog', 'main')"
            " order by 1, 2").fetchall()
        for schema, table in relations:
            layer = schema if schema in DBT_LAYERS else "raw"
            rows = con.execute(f"select count(*) from {identifier(schema, table)}").fetchone()[0]
            entry = counts.setdefault(layer, {"relations": 0, "rows": 0})
            entry["relations"] += 1
            entry["rows"] += rows
    order = ["raw", *DBT_LAYERS]
    return dict(sorted(counts.items(), key=lambda item: order.index(item[0])))


MARTS_SCHEMA = "marts"


def export_marts(database: Path, out: Path) -> dict[str, int]:
    """Write `out`, a DuckDB file holding only the marts schema's tables of `database` (the
    warehouse also holds the raw, staging and intermediate data, with personal data): the
    file to hand to BI users. Written beside `out` and moved over it in one step, so a reader
    never sees half a file. Returns the rows per table."""
    scratch = out.with_name(out.name + ".writing")
    _discard(scratch)
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = {}
    try:
        with duckdb.connect(str(scratch)) as con:
            con.execute(f"attach {literal(str(database))} as source_warehouse (read_only)")
            tables = [name for (name,) in con.execute(
                "select table_name from information_schema.tables where table_catalog ="
                " 'source_warehouse' and table_schema = ? and table_type = 'BASE TABLE'"
                " order by 1", [MARTS_SCHEMA]).fetchall()]
            if not tables:
                raise BadInput(f"{database} has no {MARTS_SCHEMA} tables: build it first")
            catalog = con.execute("select current_database()").fetchone()[0]
            con.execute(f"create schema {identifier(catalog, MARTS_SCHEMA)}")
            for table in tables:
                target = identifier(catalog, MARTS_SCHEMA, table)
                con.execute(f"create table {target} as select * from source_warehouse."
                            f"{identifier(MARTS_SCHEMA, table)}")
                counts[table] = con.execute(f"select count(*) from {target}").fetchone()[0]
            con.execute("detach source_warehouse")
        _checkpoint(scratch)
        os.replace(scratch, out)
    finally:
        _discard(scratch)
    return counts


def rejected_rows(database: Path) -> list[dict]:
    """Per raw table that staging rejected rows of: the counts, the share, its level
    ('warn', 'error' or None, from stg_row_reconciliation) and the rows per reason. Empty
    when staging was not built, or its views cannot run (a build that failed early): the
    run's own error says why."""
    if not database.exists():
        return []
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            tables = con.execute(
                "select source_name, table_name, staged_rows, rejected_rows, rejected_share,"
                " rejected_share_level from staging.stg_row_reconciliation"
                " where rejected_rows > 0"
                " order by rejected_share desc, source_name, table_name").fetchall()
            reasons = con.execute(
                "select source_name, table_name, reject_reason, count(*) from"
                " staging.stg_rejected_rows group by all order by 4 desc, 3").fetchall()
        except duckdb.Error:
            return []
    return [{"table": f"{source}.{table}", "staged": staged, "rejected": rejected,
             "share": share, "level": level,
             "reasons": {reason: n for s, t, reason, n in reasons if (s, t) == (source, table)}}
            for source, table, staged, rejected, share, level in tables]


@contextmanager
def building(run: Run) -> Iterator[tuple[Path, int]]:
    """Lock the warehouse, yield (its building copy, the lock's descriptor) and publish the
    copy when the block succeeds; on any failure or interruption discard it."""
    with exclusive_lock(run.database, run.command) as descriptor:
        with run.step("copy warehouse") as log:
            started = time.perf_counter()
            copy = prepare_copy(run.database)
            size = copy.stat().st_size if copy.exists() else 0
            run.facts["copy"] = {"bytes": size,
                                 "seconds": round(time.perf_counter() - started, 3)}
            log.write(f"copied {size:,} bytes to {copy}\n")
        run.facts["published"] = False
        try:
            yield copy, descriptor
        except BaseException:
            _discard(copy)
            raise
        with run.step("publish"):
            publish(copy, run.database)
        run.facts["published"] = True


def lint() -> int:
    """sqlfluff over the models, analyses and tests; its exit code."""
    # the dbt templater only compiles: an empty scratch warehouse is enough
    scratch = tempfile.mkdtemp(prefix="b2bkpi-lint-")
    env = {**os.environ, "B2B_DUCKDB_PATH": os.path.join(scratch, "lint.duckdb")}
    try:
        return subprocess.run(
            [str(Path(sys.executable).with_name("sqlfluff")), "lint", "models", "analyses",
             "tests", "--processes", "2", "--disable-progress-bar"],
            cwd=PROJECT_DIR, env=env).returncode
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
