"""A throwaway PostgreSQL server for tests and the benchmark: Debian's binaries, a temporary
data folder, a free local port, durability off; stopped and removed on exit.

    with throwaway_cluster(roles=["bi_reader"]) as params:   # libpq parameters of database b2b
        ...
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

import psycopg2

from b2bkpi.debian import apt_install


def server_bin() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


def install_server() -> Path | None:
    """Debian's package, when the machine lacks it and we may install (root with apt-get)."""
    if server_bin() is None:
        apt_install("postgresql-15")
    return server_bin()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(*command: str) -> list[str]:
    """initdb and postgres refuse to run as root: run them as `postgres` then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def execute(params: dict[str, str], *statements: str) -> None:
    """Run statements in autocommit mode (create database cannot run in a transaction)."""
    with closing(psycopg2.connect(**params)) as con:
        con.autocommit = True
        with con.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@contextmanager
def throwaway_cluster(database: str = "b2b", roles: list[str] | tuple[str, ...] = ()
                      ) -> Iterator[dict[str, str]]:
    """Start a server, create `database` and the (nologin) `roles`, yield libpq parameters.

    Raises RuntimeError when no server binaries are found and they cannot be installed.
    """
    bin_dir = install_server()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql and "
                           "`apt-get install postgresql-15` was not possible")
    # outside private tmp folders: the server user must be able to read it
    folder = Path(tempfile.mkdtemp(prefix="b2b_pg_"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()

    def run(*command: str) -> None:
        subprocess.run(_as_server_user(*command), capture_output=True, text=True, check=True)

    started = False
    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-sync")
        # a throwaway server: durability off for speed
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w",
            "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off", "start")
        started = True
        params = {"host": "127.0.0.1", "port": str(port), "user": "postgres"}
        execute({**params, "dbname": "postgres"}, f"create database {database}",
                *(f"create role {role} nologin" for role in roles))
        yield {**params, "dbname": database}
    finally:
        if started:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
