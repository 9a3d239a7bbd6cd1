"""The data-quality suites: clean on the generated data (but for the planted unknown currency,
a warning), and an error-level failure for each broken rule, with an exit code and a message
naming the check."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import unquote

import duckdb
import pytest

from b2bkpi.quality import run_suites


def _quiet(message):
    return None


@pytest.fixture(scope="module")
def results(build, tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    lines = []
    return run_suites(build.database, docs, as_of=build.as_of.to_pydatetime(),
                      log=lines.append), lines


def test_generated_data_passes_with_the_planted_currency_as_warning(results):
    outcome, _ = results
    assert outcome.success, [c.line() for c in outcome.errors]
    assert [(c.suite, c.check, c.detail) for c in outcome.warnings] == [
        ("raw.salesforce.opportunity", "currency_iso_code is a currency of dated_conversion_rate",
         "3 rows, e.g. 'XYZ' (3)")]


def test_every_raw_table_and_the_mart_checks_ran(results):
    from b2bkpi.raw_contract import TABLES

    outcome, _ = results
    suites = {c.suite for c in outcome.checks}
    assert {f"raw.{t.source}.{t.name}" for t in TABLES} <= suites
    assert {"marts.kpi_values (ratios)", "marts.fct_lead_lifecycle (cohorts)",
            "staging.stg_row_reconciliation", "marts (PII)", "marts (PII column names)",
            "intermediate.int_lead_status_changes_mapped",
            "intermediate.int_opportunity_stage_changes_mapped"} <= suites


def test_one_summary_line_per_check_and_data_docs(results):
    outcome, lines = results
    assert len(lines) == len(outcome.checks) + 1
    assert lines[-1].startswith(f"data quality: {len(outcome.checks)} checks, 0 errors, 1 warn")
    assert outcome.docs_index.exists()
    validations = list(outcome.docs_index.parent.glob("validations/**/*.html"))
    assert len(validations) == len({c.suite for c in outcome.checks})


def _warehouse(path, *statements):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for statement in statements:
            con.execute(statement)
    return path


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "b2bkpi.quality", *args],
                          capture_output=True, text=True)


def test_cli_help():
    result = _cli("--help")
    assert result.returncode == 0
    assert "--database" in result.stdout and "--docs" in result.stdout


def test_cli_exits_1_and_names_a_ratio_out_of_range(tmp_path):
    database = _warehouse(
        tmp_path / "wh.duckdb",
        "create table marts.kpi_values as select * from (values"
        " ('lead_to_mql_rate', 'month', date '2024-01-01', 'all', 'all', 1.5, 'ratio'),"
        " ('mqls', 'month', date '2024-01-01', 'all', 'all', 40.0, 'count'))"
        " as t(kpi_id, period_grain, period_start, dimension_name, dimension_value, value, unit)")
    result = _cli("--database", str(database), "--docs", str(tmp_path / "docs"),
                  "--layer", "marts")
    assert result.returncode == 1
    assert "error: marts.kpi_values (ratios): every ratio in [0, 1]: 1 rows, e.g. 1.5 (1)" \
        in result.stderr
    assert (tmp_path / "docs" / "index.html").exists()


def test_funnel_growing_along_the_stages_is_an_error(tmp_path):
    database = _warehouse(
        tmp_path / "wh.duckdb",
        "create table marts.fct_lead_lifecycle as select * from (values"
        " ('l1', timestamp '2024-01-03', null, timestamp '2024-01-09', null, null),"
        " ('l2', timestamp '2024-01-05', null, timestamp '2024-01-10', null, null))"
        " as t(lead_id, lead_at, mql_at, sql_at, opportunity_at, customer_at)")
    outcome = run_suites(database, tmp_path / "docs", layers=("marts",), log=_quiet)
    assert [c.check for c in outcome.errors] == ["per cohort month sqls <= mqls"]


def test_an_email_in_a_mart_is_an_error(tmp_path):
    database = _warehouse(
        tmp_path / "wh.duckdb",
        "create table marts.leads_export as select 'l1' as lead_id,"
        " 'Mario.Rossi@example.it' as email")
    outcome = run_suites(database, tmp_path / "docs", layers=("marts",), log=_quiet)
    assert {(c.check, c.detail) for c in outcome.errors} == {
        ("no mart value is an email address",
         "1 rows, e.g. 'leads_export.email: Mario.Rossi@example.it' (1)"),
        ("no mart column named like PII", "1 rows, e.g. 'email' (1)"),
    }


# an asset the browser fetches: a script, a stylesheet, an image, a CSS url(); links to
# web pages (<a href>) are not assets
ASSET_URL = re.compile(
    r"""(<script[^>]*\ssrc=|<link[^>]*\shref=|<img[^>]*\ssrc=|url\()["']?https?://""")


def test_data_docs_load_nothing_from_the_network(tmp_path):
    database = _warehouse(
        tmp_path / "wh.duckdb",
        "create table marts.kpi_values as select * from (values"
        " ('lead_to_mql_rate', 'month', date '2024-01-01', 'all', 'all', 1.5, 'ratio'))"
        " as t(kpi_id, period_grain, period_start, dimension_name, dimension_value, value, unit)")
    outcome = run_suites(database, tmp_path / "docs", layers=("marts",), log=_quiet)
    site = outcome.docs_index.parent
    files = [*site.rglob("*.html"), *site.rglob("*.css")]
    assert len(files) > 2
    online = {str(f.relative_to(site)): ASSET_URL.findall(f.read_text()) for f in files}
    assert not {name: found for name, found in online.items() if found}
    index = outcome.docs_index.read_text()
    assert "static/styles/data_docs_offline.css" in index
    # the index's tables are HTML, not left for bootstrap-table's JavaScript to fill: each
    # suite's validation page is linked from it
    linked = {unquote(href) for href in re.findall(r'href="(validations/[^"]+)"', index)}
    assert linked == {page.relative_to(site).as_posix()
                      for page in site.glob("validations/**/*.html")}
