"""`python -m b2bkpi.dashboard`: start the Streamlit dashboard on the marts."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")


def streamlit_command(port: int, address: str) -> list[str]:
    """Headless, no usage statistics, no file watcher: nothing calls out or polls."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",
            "--server.port", str(port), "--server.address", address]


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m b2bkpi.dashboard",
        description="Serve the KPI dashboard over the marts (DuckDB file by default; "
                    "PostgreSQL with DBT_TARGET=postgres and the B2B_PG_* variables).")
    parser.add_argument("--database", type=Path,
                        help="DuckDB file (default: $B2B_DUCKDB_PATH or data/warehouse.duckdb)")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="localhost")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.database is not None:
        if not args.database.is_file():
            parser.error(f"no DuckDB file at {args.database}: run `make run` first")
        env["B2B_DUCKDB_PATH"] = str(args.database.resolve())
    print(f"KPI dashboard on http://{args.address}:{args.port} (Ctrl+C stops it)")
    sys.exit(subprocess.call(streamlit_command(args.port, args.address), env=env))


if __name__ == "__main__":
    main()
