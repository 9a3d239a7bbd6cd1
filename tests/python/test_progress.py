"""dbt's progress on the terminal (b2bkpi.progress): a bar with counts on a terminal, a line
of counts now and then on a pipe, WARN/FAIL/ERROR lines and dbt's closing summary always,
the whole stream with verbose. Fed with dbt's own line format."""

from __future__ import annotations

import io

from rich.console import Console

from b2bkpi.progress import DbtProgress

DBT_LINES = """\
10:00:01  Running with dbt=1.11.0
10:00:05  1 of 4 START sql view model staging.stg_a ................................ [RUN]
10:00:05  1 of 4 OK created sql view model staging.stg_a ........................... [OK in 0.1s]
10:00:05  2 of 4 START test not_null_stg_a_id ...................................... [RUN]
10:00:06  2 of 4 WARN 3 not_null_stg_a_id .......................................... [WARN 3 in 0.1s]
10:00:06  3 of 4 START test unique_stg_a_id ........................................ [RUN]
10:00:06  3 of 4 FAIL 1 unique_stg_a_id ............................................ [FAIL 1 in 0.1s]
10:00:06  4 of 4 START sql table model marts.kpi_x ................................. [RUN]
10:00:07  4 of 4 SKIP relation marts.kpi_x ......................................... [SKIP]
10:00:07  1 of 1 START hook: b2b_kpi.on-run-end.0 .................................. [RUN]
10:00:07  1 of 1 OK hook: b2b_kpi.on-run-end.0 ..................................... [OK in 0.0s]
10:00:07  Finished running 1 view model, 2 data tests, 1 table model in 0 hours 0 minutes.
10:00:07  Failure in test unique_stg_a_id (models/staging/_models.yml)
10:00:07  Done. PASS=1 WARN=1 ERROR=1 SKIP=1 NO-OP=0 TOTAL=4
""".splitlines()


def _show(terminal: bool, verbose: bool = False, interval: float = 3600
          ) -> tuple[str, DbtProgress]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=120, color_system=None)
    with DbtProgress(console, verbose, interval=interval) as progress:
        for line in DBT_LINES:
            progress.line(line + "\n")
    return out.getvalue(), progress


def test_counts_every_node_but_the_hooks():
    _, progress = _show(terminal=False)
    counts = progress.counts
    assert (counts.done, counts.total, counts.errors, counts.warnings) == (4, 4, 1, 1)


def test_off_a_terminal_one_line_of_counts_and_the_problems():
    text, _ = _show(terminal=False)
    assert "START" not in text and "OK created" not in text
    assert "WARN 3 not_null_stg_a_id" in text and "FAIL 1 unique_stg_a_id" in text
    assert "Failure in test unique_stg_a_id" in text and "Done. PASS=1" in text
    assert text.strip().splitlines()[-1].strip() == "dbt: 4/4 done, 1 errors, 1 warnings"
    assert "\r" not in text and "\x1b" not in text  # no redraws in a CI log


def test_off_a_terminal_a_line_every_interval():
    text, _ = _show(terminal=False, interval=0)
    assert text.count("dbt: ") > 4  # one per result line at interval 0, and the last


def test_on_a_terminal_a_bar_with_the_counts():
    text, _ = _show(terminal=True)
    assert "4/4" in text and "1 errors, 1 warnings" in text
    assert "WARN 3 not_null_stg_a_id" in text and "OK created" not in text


def test_verbose_is_dbts_whole_stream():
    text, _ = _show(terminal=True, verbose=True)
    for line in DBT_LINES:
        assert line.strip() in text
    assert "dbt: " not in text
