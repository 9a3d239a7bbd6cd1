"""Debian packages that the tests need (a PostgreSQL server, Chromium), installed with apt when
missing and we are root; never a download of the tools' own."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def apt_install(package: str) -> None:
    """`apt-get install` the package, when we are root on a machine with apt-get (otherwise
    nothing: the caller checks for what it needs and says why it is missing)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # the package lists may be empty on a fresh image: update once, then install
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", package]
    # one at a time (parallel test workers): a second `apt-get update` would fail on apt's lock
    with open(Path(tempfile.gettempdir()) / "b2bkpi-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for command in (["apt-get", "update", "-q"], install):
            subprocess.run(command, capture_output=True, check=False, env=env)
