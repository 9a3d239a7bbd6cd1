"""`python -m b2bkpi.dashboard` (and `b2bkpi dashboard`): start the Streamlit dashboard on
the marts, the warehouse opened read-only."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")
FORWARDED = (signal.SIGTERM, signal.SIGINT)


def streamlit_command(port: int, address: str) -> list[str]:
    """Headless, no usage statistics, no file watcher: nothing calls out or polls."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",
            "--server.port", str(port), "--server.address", address]


def check_database(database: Path | None) -> str | None:
    """Why the dashboard cannot start on `database` (None: it can). On PostgreSQL
    (DBT_TARGET=postgres) the B2B_PG_* variables name the database instead."""
    if os.environ.get("DBT_TARGET", "duckdb") == "postgres" or database is None:
        return None
    if not database.is_file():
        return f"no DuckDB file at {database}: run `b2bkpi run` (or `make run`) first"
    return None


def serve(database: Path | None, port: int, address: str) -> int:
    """Run Streamlit until it exits; SIGTERM and SIGINT are passed on to it (a second one
    kills it). Returns its exit code, or 128 + the signal's number when stopped by one."""
    env = dict(os.environ)
    if database is not None:
        env["B2B_DUCKDB_PATH"] = str(database.resolve())
    print(f"KPI dashboard on http://{address}:{port} (Ctrl+C stops it)", flush=True)
    child = subprocess.Popen(streamlit_command(port, address), env=env)
    received: list[int] = []

    def forward(signum: int, frame: object) -> None:
        if received:
            child.kill()
        else:
            child.send_signal(signum)
        received.append(signum)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED}
    try:
        code = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 128 + received[0] if received else code


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m b2bkpi.dashboard",
        description="Serve the KPI dashboard over the marts (DuckDB file by default, read "
                    "only; PostgreSQL with DBT_TARGET=postgres and the B2B_PG_* variables).")
    parser.add_argument("--database", type=Path,
                        help="DuckDB file (default: $B2B_DUCKDB_PATH or data/warehouse.duckdb)")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="localhost")
    args = parser.parse_args()
    problem = check_database(args.database)
    if problem:
        parser.error(problem)
    sys.exit(serve(args.database, args.port, args.address))


if __name__ == "__main__":
    main()
