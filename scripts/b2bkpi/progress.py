"""dbt's progress on the terminal: a bar with counts instead of its ~900 node lines.

`dbt build` prints a START and a result line per node ("12 of 891 OK created sql view model
…", "PASS", "WARN 3", "FAIL 1", "ERROR", "SKIP"). `DbtProgress` reads them and shows, by
default, one bar with done / total, errors and warnings (redrawn in place on a terminal); when
stdout is not a terminal (CI logs, cron mail) one line every `interval` seconds instead of a
redraw per node. WARN, FAIL and ERROR lines and dbt's closing totals are always printed as
they come; `verbose` prints dbt's whole stream instead of the bar.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# "15:38:37  47 of 891 OK loaded seed file seeds.x ..... [CREATE 10 in 0.08s]"
RESULT_LINE = re.compile(r"\b(?P<done>\d+) of (?P<total>\d+) (?P<status>[A-Z]+)\b")
ERRORS, WARNINGS = ("FAIL", "ERROR"), ("WARN",)
# dbt's closing summary (the totals, each error's details) follows this line: always shown
CLOSING = "Finished running"
INTERVAL_S = 10.0


@dataclass
class Counts:
    done: int = 0
    total: int = 0
    errors: int = 0
    warnings: int = 0

    def line(self) -> str:
        return (f"dbt: {self.done:,}/{self.total:,} done, {self.errors:,} errors, "
                f"{self.warnings:,} warnings")


class DbtProgress:
    """Feed it dbt's output lines (`line`); use it as a context manager around the build."""

    def __init__(self, console: Console, verbose: bool = False, interval: float = INTERVAL_S,
                 indent: str = "    "):
        self.console, self.verbose, self.interval, self.indent = (console, verbose, interval,
                                                                  indent)
        self.counts = Counts()
        self.redraw = console.is_terminal and not verbose
        self._bar: Progress | None = None
        self._task = None
        self._last_print = time.monotonic()
        self._closing = False

    def __enter__(self) -> "DbtProgress":
        if self.redraw:
            self._bar = Progress(
                TextColumn(self.indent + "dbt"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[problems]}"), TimeElapsedColumn(),
                TextColumn("{task.description}"), console=self.console, transient=False)
            self._task = self._bar.add_task("", total=None, problems=self._problems())
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar:
            self._update("")
            self._bar.stop()
        elif not self.verbose and self.counts.total:
            self._print(self.counts.line())

    def _problems(self) -> str:
        return f"{self.counts.errors} errors, {self.counts.warnings} warnings"

    def _print(self, text: str) -> None:
        self.console.print(self.indent + text, markup=False, highlight=False)
        self._last_print = time.monotonic()

    def _update(self, description: str) -> None:
        self._bar.update(self._task, completed=self.counts.done, total=self.counts.total or None,
                         problems=self._problems(), description=description)

    def line(self, text: str) -> None:
        text = text.rstrip()
        match = RESULT_LINE.search(text)
        if match and text[match.end():].lstrip().startswith("hook:"):
            match = None  # the on-run-end hook counts "1 of 1" of its own
        status = match["status"] if match else ""
        if match:
            self.counts.total = int(match["total"])
            if status != "START":
                self.counts.done += 1
                self.counts.errors += status in ERRORS
                self.counts.warnings += status in WARNINGS
        if self.verbose:
            self._print(text)
            return
        self._closing = self._closing or CLOSING in text
        if (status in (*ERRORS, *WARNINGS) or self._closing) and text:
            self._print(text)
        if self._bar:
            if match:
                self._update(text[match.end():].split(" ...")[0].strip()[:60])
        elif match and time.monotonic() - self._last_print >= self.interval:
            self._print(self.counts.line())
