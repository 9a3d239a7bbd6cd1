"""Debian's Chromium for the browser test: installed with apt when missing and we are root
(no browser download at run time: Playwright drives this binary)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# headless, and nothing that calls out (updates, sync, QUIC probes)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def ensure_chromium() -> Path:
    """The Chromium binary; raises RuntimeError saying why when it is absent and cannot be
    installed (not root, or no apt-get)."""
    if not CHROMIUM.exists() and os.geteuid() == 0 and shutil.which("apt-get"):
        # the package lists may be empty on a fresh image: update once, then install
        install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "chromium"]
        for command in (["apt-get", "update", "-q"], install):
            subprocess.run(command, capture_output=True, check=False,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found and it could not be installed: run "
                           "`apt-get install chromium` as root (Debian's package)")
    return CHROMIUM
