"""No model, analysis, data test or shared macro sends DuckDB-only SQL to every warehouse.

Two checks, because adapter-dispatched macros rightly emit each warehouse's own syntax (dbt's
`datediff` writes `::` on DuckDB and PostgreSQL alike, the project's `duckdb__median` writes
`median()`), so compiled DuckDB SQL cannot tell a finding from an allowed exception:
- the SQL we write (models, analyses, tests, and macros outside their `<adapter>__`
  implementations, Jinja removed) has none of the constructs below;
- the project compiled for PostgreSQL (`dbt compile` against an empty throwaway server:
  incremental models and dbt's date_spine ask the warehouse while compiling) has none of
  those PostgreSQL lacks: that catches DuckDB-only SQL that Jinja builds as strings.
Branching on the target inside a model would hide a construct from both, so that is checked
too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from b2bkpi.postgres_cluster import throwaway_cluster
from conftest import PROJECT_DIR


@dataclass(frozen=True)
class Construct:
    name: str
    pattern: re.Pattern[str]
    why: str
    instead: str
    runs_on_postgres: bool  # the PostgreSQL compile may contain it (dbt-postgres emits some)
    example: str  # a DuckDB-only use the pattern must find


def _construct(row: tuple[str, str, str, str, bool, str]) -> Construct:
    name, pattern, why, instead, runs_on_postgres, example = row
    return Construct(name, re.compile(pattern, re.IGNORECASE), why, instead, runs_on_postgres,
                     example)


# name, pattern, why it is not portable, the portable way, runs on PostgreSQL, example
DUCKDB_ONLY = [_construct(row) for row in [
    ("::", r"::", "PostgreSQL/DuckDB shorthand", "cast(x as type)", True, "x::date"),
    ("qualify", r"\bqualify\b", "DuckDB/Snowflake only", "the window in a CTE, then where",
     False, "qualify row_number() over () = 1"),
    ("list_/struct_/map_ functions", r"\b(list|struct|map)_[a-z_]+\s*\(", "DuckDB nested types",
     "a join or a group by", False, "list_contains(l, 1)"),
    ("array_ functions", r"\barray_(contains|has|distinct|filter|transform|slice|sort|extract)"
     r"\s*\(", "DuckDB spellings", "a join or a group by", False, "array_contains(a, 1)"),
    ("epoch()", r"\bepoch(_ms|_us|_ns)?\s*\(", "DuckDB only", "days_between, seconds_between",
     False, "epoch_us(t)"),
    ("strftime/strptime", r"\bstr[fp]time\s*\(", "DuckDB/SQLite only",
     "cast, dbt.date_trunc, month_of", False, "strftime(t, '%Y')"),
    ("date_diff/datediff", r"\bdate_?diff\s*\(", "argument order and boundaries differ",
     "dbt.datediff, days_between", False, "date_diff('day', a, b)"),
    ("date_add/date_sub", r"\bdate_(add|sub)\s*\(", "DuckDB/MySQL spellings", "dbt.dateadd",
     True, "date_add(d, interval 1 day)"),
    ("range()", r"\brange\s*\(", "a DuckDB table function", "dbt.date_spine", False,
     "from range(10)"),
    ("generate_series()", r"\bgenerate_series\s*\(", "a table function, not on every warehouse",
     "dbt.date_spine", True, "from generate_series(1, 10)"),
    ("regexp_matches", r"\bregexp_(matches|full_match)\s*\(",
     "a boolean on DuckDB, a set of rows on PostgreSQL", "like, or a dispatched macro", True,
     "regexp_matches(s, 'a')"),
    ("json arrows", r"->>?", "DuckDB/PostgreSQL JSON operators", "a dispatched macro", True,
     "j->>'key'"),
    ("ilike", r"\bilike\b", "not on every warehouse", "lower(x) like 'pattern'", True,
     "name ilike 'a%'"),
    ("any_value", r"\bany_value\s*\(", "PostgreSQL 16+ only", "min() or max()", False,
     "any_value(x)"),
    ("arg_max/arg_min/max_by", r"\b(arg_(max|min)|(max|min)_by)\s*\(", "DuckDB/Snowflake only",
     "row_number() in a CTE", False, "arg_max(x, t)"),
    ("count_if", r"\bcount_if\s*\(", "DuckDB/Snowflake only",
     "sum(case when ... then 1 else 0 end)", False, "count_if(x > 1)"),
    ("group by all", r"\bgroup\s+by\s+all\b", "not on PostgreSQL", "the grouped columns",
     False, "group by all"),
    ("* exclude/replace", r"\*\s*(exclude|replace)\s*\(", "DuckDB/Snowflake only",
     "the columns by name", False, "select * exclude (x)"),
    ("file readers", r"\bread_(parquet|csv|csv_auto|json)\s*\(",
     "warehouses read tables, not files", "a source loaded by b2bkpi.load", False,
     "read_parquet('f.parquet')"),
    ("try_cast", r"\btry_cast\s*\(", "DuckDB/Snowflake only", "dbt.safe_cast", False,
     "try_cast(x as int)"),
    ("median()", r"\bmedian\s*\(", "not on PostgreSQL", "the project's median macro", False,
     "median(x)"),
    ("if()/iff()/ifnull()", r"\b(if|iff|ifnull)\s*\(", "not on PostgreSQL",
     "case when, coalesce", False, "ifnull(x, 0)"),
    ("string_split", r"\bstr(ing)?_split\s*\(", "DuckDB only", "dbt.split_part", False,
     "string_split(s, ',')"),
    ("today()", r"\btoday\s*\(", "DuckDB only", "dbt.current_timestamp", False, "today()"),
    ("unquoted interval", r"\binterval\s+\d", "PostgreSQL needs interval '1 day'",
     "dbt.dateadd", False, "interval 1 day"),
    ("double type", r"\bdouble\b(?!\s+precision)", "PostgreSQL has no double", "type_double()",
     False, "cast(x as double)"),
    ("unsigned/huge integers", r"\b(hugeint|uhugeint|ubigint|uinteger|usmallint|utinyint)\b",
     "DuckDB only", "bigint, integer, numeric", False, "cast(x as hugeint)"),
]]

SQL_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# an adapter's own implementation (duckdb__median, postgres__x); default__ must be portable
ADAPTER_IMPLEMENTATION = re.compile(
    r"\{%-?\s*macro\s+(?!default__)[a-z0-9]+__\w+.*?\{%-?\s*endmacro\s*-?%\}", re.DOTALL)
TARGET_BRANCH = re.compile(r"\btarget\.(type|name)\b|\badapter\.type\s*\(")
WRITTEN_SQL = ("models", "analyses", "tests", "macros")


def constructs_in(sql: str, constructs: list[Construct] = DUCKDB_ONLY) -> list[Construct]:
    code = SQL_COMMENTS.sub(" ", sql)
    return [construct for construct in constructs if construct.pattern.search(code)]


def written_sql(path: Path) -> str:
    """What the file sends to every warehouse: its SQL without Jinja and adapter overrides."""
    return JINJA.sub(" ", ADAPTER_IMPLEMENTATION.sub(" ", path.read_text()))


def _sql_files(folder: str) -> list[Path]:
    return sorted((PROJECT_DIR / folder).rglob("*.sql"))


def _report(findings: list[tuple[str, Construct]]) -> str:
    return "\n".join(f"{where}: {c.name} ({c.why}; use {c.instead})" for where, c in findings)


@pytest.mark.parametrize("folder", WRITTEN_SQL)
def test_written_sql_has_no_duckdb_only_construct(folder):
    files = _sql_files(folder)
    assert files, f"no SQL under {folder}/"
    findings = [(str(path.relative_to(PROJECT_DIR)), construct)
                for path in files for construct in constructs_in(written_sql(path))]
    assert not findings, "DuckDB-only SQL written for every warehouse:\n" + _report(findings)


@pytest.fixture(scope="module")
def postgres_compiled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("compile_postgres")
    try:
        with throwaway_cluster() as params:
            env = {**os.environ, "DBT_TARGET": "postgres", "B2B_PG_HOST": params["host"],
                   "B2B_PG_PORT": params["port"], "B2B_PG_USER": params["user"],
                   "B2B_PG_DATABASE": params["dbname"], "DBT_LOG_PATH": str(folder / "logs")}
            command = [str(Path(sys.executable).with_name("dbt")), "compile",
                       "--target-path", str(folder / "target"), "--project-dir", str(PROJECT_DIR),
                       "--profiles-dir", str(PROJECT_DIR / "profiles")]
            result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True,
                                    text=True)
    except RuntimeError as missing:
        pytest.skip(str(missing))
    assert result.returncode == 0, f"dbt compile for PostgreSQL failed:\n{result.stdout[-4000:]}"
    return folder / "target" / "compiled" / "b2b_kpi"


def test_postgres_compile_has_nothing_postgres_lacks(postgres_compiled):
    files = sorted(postgres_compiled.rglob("*.sql"))
    assert len(files) > 100, "the PostgreSQL compile found almost nothing to check"
    missing_on_postgres = [c for c in DUCKDB_ONLY if not c.runs_on_postgres]
    findings = [(str(path.relative_to(postgres_compiled)), construct) for path in files
                for construct in constructs_in(path.read_text(), missing_on_postgres)]
    assert not findings, "compiled for PostgreSQL, but DuckDB-only:\n" + _report(findings)


@pytest.mark.parametrize("folder", ["models", "analyses", "tests"])
def test_nodes_do_not_branch_on_the_target(folder):
    """Adapter differences belong in dispatched macros, where the checks above can see them."""
    branching = [str(path.relative_to(PROJECT_DIR)) for path in _sql_files(folder)
                 if TARGET_BRANCH.search(path.read_text())]
    assert not branching, f"branches on the target outside a dispatched macro: {branching}"


@pytest.mark.parametrize("construct", DUCKDB_ONLY, ids=[c.name for c in DUCKDB_ONLY])
def test_each_pattern_finds_its_construct_only(construct):
    portable = ("select cast(x as double precision), coalesce(a, b), lower(s) like 'a%', "
                "case when x > 1 then 1 else 0 end -- x::date in a comment\n"
                "from t where d < cast('2025-01-01' as date) + interval '1 day'")
    assert construct in constructs_in(construct.example)
    assert construct not in constructs_in(portable)


def test_adapter_implementations_are_left_out_but_defaults_are_not():
    macro = ("{% macro duckdb__median(c) %}median({{ c }}){% endmacro %}\n"
             "{% macro default__median(c) %}percentile_cont(0.5){% endmacro %}")
    remaining = ADAPTER_IMPLEMENTATION.sub(" ", macro)
    assert "median({{" not in remaining and "percentile_cont" in remaining
