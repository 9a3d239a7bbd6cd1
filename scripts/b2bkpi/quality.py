"""Data-quality suites (Great Expectations) on the raw tables and on the marts.

    python -m b2bkpi.quality --database data/warehouse.duckdb --docs data/quality

Raw suites (after loading) check each raw table of the contract: required columns and their
types, row count, non-null keys, one row per key and sync, picklist values (statuses, stages,
currencies known to dated_conversion_rate), non-negative amounts, plausible dates, freshness.
Mart suites (after `dbt build`) check that every ratio of kpi_values is in [0, 1], that funnel
counts never grow along the stages of a lead cohort, that staging reconciles with raw, that
no status, stage or channel value is left unmapped, and that no mart column holds PII.

Every check has a severity: `error` (the results would be wrong: the run stops) or `warn`
(staging rejects or reports the rows; the run goes on). Tables are read from DuckDB into
DataFrames, since GX's SQL datasource does not work on DuckDB. The results go to GX Data Docs
(HTML) and to one line per check on the terminal.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from b2bkpi import data_docs
from b2bkpi.raw_contract import TABLES, RawTable
from b2bkpi.sql import identifier, literal

PROJECT_DIR = Path(__file__).resolve().parents[2]
EMAIL = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"
PII_COLUMNS = ["email", "first_name", "last_name", "name", "phone", "mobile_phone", "context_ip",
               "ip_address"]
EARLIEST_PLAUSIBLE = "2000-01-01"
FRESH_DAYS = 45
FUNNEL = ["leads", "mqls", "sqls", "opportunities", "customers"]
# pandas dtypes a DuckDB column of each logical type arrives as
DTYPES = {
    "integer": [f"{sign}int{bits}" for sign in ("", "u") for bits in (8, 16, 32, 64)]
    + [f"{sign}Int{bits}Dtype" for sign in ("", "U") for bits in (8, 16, 32, 64)],
    "boolean": ["bool", "boolean"],
    "date": ["datetime64[s]", "datetime64[ms]", "datetime64[us]", "datetime64[ns]"],
}
DTYPES["number"] = DTYPES["integer"] + ["float32", "float64", "Float64Dtype"]
DTYPES["timestamp"] = DTYPES["date"] + [f"datetime64[{u}, UTC]" for u in ("s", "ms", "us", "ns")]

# (table, columns that must not be negative)
NON_NEGATIVE = {
    ("salesforce", "account"): ["number_of_employees", "annual_revenue"],
    ("salesforce", "lead"): ["number_of_employees"],
    ("salesforce", "opportunity"): ["amount"],
    ("salesforce", "opportunity_history"): ["amount"],
    ("salesforce", "contract"): ["annual_value_c", "contract_term"],
    ("salesforce", "campaign"): ["budgeted_cost", "actual_cost"],
    ("salesforce", "event"): ["duration_in_minutes"],
    ("salesforce", "dated_conversion_rate"): ["conversion_rate"],
    ("google_ads", "campaign_stats"): ["impressions", "clicks", "cost_micros", "conversions"],
    ("linkedin_ads", "ad_analytics_by_campaign"): ["impressions", "clicks",
                                                   "cost_in_local_currency", "cost_in_usd"],
    ("facebook_ads", "basic_ad"): ["impressions", "inline_link_clicks", "spend", "reach"],
    ("social", "page_daily_stats"): ["followers", "impressions", "engagements", "clicks",
                                     "shares"],
    ("finance", "marketing_sales_costs"): ["amount"],
}
# (table, column) -> allowed values, compared trimmed and case-insensitively
PICKLISTS = {
    ("salesforce", "opportunity", "type"): ["New Business", "Renewal", "Upsell", "Cross-sell"],
    ("salesforce", "task", "task_subtype"): ["Call", "Email", "Task"],
    ("salesforce", "event", "type"): ["Meeting", "Demo"],
    ("marketo", "program", "type"): ["Email", "Nurture", "Webinar", "Event", "Content"],
    ("segment", "tracks", "event"): ["form_submitted", "content_downloaded", "demo_requested"],
    ("social", "page_daily_stats", "network"): ["linkedin", "facebook", "instagram", "x"],
    ("finance", "marketing_sales_costs", "cost_center"): ["marketing", "sales"],
    ("finance", "marketing_sales_costs", "category"): ["ads", "events", "content", "tools",
                                                       "salaries", "commissions"],
}
CURRENCY_COLUMNS = {("salesforce", "opportunity"): "currency_iso_code",
                    ("salesforce", "contract"): "currency_iso_code",
                    ("finance", "marketing_sales_costs"): "currency"}
# (table) -> (end column, start column) that must not come before
DATE_ORDER = {("salesforce", "contract"): ("end_date", "start_date"),
              ("salesforce", "campaign"): ("end_date", "start_date")}
# planned dates (a close date, a contract end) may lie in the future
FUTURE_ALLOWED = {"close_date", "end_date", "start_date", "next_start_date"}
# key columns that may be null (part of the key as '')
NULLABLE_KEYS = {("finance", "marketing_sales_costs", "channel")}
FRESHNESS = {("salesforce", "lead"): "created_date",
             ("salesforce", "opportunity"): "created_date"}


@dataclass(frozen=True)
class Check:
    """The outcome of one expectation."""
    suite: str
    check: str
    severity: str  # error | warn
    success: bool
    detail: str = ""

    @property
    def status(self) -> str:
        if self.success:
            return "ok"
        return "FAIL" if self.severity == "error" else "WARN"

    def line(self) -> str:
        text = f"{self.status:<4}  {self.suite:<44} {self.check}"
        return f"{text}: {self.detail}" if self.detail and not self.success else text


@dataclass
class Results:
    checks: list[Check] = field(default_factory=list)
    docs_index: Path | None = None

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.status == "FAIL"]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.status == "WARN"]

    @property
    def success(self) -> bool:
        return not self.errors


@dataclass
class Suite:
    """A named frame and the expectations to run on it: (expectation, severity, text)."""
    name: str
    frame: pd.DataFrame
    expectations: list = field(default_factory=list)

    def add(self, expectation, severity: str, text: str) -> None:
        self.expectations.append((expectation, severity, text))


def _seed_values(seed: str, column: str) -> list[str]:
    with open(PROJECT_DIR / "seeds" / f"{seed}.csv", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def _any_case(values: list[str]) -> str:
    """A regex matching any of `values`, trimmed, in any casing."""
    return r"(?i)^\s*(?:" + "|".join(re.escape(v) for v in values) + r")\s*$"


def _frame(con, sql: str) -> pd.DataFrame:
    """A query's rows, text columns as objects: GX 1.24's pandas metrics predate pandas 3's
    `str` dtype."""
    frame = con.execute(sql).df()
    text = [c for c, dtype in frame.dtypes.items() if isinstance(dtype, pd.StringDtype)]
    return frame.astype({c: object for c in text})


def _tables(con, schema: str) -> set[str]:
    return {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [schema]
    ).fetchall()}


def raw_suites(con, as_of: dt.datetime) -> list[Suite]:
    """One suite per contract table present in the warehouse."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    present = {(s, t) for s in {t.source for t in TABLES} for t in _tables(con, s)}
    currencies = []
    if ("salesforce", "dated_conversion_rate") in present:
        currencies = [r[0] for r in con.execute(
            "select distinct iso_code from salesforce.dated_conversion_rate"
            " where iso_code is not null").fetchall()]
    picklists = {
        **PICKLISTS,
        ("salesforce", "lead", "status"): _seed_values("lead_status_stages", "lead_status"),
        ("salesforce", "opportunity", "stage_name"):
            _seed_values("opportunity_stage_stages", "stage_name"),
        ("salesforce", "opportunity_history", "stage_name"):
            _seed_values("opportunity_stage_stages", "stage_name"),
    }
    latest = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    suites = []
    for raw in TABLES:
        if (raw.source, raw.name) not in present:
            continue
        frame = _frame(con, f"select * from {identifier(raw.source, raw.name)}")
        suite = Suite(f"raw.{raw.source}.{raw.name}", frame)
        _contract_checks(suite, raw, gxe)
        if "_fivetran_synced" in raw.columns:
            # re-syncs repeat a key, each with its own sync time
            key = list(dict.fromkeys([*raw.key, "_fivetran_synced"]))
            suite.add(gxe.ExpectCompoundColumnsToBeUnique(column_list=key), "warn",
                      f"one row per {' + '.join(key)}")
        for column in NON_NEGATIVE.get((raw.source, raw.name), []):
            suite.add(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0), "warn",
                      f"{column} is not negative")
        for (source, table, column), values in picklists.items():
            if (source, table) == (raw.source, raw.name):
                suite.add(gxe.ExpectColumnValuesToMatchRegex(
                    column=column, regex=_any_case(values)), "warn", f"{column} is a known value")
        if (raw.source, raw.name) in CURRENCY_COLUMNS and currencies:
            column = CURRENCY_COLUMNS[(raw.source, raw.name)]
            suite.add(gxe.ExpectColumnValuesToMatchRegex(
                column=column, regex=_any_case(currencies)), "warn",
                f"{column} is a currency of dated_conversion_rate")
        for column, logical in raw.columns.items():
            if logical not in ("date", "timestamp") or column == "_fivetran_synced":
                continue
            if column in FUTURE_ALLOWED:
                suite.add(gxe.ExpectColumnValuesToBeBetween(
                    column=column, min_value=pd.Timestamp(EARLIEST_PLAUSIBLE)),
                    "warn", f"{column} after {EARLIEST_PLAUSIBLE}")
            else:
                suite.add(gxe.ExpectColumnValuesToBeBetween(
                    column=column, min_value=pd.Timestamp(EARLIEST_PLAUSIBLE), max_value=latest),
                    "warn", f"{column} between {EARLIEST_PLAUSIBLE} and {latest.date()}")
        if (raw.source, raw.name) in DATE_ORDER:
            end, start = DATE_ORDER[(raw.source, raw.name)]
            suite.add(gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=end, column_B=start, or_equal=True,
                ignore_row_if="either_value_is_missing"), "warn", f"{end} not before {start}")
        if (raw.source, raw.name) == ("salesforce", "opportunity"):
            suite.add(gxe.ExpectColumnValuesToNotBeNull(
                column="amount", row_condition=Column("is_won") == True),  # noqa: E712
                "warn", "a won opportunity has an amount")
        if (raw.source, raw.name) == ("surveys", "enps_responses"):
            suite.add(gxe.ExpectColumnValuesToBeBetween(column="score", min_value=0, max_value=10),
                      "warn", "score between 0 and 10")
        if (raw.source, raw.name) in FRESHNESS:
            column = FRESHNESS[(raw.source, raw.name)]
            oldest = pd.Timestamp(as_of) - pd.Timedelta(days=FRESH_DAYS)
            suite.add(gxe.ExpectColumnMaxToBeBetween(column=column, min_value=oldest), "warn",
                      f"fresh: latest {column} after {oldest.date()}")
        suites.append(suite)
    return suites


def _contract_checks(suite: Suite, raw: RawTable, gxe) -> None:
    suite.add(gxe.ExpectTableRowCountToBeBetween(min_value=1), "error", "has rows")
    required = [c for c in raw.columns if c != "_fivetran_synced"]
    suite.add(gxe.ExpectTableColumnsToMatchSet(column_set=required, exact_match=False), "error",
              "has the contract's columns")
    for column in required:
        # a text column's type check would look at every value; the loader casts text anyway
        if raw.columns[column] not in ("string", "timestamp_text"):
            suite.add(gxe.ExpectColumnValuesToBeInTypeList(
                column=column, type_list=DTYPES[raw.columns[column]]), "error",
                f"{column} is a {raw.columns[column]}")
    for column in raw.key:
        if (raw.source, raw.name, column) in NULLABLE_KEYS:
            continue
        suite.add(gxe.ExpectColumnValuesToNotBeNull(column=column), "warn",
                  f"key {column} not null")


def mart_suites(con) -> list[Suite]:
    """Suites on the built warehouse; tables not built (a source switched off) are skipped."""
    import great_expectations.expectations as gxe

    marts, staging = _tables(con, "marts"), _tables(con, "staging")
    intermediate = _tables(con, "intermediate")
    suites = []
    if "kpi_values" in marts:
        ratios = Suite("marts.kpi_values (ratios)", _frame(con,
            "select kpi_id || ' ' || dimension_name || '=' || coalesce(dimension_value, '')"
            " || ' ' || cast(period_start as varchar) as kpi_row, value"
            " from marts.kpi_values where unit = 'ratio'"))
        ratios.add(gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=1),
                   "error", "every ratio in [0, 1]")
        suites.append(ratios)
    if "fct_lead_lifecycle" in marts:
        cohorts = Suite("marts.fct_lead_lifecycle (cohorts)", _frame(con, 
            "select cast(date_trunc('month', lead_at) as date) as cohort_month, count(*) as leads,"
            " count(mql_at) as mqls, count(sql_at) as sqls,"
            " count(opportunity_at) as opportunities, count(customer_at) as customers"
            " from marts.fct_lead_lifecycle group by 1"))
        for earlier, later in zip(FUNNEL, FUNNEL[1:]):
            cohorts.add(gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=earlier, column_B=later, or_equal=True), "error",
                f"per cohort month {later} <= {earlier}")
        suites.append(cohorts)
    if "stg_row_reconciliation" in staging:
        reconciliation = Suite("staging.stg_row_reconciliation", _frame(con, 
            "select source_name || '.' || table_name as raw_table, raw_rows, staged_rows,"
            " duplicate_rows, deleted_rows, rejected_rows,"
            " case when not is_reconciled then source_name || '.' || table_name end"
            " as unreconciled_table from staging.stg_row_reconciliation"))
        reconciliation.add(gxe.ExpectColumnValuesToBeNull(column="unreconciled_table"), "error",
                           "raw rows = staged + duplicate + deleted + rejected")
        suites.append(reconciliation)
    for model, column in [("int_lead_status_changes_mapped", "lead_status_raw"),
                          ("int_opportunity_stage_changes_mapped", "stage_name_raw")]:
        if model in intermediate:
            unmapped = Suite(f"intermediate.{model}", _frame(con, 
                f"select case when not is_mapped then {column} end as unmapped_value"
                f" from intermediate.{model}"))
            unmapped.add(gxe.ExpectColumnValuesToBeNull(column="unmapped_value"), "warn",
                         f"every {column} is in the mapping seed")
            suites.append(unmapped)
    if "int_channel_values" in intermediate:
        # one row per distinct value; an unmapped one is repeated by its rows, so the warning
        # names each value with its count
        values = _frame(con,
            "select case when not is_mapped then source_field || ': ' || source_value end"
            " as unmapped_value, case when is_mapped then 1 else row_count end as row_count"
            " from intermediate.int_channel_values")
        values = values.loc[values.index.repeat(values["row_count"])].reset_index(drop=True)
        channels = Suite("intermediate.int_channel_values", values)
        channels.add(gxe.ExpectColumnValuesToBeNull(column="unmapped_value"), "warn",
                     "every channel value is in the channel_mapping seed")
        suites.append(channels)
    if marts:
        suites += _pii_suites(con, gxe)
    return suites


def _pii_suites(con, gxe) -> list[Suite]:
    columns = con.execute(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'marts'").fetchall()
    values = " union all ".join(
        f"select distinct {literal(f'{t}.{c}: ')} || {identifier(c)} as mart_value"
        f" from {identifier('marts', t)}"
        for t, c, data_type in columns if data_type == "VARCHAR")
    suite = Suite("marts (PII)", _frame(con, values))
    suite.add(gxe.ExpectColumnValuesToNotMatchRegex(column="mart_value", regex=EMAIL), "error",
              "no mart value is an email address")
    names = Suite("marts (PII column names)", pd.DataFrame(
        {"mart_column": [c for _, c, _ in columns],
         "qualified": [f"{t}.{c}" for t, c, _ in columns]}))
    names.add(gxe.ExpectColumnValuesToNotBeInSet(column="mart_column", value_set=PII_COLUMNS),
              "error", "no mart column named like PII")
    return [suite, names]


def _detail(result) -> str:
    if result.exception_info and result.exception_info.get("raised_exception"):
        return f"could not run ({result.exception_info.get('exception_message')})"
    outcome = result.result or {}
    if "observed_value" in outcome and outcome.get("unexpected_count") is None:
        return f"observed {outcome['observed_value']}"
    # a null has no example worth showing (NaN != NaN)
    counts = [item for item in outcome.get("partial_unexpected_counts") or []
              if item["value"] == item["value"]]
    shown = ", ".join(f"{item['value']!r} ({item['count']})" for item in counts[:5])
    total = outcome.get("unexpected_count")
    return f"{total} rows" + (f", e.g. {shown}" if shown else "")


def run_suites(database: Path, docs_dir: Path, layers=("raw", "marts"),
               as_of: dt.datetime | None = None, log=print) -> Results:
    """Run the suites of `layers` on `database`, write Data Docs to `docs_dir`, log a line
    per check and return the checks."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    as_of = as_of or dt.datetime.now()
    with duckdb.connect(str(database), read_only=True) as con:
        suites = []
        if "raw" in layers:
            suites += raw_suites(con, as_of)
        if "marts" in layers:
            suites += mart_suites(con)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    docs_dir = Path(docs_dir).resolve()
    context.add_data_docs_site(site_name="quality", site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    source = context.data_sources.add_pandas("warehouse")
    results = Results()
    for suite in suites:
        asset = source.add_dataframe_asset(suite.name)
        for expectation, severity, text in suite.expectations:
            expectation.meta = {"severity": severity, "check": text}
        # added whole: adding expectations one by one re-serialises the suite each time
        gx_suite = context.suites.add(gx.ExpectationSuite(
            name=suite.name, expectations=[e for e, _, _ in suite.expectations]))
        definition = context.validation_definitions.add(gx.ValidationDefinition(
            name=suite.name, data=asset.add_batch_definition_whole_dataframe("all"),
            suite=gx_suite))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=suite.name, validation_definitions=[definition], result_format="SUMMARY"))
        outcome = checkpoint.run(batch_parameters={"dataframe": suite.frame})
        for run in outcome.run_results.values():
            for result in run.results:
                meta = result.expectation_config.meta
                check = Check(suite.name, meta["check"], meta["severity"], result.success,
                              "" if result.success else _detail(result))
                results.checks.append(check)
                log(check.line())
    context.build_data_docs(site_names=["quality"])
    data_docs.make_offline(docs_dir)  # GX links its CSS and JavaScript from CDNs
    results.docs_index = docs_dir / "index.html"
    log(f"data quality: {len(results.checks)} checks, {len(results.errors)} errors, "
        f"{len(results.warnings)} warnings; Data Docs: {results.docs_index}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="DuckDB warehouse file")
    parser.add_argument("--docs", type=Path, required=True, help="folder for the Data Docs")
    parser.add_argument("--layer", choices=["raw", "marts", "all"], default="all",
                        help="raw tables (after loading), marts (after dbt build), or both")
    parser.add_argument("--as-of", type=dt.datetime.fromisoformat, default=None,
                        help="the time dates are checked against (default: now)")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"error: {args.database}: no such database", file=sys.stderr)
        return 2
    layers = ("raw", "marts") if args.layer == "all" else (args.layer,)
    results = run_suites(args.database, args.docs, layers, args.as_of)
    for check in results.errors:
        print(f"error: {check.suite}: {check.check}: {check.detail}", file=sys.stderr)
    return 0 if results.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
