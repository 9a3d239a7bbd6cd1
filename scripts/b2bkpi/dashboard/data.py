"""What the dashboard and the HTML report show, read from the marts with plain, portable SQL.

One small connection layer: a read-only DuckDB file by default, PostgreSQL when
`DBT_TARGET=postgres` (the same `B2B_PG_*` variables as `profiles/profiles.yml`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from b2bkpi import registry

# label in the filters → kpi_values dimension_name → fct_lead_lifecycle column
CUTS = {
    "channel": ("channel", "channel"),
    "segment": ("company_size", "company_size_band"),
    "rep": ("rep", "owner_id"),
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

STEP_DURATIONS = [
    ("lead_to_mql_days", "Lead → MQL"),
    ("mql_to_sql_days", "MQL → SQL"),
    ("sql_to_opportunity_days", "SQL → opportunity"),
    ("sales_cycle_days", "Opportunity → close"),
]

ATTRIBUTION_MODELS = ["first_touch", "last_touch", "linear", "u_shaped", "w_shaped",
                      "time_decay"]
ABM_KPIS = [("abm_win_rate", "Win rate"), ("abm_retention", "Retention"),
            ("abm_expansion", "Expansion"), ("net_revenue_retention", "NRR")]
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

    def query(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        """Run `sql` with `?` placeholders (rewritten to `%s` for psycopg2)."""
        if self.duckdb_path is not None:
            with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
                return con.execute(sql, list(params)).df()
        import psycopg2  # only needed on the PostgreSQL target

        with psycopg2.connect(**self.postgres) as con:
            return pd.read_sql_query(sql.replace("?", "%s"), con, params=list(params))


@dataclass(frozen=True)
class Filters:
    """Months `start`..`end` (first days, inclusive) and at most one cut (channel, segment
    or rep): the marts break each KPI down by one dimension at a time."""

    start: dt.date
    end: dt.date
    cut: str = "all"
    value: str = "all"

    def __post_init__(self) -> None:
        if self.cut != "all" and self.cut not in CUTS:
            raise ValueError(f"unknown cut {self.cut!r}; use one of {', '.join(CUTS)}")
        if self.start > self.end:
            raise ValueError(f"period starts ({self.start}) after it ends ({self.end})")

    @property
    def dimension(self) -> tuple[str, str]:
        return (CUTS[self.cut][0], self.value) if self.cut != "all" else ("all", "all")

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def describe(self, shown_value: str | None = None) -> str:
        """The period and cut in words; `shown_value` replaces the cut's value (a rep's
        name instead of its id)."""
        period = f"{self.start:%Y-%m} to {self.end:%Y-%m}"
        if self.cut == "all":
            return period
        return f"{period}, {self.cut} = {shown_value or self.value}"


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


def cut_values(warehouse: Warehouse) -> dict[str, dict[str, str]]:
    """Per filter, the values it offers (as the marts spell them: what it filters by) and
    their labels, in label order: a rep's name from dim_reps for the rep ids (the id itself
    when dim_reps has no name, e.g. 'unknown'), the value itself for the other cuts."""
    names = [dimension for dimension, _ in CUTS.values()]
    rows = warehouse.query(
        f"""
        select distinct cut_rows.dimension_name, cut_rows.dimension_value,
            coalesce(reps.rep_name, cut_rows.dimension_value) as label
        from marts.kpi_values as cut_rows
        left join marts.dim_reps as reps
            on cut_rows.dimension_name = 'rep' and cut_rows.dimension_value = reps.rep_id
        where cut_rows.dimension_name in ({', '.join('?' for _ in names)})
        order by label, cut_rows.dimension_value
        """, names)
    return {cut: dict(rows.loc[rows.dimension_name == dimension, ["dimension_value", "label"]]
                      .itertuples(index=False))
            for cut, (dimension, _) in CUTS.items()}


def _kpi_rows(warehouse: Warehouse, kpis: list[tuple[str, str]], filters: Filters
              ) -> pd.DataFrame:
    """kpi_values rows of (kpi_id, grain) pairs in the period: of the filter's cut for the
    KPIs broken down by its dimension, else the total."""
    pairs = " or ".join("(kpi_id = ? and period_grain = ?)" for _ in kpis)
    name, value = filters.dimension
    return warehouse.query(
        f"""
        with cut_kpis as (
            select distinct kpi_id from marts.kpi_values where dimension_name = ?
        )
        select kpi_id, period_grain, period_start, dimension_name, dimension_value,
            value, numerator, denominator, unit
        from marts.kpi_values
        where ({pairs})
            and period_start between ? and ?
            and ((dimension_name = ? and dimension_value = ?)
                or (dimension_name = 'all' and kpi_id not in (select kpi_id from cut_kpis)))
        """,
        [name, *(item for pair in kpis for item in pair), filters.start, filters.end,
         name, value])


def cut_shown(warehouse: Warehouse, kpi_ids: list[str], filters: Filters) -> dict[str, str]:
    """Per KPI, the value of the filter's cut it shows, or 'all' when it is not broken
    down by the filter's dimension."""
    name, value = filters.dimension
    cut = set(warehouse.query("select distinct kpi_id from marts.kpi_values "
                              "where dimension_name = ?", [name]).kpi_id)
    return {kpi_id: value if kpi_id in cut else "all" for kpi_id in kpi_ids}


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
    return warehouse.query("select kpi_id, period_grain, period_start from marts.kpi_scorecard "
                           "where not is_mature")


def _mature(rows: pd.DataFrame, immature: pd.DataFrame) -> pd.DataFrame:
    key = ["kpi_id", "period_grain", "period_start"]
    flagged = rows[key].merge(immature.assign(_immature=True), how="left", on=key)
    return rows[flagged._immature.isna().to_numpy()]


def scorecard(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """One row per tile: actual over the period's mature periods (a cohort rate's latest
    cohorts are left out until they are mature, as in kpi_scorecard), target, gap, whether
    on target, the last period pooled, and the cut it shows ('all' when the KPI is not
    broken down by the filter's dimension)."""
    kpis = [registry.kpi(kpi_id) for kpi_id in TILES]
    rows = _mature(_kpi_rows(warehouse, [(kpi.kpi_id, kpi.period_grain) for kpi in kpis],
                             filters), immature_periods(warehouse))
    shown = cut_shown(warehouse, TILES, filters)
    tiles = []
    for kpi in kpis:
        unit = shown_unit(kpi.kpi_id, kpi.unit)
        own = rows[rows.kpi_id == kpi.kpi_id]
        actual = pooled(own)
        target = None
        # monthly count targets add up over the period, and are set for the total only
        if kpi.target_value is not None and not (unit == "count"
                                                 and shown[kpi.kpi_id] != "all"):
            target = kpi.target_value * (filters.months if unit == "count" else 1)
        gap = actual - target if actual is not None and target is not None else None
        higher = kpi.higher_is_better
        on_target = None if gap is None or higher is None else bool(
            gap >= 0 if higher else gap <= 0)
        tiles.append({"kpi_id": kpi.kpi_id, "name": kpi.label, "unit": unit, "actual": actual,
                      "target": target, "gap": gap, "on_target": on_target,
                      "higher_is_better": higher, "shown_cut": shown[kpi.kpi_id],
                      "last_period": own.period_start.max() if len(own) else None})
    return pd.DataFrame(tiles)


def funnel(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """Stage entries in the period and the conversion rate into each stage from the one
    before (cohort rates of the period's cohorts; the win rate by close month)."""
    kpis = [(kpi_id, "month") for kpi_id, _ in FUNNEL_STAGES]
    kpis += [(kpi_id, registry.kpi(kpi_id).period_grain) for kpi_id in FUNNEL_RATES]
    rows = _kpi_rows(warehouse, kpis, filters)
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
    """One row per KPI and month of the period (the filter's cut where the KPI has it)."""
    rows = _kpi_rows(warehouse, kpis, filters)
    rows["unit"] = [shown_unit(kpi_id, unit) for kpi_id, unit in zip(rows.kpi_id, rows.unit)]
    return rows.sort_values(["kpi_id", "period_start"]).reset_index(drop=True)


def stage_durations(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """Mean and median days of each funnel step, for the leads created in the period (all
    four filters apply: the lifecycle fact carries channel, size band and owner)."""
    where, params = _lifecycle_filter(filters, "lead_at")
    selects = " union all ".join(
        f"select '{label}' as step, {order} as step_order, avg({column}) as mean_days, "
        f"percentile_cont(0.5) within group (order by {column}) as median_days, "
        f"count({column}) as leads from marts.fct_lead_lifecycle where {where}"
        for order, (column, label) in enumerate(STEP_DURATIONS))
    return warehouse.query(f"select * from ({selects}) as steps order by step_order",
                           params * len(STEP_DURATIONS))


def _lifecycle_filter(filters: Filters, date_column: str) -> tuple[str, list]:
    where = f"{date_column} >= ? and {date_column} < ?"
    params: list = [filters.start, (pd.Timestamp(filters.end) + pd.DateOffset(months=1)).date()]
    if filters.cut != "all":
        where += f" and {CUTS[filters.cut][1]} = ?"
        params.append(filters.value)
    return where, params


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
    marketing ROI of `model`'s attributed revenue (channel filter: that channel's row).
    Lead sources first; then the touch channels no lead is assigned to (website, content,
    …) and 'unattributed', which carry attributed revenue only."""
    if model not in ATTRIBUTION_MODELS:
        raise ValueError(f"unknown attribution model {model!r}; use one of "
                         f"{', '.join(ATTRIBUTION_MODELS)}")
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
    if filters.cut == "channel":
        table = table[table.channel == filters.value]
    return table.sort_values(["leads", "attributed_revenue"], ascending=False,
                             na_position="last").reset_index(drop=True)


def campaign_table(warehouse: Warehouse, filters: Filters, model: str) -> pd.DataFrame:
    """ROAS per ad platform and campaign over the period under attribution `model`."""
    rows = warehouse.query(
        """
        select dimension_value, numerator, denominator
        from marts.kpi_values
        where kpi_id = 'roas' and period_grain = 'month' and period_start between ? and ?
            and dimension_name = 'model_platform_campaign'
        """, [filters.start, filters.end])
    rows = rows[rows.dimension_value.str.startswith(f"{model}|")]
    parts = rows.dimension_value.str.split("|", expand=True)
    rows = rows.assign(platform=parts[1], campaign=parts[2]) if len(rows) else rows
    if rows.empty:
        return pd.DataFrame(columns=["platform", "campaign", "ad_spend", "attributed_revenue",
                                     "roas"])
    table = rows.groupby(["platform", "campaign"]).agg(
        ad_spend=("denominator", "sum"), attributed_revenue=("numerator", "sum"))
    table["roas"] = table.attributed_revenue / table.ad_spend.where(table.ad_spend > 0)
    return table.reset_index().sort_values("roas", ascending=False).reset_index(drop=True)


def abm_comparison(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """ABM target vs non-target accounts over the period, per KPI (period filter only)."""
    kpis = [(kpi_id, "month") for kpi_id, _ in ABM_KPIS]
    rows = warehouse.query(
        f"""
        select kpi_id, dimension_value, numerator, denominator, unit
        from marts.kpi_values
        where kpi_id in ({', '.join('?' for _ in kpis)}) and period_grain = 'month'
            and period_start between ? and ? and dimension_name = 'abm_target'
        """, [kpi_id for kpi_id, _ in kpis] + [filters.start, filters.end])
    names = dict(ABM_KPIS)
    result = [{"kpi_id": kpi_id, "kpi": names[kpi_id], "group": group, "value": pooled(part)}
              for (kpi_id, group), part in rows.groupby(["kpi_id", "dimension_value"])]
    frame = pd.DataFrame(result, columns=["kpi_id", "kpi", "group", "value"])
    order = {kpi_id: index for index, (kpi_id, _) in enumerate(ABM_KPIS)}
    return frame.sort_values(["kpi_id", "group"], key=lambda c: c.map(order) if
                             c.name == "kpi_id" else c).reset_index(drop=True)


def lead_queue(warehouse: Warehouse, filters: Filters, limit: int = 25) -> pd.DataFrame:
    """The top of the sales queue (`lead_priority`, as of the build), for the filter's
    channel, segment or rep, with the owner's name (its id when dim_reps has none); the
    period does not apply to a current queue."""
    where, params = "1 = 1", []
    if filters.cut != "all":
        where, params = f"lifecycle.{CUTS[filters.cut][1]} = ?", [filters.value]
    return warehouse.query(
        f"""
        select priority.priority_rank, priority.lead_id, priority.owner_id,
            coalesce(reps.rep_name, priority.owner_id) as rep_name, lifecycle.channel,
            lifecycle.company_size_band, priority.current_stage, priority.grade,
            priority.score, priority.priority_reason
        from marts.lead_priority as priority
        left join marts.fct_lead_lifecycle as lifecycle on priority.lead_id = lifecycle.lead_id
        left join marts.dim_reps as reps on priority.owner_id = reps.rep_id
        where {where}
        order by priority.priority_rank
        limit {int(limit)}
        """, params)
