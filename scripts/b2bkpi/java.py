"""Java 17 for local Spark (PySpark's JVM): Debian's `openjdk-17-jre-headless`, installed with
apt when missing and we are root, and JAVA_HOME pointed at it (another Java on the PATH, such
as a newer one Spark 3.5 does not support, is left alone)."""

from __future__ import annotations

import os
from pathlib import Path

from b2bkpi.debian import apt_install

JAVA_PACKAGE = "openjdk-17-jre-headless"


def java_17_home() -> Path | None:
    """Debian's Java 17 home (/usr/lib/jvm/java-17-openjdk-<arch>), if installed."""
    found = sorted(path.parent.parent for path in Path("/usr/lib/jvm").glob("java-17-openjdk-*/bin/java"))
    return found[0] if found else None


def ensure_java(environ=os.environ) -> Path:
    """Install Java 17 when missing, set JAVA_HOME in `environ` and return it.

    Raises RuntimeError, saying why, when it is missing and cannot be installed.
    """
    home = java_17_home()
    if home is None:
        apt_install(JAVA_PACKAGE)
        home = java_17_home()
    if home is None:
        raise RuntimeError(
            f"Java 17 not found under /usr/lib/jvm and `apt-get install {JAVA_PACKAGE}` was not "
            "possible (needs root and apt-get); install a Java 17 runtime for local Spark")
    environ["JAVA_HOME"] = str(home)
    return home
