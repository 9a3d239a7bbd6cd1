"""Debian's Chromium for the browser test: installed with apt when missing and we are root
(no browser download at run time: Playwright drives this binary)."""

from __future__ import annotations

from pathlib import Path

from b2bkpi.debian import apt_install

CHROMIUM = Path("/usr/bin/chromium")
# headless, and nothing that calls out (updates, sync, QUIC probes)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def ensure_chromium() -> Path:
    """The Chromium binary; raises RuntimeError saying why when it is absent and cannot be
    installed (not root, or no apt-get)."""
    if not CHROMIUM.exists():
        apt_install("chromium")
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found and it could not be installed: run "
                           "`apt-get install chromium` as root (Debian's package)")
    return CHROMIUM
