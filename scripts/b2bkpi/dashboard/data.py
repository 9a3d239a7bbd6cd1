"""What the dashboard and the HTML report show, read from the marts with plain, portable SQL.

One small connection layer: a read-only DuckDB file by default, PostgreSQL when
`DBT_TARGET=postgres` (the same `B2B_PG_*` variables as `profiles/profiles.yml`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from b2bkpi import registry

# filter → kpi_values dimension_name → fct_lead_lifecycle column (the rep's column depends on
# the KPI: FactKpi.rep)
CUTS = {
    "channel": ("channel", "channel"),
    "segment": ("company_size", "company_size_band"),
    "rep": ("rep", None),
}
SIZE_BANDS_CSV = registry.REGISTRY_CSV.with_name("company_size_bands.csv")
NO_DATA = "no data for this cut"


@dataclass(frozen=True)
class FactKpi:
    """A KPI computed from fct_lead_lifecycle, one lead a row, as its KPI model defines it
    (the dashboard's tests hold it to kpi_values): the timestamp that dates a lead into the
    KPI's period (its cohort or close month; leads without one are not counted), what each
    lead adds to the numerator and to the denominator (None: a count), and the owner column
    of the rep cut, the owner when the lead entered the denominator's stage."""

    period_at: str
    numerator: str
    denominator: str | None
    rep: str


def _reached(column: str) -> str:
    return f"case when {column} is not null then 1 else 0 end"


CLOSED_AT = "coalesce(customer_at, lost_at)"
FACT_KPIS = {
    "leads_created": FactKpi("lead_at", "1", None, "lead_owner_id"),
    "mqls": FactKpi("mql_at", "1", None, "mql_owner_id"),
    "sqls": FactKpi("sql_at", "1", None, "sql_owner_id"),
    "opportunities_created": FactKpi("opportunity_at", "1", None, "opportunity_owner_id"),
    "customers_won": FactKpi("customer_at", "1", None, "opportunity_owner_id"),
    "lead_to_mql_rate": FactKpi("lead_at", _reached("mql_at"), "1", "lead_owner_id"),
    "mql_to_sql_rate": FactKpi("mql_at", _reached("sql_at"), "1", "mql_owner_id"),
    "sql_to_opportunity_rate": FactKpi("sql_at", _reached("opportunity_at"), "1",
                                       "sql_owner_id"),
    "lead_to_customer_rate": FactKpi("lead_at", _reached("customer_at"), "1", "lead_owner_id"),
    "opportunity_win_rate": FactKpi(CLOSED_AT, _reached("customer_at"), "1",
                                    "opportunity_owner_id"),
    "sales_cycle_days": FactKpi(CLOSED_AT, "sales_cycle_days", "1", "opportunity_owner_id"),
}

# the KPIs of the scorecard tiles, in order (label, grain, unit, direction and target: the
# KPI registry)
TILES = ["leads_created", "mqls", "sqls", "customers_won", "lead_to_mql_rate",
         "mql_to_sql_rate", "opportunity_win_rate", "sales_cycle_days", "cost_per_lead", "cac",
         "ltv_to_cac", "net_revenue_retention"]

FUNNEL_STAGES = [
    ("leads_created", "Lead"),
    ("mqls", "MQL"),
    ("sqls", "SQL"),
    ("opportunities_created", "Opportunity"),
    ("customers_won", "Customer"),
]
# the conversion rate from each stage to the next (cohort rates, the win rate by close month)
FUNNEL_RATES = ["lead_to_mql_rate", "mql_to_sql_rate", "sql_to_opportunity_rate",
                "opportunity_win_rate"]

# (column, label, the conversion whose rep cut the step's rep follows)
STEP_DURATIONS = [
    ("lead_to_mql_days", "Lead → MQL", "lead_to_mql_rate"),
    ("mql_to_sql_days", "MQL → SQL", "mql_to_sql_rate"),
    ("sql_to_opportunity_days", "SQL → opportunity", "sql_to_opportunity_rate"),
    ("sales_cycle_days", "Opportunity → close", "opportunity_win_rate"),
]

ATTRIBUTION_MODELS = ["first_touch", "last_touch", "linear", "u_shaped", "w_shaped",
                      "time_decay"]
# the ABM chart's rates, and NRR (a multiple above 100 % is common) on a chart of its own
ABM_KPIS = [("abm_win_rate", "Win rate"), ("abm_retention", "Retention"),
            ("abm_expansion", "Expansion"), ("net_revenue_retention", "NRR")]
ABM_RATES = ["abm_win_rate", "abm_retention", "abm_expansion"]
RETENTION_KPIS = [("net_revenue_retention", "NRR (%, year on year)"),
                  ("gross_revenue_retention", "GRR (%, year on year)"),
                  ("customer_retention_rate", "Customer retention (%, in the month)")]
# multiples the dashboard shows as a percent, as analysts quote them (NRR 1.05 = 105 %)
SHOWN_AS_PERCENT = {"net_revenue_retention"}


@dataclass(frozen=True)
class Warehouse:
    """Where the marts are: a DuckDB file, or libpq parameters of a PostgreSQL database."""

    duckdb_path: Path | None = None
    postgres: dict[str, str] = field(default_factory=dict)
    # an open read-only DuckDB connection (`session`): opening the file costs more than most
    # of the dashboard's queries
    connection: duckdb.DuckDBPyConnection | None = field(default=None, compare=False)

    @classmethod
    def from_env(cls) -> Warehouse:
        if os.environ.get("DBT_TARGET", "duckdb") == "postgres":
            missing = [name for name in ("B2B_PG_HOST", "B2B_PG_USER", "B2B_PG_DATABASE")
                       if not os.environ.get(name)]
            if missing:
                raise ValueError(f"DBT_TARGET=postgres needs {', '.join(missing)} in the "
                                 "environment (see profiles/profiles.yml)")
            return cls(postgres={
                "host": os.environ["B2B_PG_HOST"], "port": os.environ.get("B2B_PG_PORT", "5432"),
                "user": os.environ["B2B_PG_USER"], "dbname": os.environ["B2B_PG_DATABASE"],
                "password": os.environ.get("B2B_PG_PASSWORD", "")})
        return cls.duckdb(Path(os.environ.get("B2B_DUCKDB_PATH", "data/warehouse.duckdb")))

    @classmethod
    def duckdb(cls, path: Path) -> Warehouse:
        if not path.is_file():
            raise FileNotFoundError(f"no warehouse at {path}: run `make run` first, or set "
                                    "B2B_DUCKDB_PATH to a built DuckDB file")
        return cls(duckdb_path=path)

    @contextmanager
    def session(self) -> Iterator[Warehouse]:
        """This warehouse with one read-only DuckDB connection for all its queries (a page's
        render), closed at the end, so that no lock outlives the page (on PostgreSQL: the
        warehouse itself)."""
        if self.duckdb_path is None or self.connection is not None:
            yield self
            return
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            yield replace(self, connection=con)

    def query(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        """Run `sql` with `?` placeholders (rewritten to `%s` for psycopg2)."""
        if self.connection is not None:
            return self.connection.execute(sql, list(params)).df()
        if self.duckdb_path is not None:
            with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
                return con.execute(sql, list(params)).df()
        import psycopg2  # only needed on the PostgreSQL target

        with psycopg2.connect(**self.postgres) as con:
            return pd.read_sql_query(sql.replace("?", "%s"), con, params=list(params))


@dataclass(frozen=True)
class Filters:
    """Months `start`..`end` (first days, inclusive) and any of channel, segment (company
    size band) and rep ('all': not filtered), combined with AND."""

    start: dt.date
    end: dt.date
    channel: str = "all"
    segment: str = "all"
    rep: str = "all"

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period starts ({self.start}) after it ends ({self.end})")

    @property
    def cuts(self) -> dict[str, str]:
        """The filters set, as {cut: value}, in CUTS order."""
        return {cut: getattr(self, cut) for cut in CUTS if getattr(self, cut) != "all"}

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def end_exclusive(self) -> dt.date:
        return (pd.Timestamp(self.end) + pd.DateOffset(months=1)).date()

    def describe(self, labels: dict[str, dict[str, str]] | None = None) -> str:
        """The period and cuts in words; `labels` (cut_values) name the values (a rep by
        name instead of id)."""
        period = f"{self.start:%Y-%m} to {self.end:%Y-%m}"
        return ", ".join([period, *(f"{cut} = {_label(labels, cut, value)}"
                                    for cut, value in self.cuts.items())])


def _label(labels: dict[str, dict[str, str]] | None, cut: str, value: str) -> str:
    return (labels or {}).get(cut, {}).get(value, value)


def month_range(warehouse: Warehouse) -> tuple[dt.date, dt.date]:
    """First and last month with leads created: the span the funnel covers."""
    row = warehouse.query("select min(period_start) as first_month, max(period_start) as "
                          "last_month from marts.kpi_values where kpi_id = 'leads_created' "
                          "and dimension_name = 'all'").iloc[0]
    return pd.Timestamp(row.first_month).date(), pd.Timestamp(row.last_month).date()


def default_filters(warehouse: Warehouse) -> Filters:
    """The last 12 months of data, all channels, segments and reps."""
    first, last = month_range(warehouse)
    start = max(first, (pd.Timestamp(last) - pd.DateOffset(months=11)).date())
    return Filters(start, last)


def shown_unit(kpi_id: str, unit: str) -> str:
    """The unit a KPI is shown in: its kpi_values unit, or 'ratio' (a percent) for the
    multiples of SHOWN_AS_PERCENT."""
    return "ratio" if kpi_id in SHOWN_AS_PERCENT else unit


def _size_order() -> dict[str, int]:
    """Company size bands by size (the company_size_bands seed's minimum employees)."""
    bands = pd.read_csv(SIZE_BANDS_CSV)
    return {band: rank for rank, band in enumerate(
        bands.sort_values("min_employees").company_size_band)}


def cut_values(warehouse: Warehouse) -> dict[str, dict[str, str]]:
    """Per filter, the values it offers (as the facts spell them: what it filters by, null
    as 'unknown') and their labels: channels by name, size bands by size, reps by name
    (dim_reps; the id when it has none), an inactive rep marked '(inactive)' and listed after
    the active ones."""
    lifecycle = warehouse.query(
        "select distinct coalesce(channel, 'unknown') as channel, "
        "coalesce(company_size_band, 'unknown') as segment from marts.fct_lead_lifecycle")
    owners = " union ".join(
        f"select {column} as rep_id from marts.fct_lead_lifecycle where {column} is not null"
        for column in sorted({kpi.rep for kpi in FACT_KPIS.values()}))
    reps = warehouse.query(
        f"""
        select owners.rep_id, coalesce(reps.rep_name, owners.rep_id) as rep_name,
            coalesce(reps.is_active, true) as is_active
        from ({owners}) as owners
        left join marts.dim_reps as reps on owners.rep_id = reps.rep_id
        """).sort_values(["is_active", "rep_name", "rep_id"], ascending=[False, True, True])
    sizes = _size_order()
    return {
        "channel": {value: value for value in sorted(lifecycle.channel.unique())},
        "segment": {value: value for value in sorted(
            lifecycle.segment.unique(), key=lambda band: (sizes.get(band, len(sizes)), band))},
        "rep": {rep.rep_id: rep.rep_name if rep.is_active else f"{rep.rep_name} (inactive)"
                for rep in reps.itertuples()},
    }


def _fact_where(filters: Filters, rep_column: str, date_column: str) -> tuple[str, list]:
    """The lifecycle fact's rows of the period (by `date_column`) and the filters' cuts."""
    where = [f"{date_column} >= ?", f"{date_column} < ?"]
    params: list = [filters.start, filters.end_exclusive]
    for cut, value in filters.cuts.items():
        column = CUTS[cut][1] or rep_column
        where.append(f"coalesce({column}, 'unknown') = ?")
        params.append(value)
    return " and ".join(where), params


def fact_rows(warehouse: Warehouse, kpi_ids: list[str], filters: Filters) -> pd.DataFrame:
    """Monthly rows of FACT_KPIS from fct_lead_lifecycle for every combination of the
    filters, shaped as kpi_values rows (numerator, denominator, value, unit, grain)."""
    selects, params = [], []
    for kpi_id in kpi_ids:
        kpi = FACT_KPIS[kpi_id]
        where, where_params = _fact_where(filters, kpi.rep, kpi.period_at)
        denominator = (f"cast(sum({kpi.denominator}) as double precision)" if kpi.denominator
                       else "cast(null as double precision)")
        selects.append(
            f"select '{kpi_id}' as kpi_id, "
            f"cast(date_trunc('month', {kpi.period_at}) as date) as period_start, "
            f"cast(sum({kpi.numerator}) as double precision) as numerator, "
            f"{denominator} as denominator "
            f"from marts.fct_lead_lifecycle where {where} group by 2")
        params += where_params
    if not selects:
        return _rows_frame(pd.DataFrame(columns=["kpi_id", "period_start", "numerator",
                                                 "denominator"]))
    return _rows_frame(warehouse.query(" union all ".join(selects), params))


def _rows_frame(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.astype({"numerator": float, "denominator": float})
    rows["period_start"] = pd.to_datetime(rows.period_start)
    rows["period_grain"] = [registry.kpi(kpi_id).period_grain for kpi_id in rows.kpi_id]
    rows["unit"] = [registry.kpi(kpi_id).unit for kpi_id in rows.kpi_id]
    rows["value"] = [numerator if pd.isna(denominator) else
                     (numerator / denominator if denominator else None)
                     for numerator, denominator in zip(rows.numerator, rows.denominator)]
    return rows[["kpi_id", "period_grain", "period_start", "value", "numerator",
                 "denominator", "unit"]]


def kpi_dimensions(warehouse: Warehouse) -> dict[str, set[str]]:
    """Per KPI in kpi_values, the dimensions it is broken down by."""
    rows = warehouse.query("select distinct kpi_id, dimension_name from marts.kpi_values")
    return {kpi_id: set(part.dimension_name) for kpi_id, part in rows.groupby("kpi_id")}


@dataclass(frozen=True)
class Cut:
    """What a KPI shows for the filters: the cuts applied, the filters that do not apply to
    it, and whether it can be shown at all (kpi_values cuts a KPI by one dimension at a
    time: two applicable filters together have no row)."""

    applied: dict[str, str]
    ignored: tuple[str, ...]
    available: bool = True

    @property
    def dimension(self) -> tuple[str, str]:
        """The kpi_values dimension of a KPI read from kpi_values."""
        if not self.applied:
            return "all", "all"
        (cut, value), = self.applied.items()
        return CUTS[cut][0], value

    def describe(self, labels: dict[str, dict[str, str]] | None = None) -> str:
        if not self.available:
            return (f"{NO_DATA} (kpi_values has no cut by {' and '.join(self.ignored)} "
                    "together)")
        text = ("cut: " + ", ".join(f"{cut} {_label(labels, cut, value)}"
                                    for cut, value in self.applied.items())
                if self.applied else "total (all)")
        if self.ignored:
            text += f" · not cut by {', '.join(self.ignored)}"
        return text


def kpi_cut(kpi_id: str, filters: Filters, dimensions: dict[str, set[str]]) -> Cut:
    """The cut a KPI shows: every filter for FACT_KPIS; else the one filter its kpi_values
    rows are broken down by (the total when none), the others ignored and said so."""
    cuts = filters.cuts
    if kpi_id in FACT_KPIS:
        return Cut(cuts, ())
    have = dimensions.get(kpi_id, set())
    applicable = {cut: value for cut, value in cuts.items() if CUTS[cut][0] in have}
    ignored = tuple(cut for cut in cuts if cut not in applicable)
    if len(applicable) > 1:
        return Cut({}, tuple(applicable), available=False)
    return Cut(applicable, ignored)


def kpi_rows(warehouse: Warehouse, kpi_ids: list[str], filters: Filters,
             dimensions: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Monthly (or cohort-month) rows of the KPIs in the period for the filters: FACT_KPIS
    from the lifecycle fact, the others from kpi_values at their grain and `kpi_cut`."""
    dimensions = dimensions if dimensions is not None else kpi_dimensions(warehouse)
    facts = [kpi_id for kpi_id in kpi_ids if kpi_id in FACT_KPIS]
    frames = [fact_rows(warehouse, facts, filters)] if facts else []
    pairs, params = [], []
    for kpi_id in kpi_ids:
        cut = kpi_cut(kpi_id, filters, dimensions)
        if kpi_id in FACT_KPIS or not cut.available:
            continue
        pairs.append("(kpi_id = ? and period_grain = ? and dimension_name = ? "
                     "and dimension_value = ?)")
        params += [kpi_id, registry.kpi(kpi_id).period_grain, *cut.dimension]
    if pairs:
        rows = warehouse.query(
            f"""
            select kpi_id, period_grain, period_start, value, numerator, denominator, unit
            from marts.kpi_values
            where ({' or '.join(pairs)}) and period_start between ? and ?
            """, [*params, filters.start, filters.end])
        rows["period_start"] = pd.to_datetime(rows.period_start)
        frames.append(rows)
    if not frames:
        return _rows_frame(pd.DataFrame(columns=["kpi_id", "period_start", "numerator",
                                                 "denominator"]))
    return pd.concat([frame for frame in frames if len(frame)] or frames[:1],
                     ignore_index=True)


def pooled(rows: pd.DataFrame) -> float | None:
    """A KPI over several periods: additive KPIs (no denominator) are summed; ratios and
    averages are Σ numerator / Σ denominator over the periods that have both."""
    if rows.empty:
        return None
    if rows.denominator.isna().all():
        return float(rows.numerator.sum()) if rows.numerator.notna().any() else None
    both = rows.dropna(subset=["numerator", "denominator"])
    total = both.denominator.sum()
    return float(both.numerator.sum() / total) if total else None


def immature_periods(warehouse: Warehouse) -> pd.DataFrame:
    """(kpi_id, period_grain, period_start) of the periods kpi_scorecard does not judge yet
    (a cohort that has not had its maturity days): the same for every cut."""
    rows = warehouse.query("select kpi_id, period_grain, period_start from "
                           "marts.kpi_scorecard where not is_mature")
    rows["period_start"] = pd.to_datetime(rows.period_start)
    return rows


def _mature(rows: pd.DataFrame, immature: pd.DataFrame) -> pd.DataFrame:
    key = ["kpi_id", "period_grain", "period_start"]
    flagged = rows[key].merge(immature.assign(_immature=True), how="left", on=key)
    return rows[flagged._immature.isna().to_numpy()]


def scorecard(warehouse: Warehouse, filters: Filters,
              labels: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """One row per tile: actual over the period's mature periods (a cohort rate's latest
    cohorts are left out until they are mature, as in kpi_scorecard), target, gap, whether
    on target, the last period pooled, and the cut it shows in words (`labels`: cut_values,
    to name reps)."""
    kpis = [registry.kpi(kpi_id) for kpi_id in TILES]
    dimensions = kpi_dimensions(warehouse)
    rows = _mature(kpi_rows(warehouse, TILES, filters, dimensions),
                   immature_periods(warehouse))
    tiles = []
    for kpi in kpis:
        unit = shown_unit(kpi.kpi_id, kpi.unit)
        cut = kpi_cut(kpi.kpi_id, filters, dimensions)
        own = rows[rows.kpi_id == kpi.kpi_id]
        actual = pooled(own)
        target = None
        # monthly count targets add up over the period, and are set for the total only
        if kpi.target_value is not None and not (unit == "count" and cut.applied):
            target = kpi.target_value * (filters.months if unit == "count" else 1)
        gap = actual - target if actual is not None and target is not None else None
        higher = kpi.higher_is_better
        on_target = None if gap is None or higher is None else bool(
            gap >= 0 if higher else gap <= 0)
        tiles.append({"kpi_id": kpi.kpi_id, "name": kpi.label, "unit": unit, "actual": actual,
                      "target": target, "gap": gap, "on_target": on_target,
                      "higher_is_better": higher,
                      "cut": cut.describe(labels) if actual is not None or not cut.available
                      else f"{NO_DATA} · {cut.describe(labels)}",
                      "last_period": own.period_start.max() if len(own) else None})
    return pd.DataFrame(tiles)


def funnel(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """Stage entries in the period and the conversion rate into each stage from the one
    before (cohort rates of the period's cohorts; the win rate by close month), for every
    combination of the filters."""
    rows = fact_rows(warehouse, [kpi_id for kpi_id, _ in FUNNEL_STAGES] + FUNNEL_RATES,
                     filters)
    stages = []
    for index, (kpi_id, label) in enumerate(FUNNEL_STAGES):
        rate_id = FUNNEL_RATES[index - 1] if index else None
        stages.append({"stage": label, "kpi_id": kpi_id,
                       "count": pooled(rows[rows.kpi_id == kpi_id]) or 0.0,
                       "rate_kpi_id": rate_id,
                       "conversion_rate": pooled(rows[rows.kpi_id == rate_id]) if rate_id
                       else None})
    return pd.DataFrame(stages)


def monthly_trend(warehouse: Warehouse, kpis: list[tuple[str, str]],
                  filters: Filters) -> pd.DataFrame:
    """One row per KPI and month of the period, for the filters (`kpi_cut`); `kpis` are
    (kpi_id, grain) pairs, the grain the registry's."""
    wrong = [f"{kpi_id} ({grain})" for kpi_id, grain in kpis
             if grain != registry.kpi(kpi_id).period_grain]
    if wrong:
        raise ValueError(f"not the registry's grain: {', '.join(wrong)}")
    rows = kpi_rows(warehouse, [kpi_id for kpi_id, _ in kpis], filters)
    # a month without an entry counted no entry (the fact has no row for it): 0, not a gap
    counts = [kpi_id for kpi_id, _ in kpis
              if kpi_id in FACT_KPIS and FACT_KPIS[kpi_id].denominator is None]
    months = pd.date_range(filters.start, filters.end, freq="MS")
    have = set(zip(rows.kpi_id, rows.period_start))
    zeros = pd.DataFrame([(kpi_id, month) for kpi_id in counts for month in months
                          if (kpi_id, month) not in have], columns=["kpi_id", "period_start"])
    if len(zeros) and len(rows):
        rows = pd.concat([rows, _rows_frame(zeros.assign(numerator=0.0, denominator=None))],
                         ignore_index=True)
    rows["unit"] = [shown_unit(kpi_id, unit) for kpi_id, unit in zip(rows.kpi_id, rows.unit)]
    return rows.sort_values(["kpi_id", "period_start"]).reset_index(drop=True)


def stage_durations(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """Mean and median days of each funnel step, for the leads created in the period and
    the filters (a step's rep: the owner its conversion rate is cut by)."""
    selects, params = [], []
    for order, (column, label, rate_id) in enumerate(STEP_DURATIONS):
        where, where_params = _fact_where(filters, FACT_KPIS[rate_id].rep, "lead_at")
        selects.append(
            f"select '{label}' as step, {order} as step_order, avg({column}) as mean_days, "
            f"percentile_cont(0.5) within group (order by {column}) as median_days, "
            f"count({column}) as leads from marts.fct_lead_lifecycle where {where}")
        params += where_params
    return warehouse.query(f"select * from ({' union all '.join(selects)}) as steps "
                           "order by step_order", params)


def _pooled_by(rows: pd.DataFrame, column: str) -> pd.Series:
    """`pooled` per value of `column`: a float Series, empty for no rows and NaN where every
    row is null (groupby.apply returns an empty DataFrame then, which breaks the table)."""
    return pd.Series({key: pooled(part) for key, part in rows.groupby(column)}, dtype=float)


def _channel_kind(channel: str, leads: float) -> str:
    if channel == "unattributed":
        return "no counted touch"
    return "touches only" if pd.isna(leads) else "lead source"


def channel_table(warehouse: Warehouse, filters: Filters, model: str) -> pd.DataFrame:
    """Per channel over the period: leads, cost, cost per lead, customers, CAC, and the
    marketing ROI of `model`'s attributed revenue (channel filter: that channel's row; cost
    is booked by channel only, so the segment and rep filters do not apply).
    Lead sources first; then the touch channels no lead is assigned to (website, content,
    …) and 'unattributed', which carry attributed revenue only."""
    _check_model(model)
    rows = warehouse.query(
        """
        select kpi_id, dimension_name, dimension_value, numerator, denominator
        from marts.kpi_values
        where period_grain = 'month' and period_start between ? and ?
            and ((kpi_id in ('leads_created', 'cost_per_lead', 'customers_won', 'cac')
                    and dimension_name = 'channel')
                or (kpi_id = 'marketing_roi' and dimension_name = 'model_channel'))
        """, [filters.start, filters.end])
    roi = rows[(rows.kpi_id == "marketing_roi")
               & rows.dimension_value.str.startswith(f"{model}|")].copy()
    roi["dimension_value"] = roi.dimension_value.str.split("|").str[1]
    # the ROI numerator is revenue − cost: add the cost back for the revenue itself
    roi["revenue"] = roi.numerator + roi.denominator.fillna(0)
    by_kpi = {kpi_id: rows[rows.kpi_id == kpi_id] for kpi_id in
              ("leads_created", "cost_per_lead", "customers_won", "cac")}
    table = pd.DataFrame({
        "leads": _pooled_by(by_kpi["leads_created"], "dimension_value"),
        "cost": by_kpi["cost_per_lead"].groupby("dimension_value").numerator.sum(min_count=1),
        "cost_per_lead": _pooled_by(by_kpi["cost_per_lead"], "dimension_value"),
        "customers": _pooled_by(by_kpi["customers_won"], "dimension_value"),
        "cac": _pooled_by(by_kpi["cac"], "dimension_value"),
        "attributed_revenue": roi.groupby("dimension_value").revenue.sum(min_count=1),
        "marketing_roi": _pooled_by(roi, "dimension_value"),
    }).rename_axis("channel").reset_index()
    table.insert(1, "kind", [_channel_kind(channel, leads)
                             for channel, leads in zip(table.channel, table.leads)])
    if filters.channel != "all":
        table = table[table.channel == filters.channel]
    return table.sort_values(["leads", "attributed_revenue"], ascending=False,
                             na_position="last").reset_index(drop=True)


def _check_model(model: str) -> None:
    if model not in ATTRIBUTION_MODELS:
        raise ValueError(f"unknown attribution model {model!r}; use one of "
                         f"{', '.join(ATTRIBUTION_MODELS)}")


def campaign_table(warehouse: Warehouse, filters: Filters, model: str) -> pd.DataFrame:
    """ROAS per ad platform and campaign over the period under attribution `model`, with the
    platform's channel (the channel of its touches in fct_touchpoints): the channel filter
    keeps that channel's platforms."""
    _check_model(model)
    rows = warehouse.query(
        """
        select dimension_value, numerator, denominator
        from marts.kpi_values
        where kpi_id = 'roas' and period_grain = 'month' and period_start between ? and ?
            and dimension_name = 'model_platform_campaign'
        """, [filters.start, filters.end])
    rows = rows[rows.dimension_value.str.startswith(f"{model}|")]
    parts = rows.dimension_value.str.split("|", expand=True)
    if len(rows):  # fct_touchpoints exists where attribution is built, as ROAS does
        channels = warehouse.query(
            "select platform, min(channel) as channel from marts.fct_touchpoints "
            "where platform is not null group by platform").set_index("platform").channel
        rows = rows.assign(platform=parts[1], campaign=parts[2])
        rows["channel"] = rows.platform.map(channels).fillna("unknown")
        if filters.channel != "all":
            rows = rows[rows.channel == filters.channel]
    columns = ["platform", "channel", "campaign", "ad_spend", "attributed_revenue", "roas"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = rows.groupby(["platform", "channel", "campaign"]).agg(
        ad_spend=("denominator", "sum"), attributed_revenue=("numerator", "sum"))
    table["roas"] = table.attributed_revenue / table.ad_spend.where(table.ad_spend > 0)
    return (table.reset_index().sort_values("roas", ascending=False)
            .reset_index(drop=True)[columns])


def abm_comparison(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """ABM target vs non-target accounts over the period, per KPI (period filter only: these
    KPIs are cut by ABM status alone)."""
    kpis = [kpi_id for kpi_id, _ in ABM_KPIS]
    rows = warehouse.query(
        f"""
        select kpi_id, dimension_value, numerator, denominator, unit
        from marts.kpi_values
        where kpi_id in ({', '.join('?' for _ in kpis)}) and period_grain = 'month'
            and period_start between ? and ? and dimension_name = 'abm_target'
        """, [*kpis, filters.start, filters.end])
    names = dict(ABM_KPIS)
    result = [{"kpi_id": kpi_id, "kpi": names[kpi_id], "group": group, "value": pooled(part)}
              for (kpi_id, group), part in rows.groupby(["kpi_id", "dimension_value"])]
    frame = pd.DataFrame(result, columns=["kpi_id", "kpi", "group", "value"])
    order = {kpi_id: index for index, kpi_id in enumerate(kpis)}
    return frame.sort_values(["kpi_id", "group"], key=lambda c: c.map(order) if
                             c.name == "kpi_id" else c).reset_index(drop=True)


def lead_queue(warehouse: Warehouse, filters: Filters, limit: int = 25) -> pd.DataFrame:
    """The top of the sales queue (`lead_priority`, as of the build), for the filters'
    channel, segment and rep (the lead's current owner: the one working the queue), with the
    owner's name (its id when dim_reps has none); the period does not apply to a current
    queue."""
    where, params = ["1 = 1"], []
    for cut, value in filters.cuts.items():
        column = f"lifecycle.{CUTS[cut][1]}" if CUTS[cut][1] else "priority.owner_id"
        where.append(f"coalesce({column}, 'unknown') = ?")
        params.append(value)
    return warehouse.query(
        f"""
        select priority.priority_rank, priority.lead_id, priority.owner_id,
            coalesce(reps.rep_name, priority.owner_id) as rep_name, lifecycle.channel,
            lifecycle.company_size_band, priority.current_stage, priority.grade,
            priority.score, priority.priority_reason
        from marts.lead_priority as priority
        left join marts.fct_lead_lifecycle as lifecycle on priority.lead_id = lifecycle.lead_id
        left join marts.dim_reps as reps on priority.owner_id = reps.rep_id
        where {' and '.join(where)}
        order by priority.priority_rank
        limit {int(limit)}
        """, params)
