"""The dashboard's numbers, recomputed here from kpi_values and the lifecycle fact (any
combination of filters), the `b2bkpi dashboard` command's bad input, and the
self-contained HTML report."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from b2bkpi import registry
from b2bkpi.dashboard import charts, data
from b2bkpi.report import write_report

PERIOD = (dt.date(2024, 7, 1), dt.date(2025, 6, 1))  # the last 12 months of the session data


def expected_pooled(build, kpi_id: str, grain: str, dimension: tuple[str, str],
                    maturity_days: int = 0) -> float | None:
    """Counts summed; ratios and averages as Σ numerator / Σ denominator (periods with both);
    with `maturity_days`, over the months that ended that many days before the as-of only
    (a scorecard tile's mature cohorts)."""
    mature = (f"and period_start + interval 1 month + interval {maturity_days} day"
              f" <= timestamp '{build.as_of}'" if maturity_days else "")
    row = build.query(f"""
        select count(denominator) as with_denominator, sum(numerator) as total,
            sum(case when denominator is not null then numerator end)
                / nullif(sum(case when numerator is not null then denominator end), 0) as ratio
        from marts.kpi_values
        where kpi_id = '{kpi_id}' and period_grain = '{grain}'
            and period_start between '{PERIOD[0]}' and '{PERIOD[1]}'
            and dimension_name = '{dimension[0]}' and dimension_value = '{dimension[1]}'
            {mature}
    """).iloc[0]
    value = row.total if row.with_denominator == 0 else row.ratio
    return None if pd.isna(value) else float(value)


def same(actual: float | None, expected: float | None) -> bool:
    """Equal values, or both missing (None in Python, NaN in a frame)."""
    if expected is None:
        return actual is None or pd.isna(actual)
    return actual == pytest.approx(expected)


def busiest_rep(build, column: str = "owner_id") -> str:
    """The rep owning most leads by `column` (owner_id: now; mql_owner_id: at the MQL, …)."""
    return build.query(f"select {column} from marts.fct_lead_lifecycle "
                       f"where {column} is not null group by {column} "
                       f"order by count(*) desc, {column} limit 1")[column][0]


def fact_expected(build, kpi_id: str, where: str, maturity_days: int = 0) -> float | None:
    """A funnel KPI over PERIOD straight from fct_lead_lifecycle (pandas, not the
    dashboard's SQL) for the leads `where` selects (a pandas query over the fact, the rep
    column named per KPI as the catalogue attributes it); cohorts younger than
    `maturity_days` at the as-of left out."""
    life = build.query("select * from marts.fct_lead_lifecycle")
    closed_at = life.customer_at.fillna(life.lost_at)
    # the KPI's date, what it counts, whether it is a rate (else a count), its rep column
    kpis = {
        "leads_created": (life.lead_at, 1, False, "lead_owner_id"),
        "mqls": (life.mql_at, 1, False, "mql_owner_id"),
        "sqls": (life.sql_at, 1, False, "sql_owner_id"),
        "opportunities_created": (life.opportunity_at, 1, False, "opportunity_owner_id"),
        "customers_won": (life.customer_at, 1, False, "opportunity_owner_id"),
        "lead_to_mql_rate": (life.lead_at, life.mql_at.notna(), True, "lead_owner_id"),
        "mql_to_sql_rate": (life.mql_at, life.sql_at.notna(), True, "mql_owner_id"),
        "sql_to_opportunity_rate": (life.sql_at, life.opportunity_at.notna(), True,
                                    "sql_owner_id"),
        "opportunity_win_rate": (closed_at, life.customer_at.notna(), True,
                                 "opportunity_owner_id"),
        "sales_cycle_days": (closed_at, life.sales_cycle_days, True, "opportunity_owner_id"),
    }
    at, value, is_rate, rep_column = kpis[kpi_id]
    frame = life.assign(dated=at, value=value, rep=life[rep_column])
    month_end = frame.dated.dt.to_period("M").dt.to_timestamp() + pd.DateOffset(months=1)
    keep = ((frame.dated >= pd.Timestamp(PERIOD[0]))
            & (frame.dated < pd.Timestamp("2025-07-01")))
    if maturity_days:
        keep &= month_end + pd.Timedelta(days=maturity_days) <= build.as_of
    chosen = frame[keep].query(where) if where else frame[keep]
    if chosen.empty:
        return None
    return float(chosen.value.astype(float).mean() if is_rate else len(chosen))


@pytest.fixture
def warehouse(build) -> data.Warehouse:
    return data.Warehouse.duckdb(build.database)


def test_default_filters_are_the_last_twelve_months(warehouse):
    filters = data.default_filters(warehouse)
    assert (filters.start, filters.end, filters.cuts) == (*PERIOD, {})
    assert filters.months == 12


def test_scorecard_totals_equal_kpi_values_and_targets(build, warehouse):
    """Unfiltered, every tile (the funnel KPIs computed from the lifecycle fact included)
    is the KPI models' number."""
    tiles = data.scorecard(warehouse, data.Filters(*PERIOD)).set_index("kpi_id")
    for kpi_id in data.TILES:
        kpi, tile = registry.kpi(kpi_id), tiles.loc[kpi_id]
        assert tile.actual == pytest.approx(expected_pooled(
            build, kpi_id, kpi.period_grain, ("all", "all"), kpi.maturity_days))
        assert tile.cut == "total (all)"
        months = 12 if tile.unit == "count" else 1
        assert tile.target == pytest.approx(kpi.target_value * months)
        assert tile.gap == pytest.approx(tile.actual - tile.target)
        assert tile["name"] == kpi.label


def test_scorecard_tiles_leave_immature_cohorts_out(build, warehouse):
    """The lead → MQL cohort of 2025-06 has not had its 30 days by the as-of (2025-07-01):
    its tile pools the cohorts to 2025-05 and says so."""
    tiles = data.scorecard(warehouse, data.Filters(*PERIOD)).set_index("kpi_id")
    assert tiles.loc["lead_to_mql_rate", "last_period"] == pd.Timestamp("2025-05-01")
    assert tiles.loc["leads_created", "last_period"] == pd.Timestamp("2025-06-01")
    assert tiles.loc["lead_to_mql_rate", "actual"] != pytest.approx(
        expected_pooled(build, "lead_to_mql_rate", "cohort_month", ("all", "all")))
    page = charts.tiles_html(tiles.reset_index())
    assert "mature cohorts to 2025-05" in page and html.escape(charts.SCORECARD_LEGEND) in page


def test_fact_kpis_equal_the_kpi_models_for_every_month_and_cut(build, warehouse):
    """The funnel KPIs the dashboard computes from the lifecycle fact are the KPI models'
    rows month by month: unfiltered, by channel and by rep (the owner at entry into the
    denominator's stage, in both)."""
    sdr = busiest_rep(build, "mql_owner_id")
    for filters, dimension in [(data.Filters(*PERIOD), ("all", "all")),
                               (data.Filters(*PERIOD, channel="events"), ("channel", "events")),
                               (data.Filters(*PERIOD, rep=sdr), ("rep", sdr))]:
        kpi_ids = [kpi_id for kpi_id in data.FACT_KPIS if dimension[0] != "rep" or
                   registry.kpi(kpi_id).model != "kpi_funnel_stage_counts"]
        ours = data.fact_rows(warehouse, kpi_ids, filters)
        models = build.query(f"""
            select kpi_id, period_start, numerator, denominator from marts.kpi_values
            where dimension_name = '{dimension[0]}' and dimension_value = '{dimension[1]}'
                and period_start between '{PERIOD[0]}' and '{PERIOD[1]}'
                and kpi_id in ({', '.join(f"'{kpi_id}'" for kpi_id in kpi_ids)})
                and period_grain in ('month', 'cohort_month')""")
        models["period_start"] = pd.to_datetime(models.period_start)
        key = ["kpi_id", "period_start"]
        merged = ours.merge(models, on=key, how="outer", suffixes=("", "_model"),
                            indicator=True)
        assert (merged._merge == "both").all(), merged[merged._merge != "both"][key]
        assert merged.numerator.tolist() == pytest.approx(merged.numerator_model.tolist())
        assert merged.denominator.fillna(-1).tolist() == pytest.approx(
            merged.denominator_model.fillna(-1).tolist())
        # an SDR owns no opportunity: no win rate or sales cycle rows, on either side
        assert set(merged.kpi_id) >= ({"lead_to_mql_rate", "mql_to_sql_rate"}
                                      if dimension[0] == "rep" else set(kpi_ids))


def test_channel_filter_shows_the_channel_rows_or_the_total(build, warehouse):
    tiles = data.scorecard(warehouse, data.Filters(*PERIOD, channel="paid_search"))
    for tile in tiles.itertuples():
        kpi = registry.kpi(tile.kpi_id)
        has_channel = not build.query(
            f"select 1 from marts.kpi_values where kpi_id = '{tile.kpi_id}' "
            "and dimension_name = 'channel' limit 1").empty
        dimension = ("channel", "paid_search") if has_channel else ("all", "all")
        assert tile.cut == ("cut: channel paid_search" if has_channel
                            else "total (all) · not cut by channel")
        assert same(tile.actual, expected_pooled(build, tile.kpi_id, kpi.period_grain, dimension,
                                                 kpi.maturity_days))
        if tile.unit == "count":  # count targets are set for the total only
            assert pd.isna(tile.target)


def test_combined_filters_are_the_facts_of_that_cut(build, warehouse):
    """Channel AND segment AND rep: the funnel tiles and the funnel are the lifecycle
    fact's leads of that cut; the tiles of KPIs broken down by one dimension say which
    filter they follow, and show nothing when two of theirs are set together."""
    sdr = busiest_rep(build, "lead_owner_id")
    labels = data.cut_values(warehouse)
    filters = data.Filters(*PERIOD, channel="paid_search", segment="50-249", rep=sdr)
    tiles = data.scorecard(warehouse, filters, labels).set_index("kpi_id")
    cut = "channel == 'paid_search' and company_size_band == '50-249' and rep == @sdr"
    where = cut.replace("@sdr", repr(sdr))
    for kpi_id in data.TILES:
        if kpi_id not in data.FACT_KPIS:
            continue
        kpi = registry.kpi(kpi_id)
        assert same(tiles.loc[kpi_id, "actual"],
                    fact_expected(build, kpi_id, where, kpi.maturity_days)), kpi_id
        assert labels["rep"][sdr] in tiles.loc[kpi_id, "cut"]
    assert tiles.loc["leads_created", "actual"] > 0
    stages = data.funnel(warehouse, filters).set_index("kpi_id")
    for kpi_id, _ in data.FUNNEL_STAGES:
        assert stages.loc[kpi_id, "count"] == (fact_expected(build, kpi_id, where) or 0)
    assert tiles.loc["cac", "cut"] == "cut: channel paid_search · not cut by segment, rep"
    assert tiles.loc["net_revenue_retention", "cut"] == (
        "cut: segment 50-249 · not cut by channel, rep")
    both = data.scorecard(warehouse, data.Filters(*PERIOD, channel="events", segment="1-49"))
    assert both.set_index("kpi_id").loc["cac", "cut"] == "cut: channel events · not cut by segment"
    # two filters a kpi_values KPI is broken down by one at a time: no combined row
    trend = data.monthly_trend(warehouse, [("leads_created", "month")],
                               data.Filters(*PERIOD, channel="events", segment="1-49"))
    assert trend.numerator.sum() == fact_expected(
        build, "leads_created", "channel == 'events' and company_size_band == '1-49'")
    assert len(trend) == 12  # a month without a lead is a 0, not a gap in the line
    nothing = data.scorecard(warehouse, data.Filters(*PERIOD, channel="no_such_channel",
                                                     segment="50-249")).set_index("kpi_id")
    assert pd.isna(nothing.loc["leads_created", "actual"])
    assert nothing.loc["leads_created", "cut"].startswith(data.NO_DATA)
    assert data.kpi_cut("cost_per_lead", filters, {"cost_per_lead": {"channel", "rep"}}
                        ).describe().startswith(data.NO_DATA)


def test_funnel_counts_and_rates_by_the_owner_at_each_stage(build, warehouse):
    """A rep's funnel: each stage's entries and rate by the owner when the lead entered the
    stage the rate starts from (an SDR has MQL → SQL conversions, not 0 %)."""
    rep = busiest_rep(build, "mql_owner_id")
    stages = data.funnel(warehouse, data.Filters(*PERIOD, rep=rep))
    for stage in stages.itertuples():
        assert stage.count == (fact_expected(build, stage.kpi_id, f"rep == {rep!r}") or 0)
        if stage.rate_kpi_id:
            grain = "month" if stage.rate_kpi_id == "opportunity_win_rate" else "cohort_month"
            assert same(stage.conversion_rate,
                        expected_pooled(build, stage.rate_kpi_id, grain, ("rep", rep)))


def test_stage_durations_are_those_of_the_filtered_leads(build, warehouse):
    durations = data.stage_durations(warehouse, data.Filters(*PERIOD, segment="50-249"))
    leads = build.query("select * from marts.fct_lead_lifecycle").query(
        "company_size_band == '50-249' and lead_at >= '2024-07-01' and lead_at < '2025-07-01'")
    for (column, _, _), step in zip(data.STEP_DURATIONS, durations.itertuples()):
        assert step.leads == leads[column].count()
        assert step.mean_days == pytest.approx(leads[column].mean())
        assert step.median_days == pytest.approx(leads[column].median())


def test_channel_table_sums_to_the_channel_rows(build, warehouse):
    table = data.channel_table(warehouse, data.Filters(*PERIOD), "w_shaped").set_index("channel")
    for channel in ("paid_search", "events"):
        assert table.loc[channel, "cost_per_lead"] == pytest.approx(
            expected_pooled(build, "cost_per_lead", "month", ("channel", channel)))
        assert table.loc[channel, "marketing_roi"] == pytest.approx(
            expected_pooled(build, "marketing_roi", "month", ("model_channel",
                                                              f"w_shaped|{channel}")))
    with pytest.raises(ValueError, match="unknown attribution model"):
        data.channel_table(warehouse, data.Filters(*PERIOD), "position_based")


def test_channel_revenue_is_the_attributed_credits(build, warehouse):
    """Attributed revenue is what fct_attribution credits (not ROI's revenue − cost), and
    channels without leads are labelled and listed after the lead sources."""
    table = data.channel_table(warehouse, data.Filters(*PERIOD), "linear")
    credits = build.query(f"""
        select channel, sum(credited_amount) as revenue from marts.fct_attribution
        where attribution_model = 'linear' and won_at >= '{PERIOD[0]}'
            and won_at < '2025-07-01'
        group by channel""").set_index("channel").revenue
    assert table.set_index("channel").attributed_revenue.to_dict() == pytest.approx(
        credits.to_dict())
    assert table.loc[table.channel == "unattributed", "kind"].item() == "no counted touch"
    sources = table.kind == "lead source"
    assert table.leads.notna().equals(sources)
    assert sources.iloc[:sources.sum()].all()  # lead sources first


def test_nrr_shows_as_a_percent_on_the_retention_axis(warehouse):
    trend = data.monthly_trend(warehouse, [(kpi_id, "month") for kpi_id, _ in
                                           data.RETENTION_KPIS], data.Filters(*PERIOD))
    assert set(trend.unit) == {"ratio"}
    figure = charts.retention_chart(trend)
    assert figure.layout.yaxis.tickformat == ".0%"
    assert {trace.name for trace in figure.data} >= {"NRR (%, year on year)"}
    assert all("%{y:.1%}" in trace.hovertemplate for trace in figure.data)
    tiles = data.scorecard(warehouse, data.Filters(*PERIOD)).set_index("kpi_id")
    assert tiles.loc["net_revenue_retention", "unit"] == "ratio"
    with pytest.raises(ValueError, match="not the registry's grain: lead_to_mql_rate"):
        data.monthly_trend(warehouse, [("lead_to_mql_rate", "month")], data.Filters(*PERIOD))
    with pytest.raises(ValueError, match="one unit per chart"):
        charts.trend_chart(trend.assign(unit=["ratio", "count"] * (len(trend) // 2)
                                        + ["ratio"] * (len(trend) % 2)), {}, "mixed")


def test_formatted_table_headers_units_and_missing_values():
    frame = pd.DataFrame({"cac": [2123.7, None], "channel": ["events", "website"]})
    table = charts.formatted_table(frame, {"channel": ("Channel", ""),
                                           "cac": ("CAC (€)", "currency")})
    assert table.to_dict("list") == {"Channel": ["events", "website"],
                                     "CAC (€)": ["€2,124", "—"]}
    with pytest.raises(ValueError, match="no column roi"):
        charts.formatted_table(frame, {"roi": ("ROI (×)", "multiple")})


def rep_name(build, rep: str) -> str:
    return build.query("select user_name from staging.stg_salesforce__user "
                       f"where user_id = '{rep}'").user_name[0]


def test_rep_filter_shows_names_marks_inactive_reps_and_selects_the_reps_rows(build, warehouse):
    values = data.cut_values(warehouse)
    reps = values["rep"]
    owners = build.query("""
        select lead_owner_id as rep from marts.fct_lead_lifecycle union
        select mql_owner_id from marts.fct_lead_lifecycle union
        select sql_owner_id from marts.fct_lead_lifecycle union
        select opportunity_owner_id from marts.fct_lead_lifecycle""").rep.dropna()
    assert set(reps) == set(owners)  # the options are the ids the facts cut by
    rep = busiest_rep(build)
    assert reps[rep] == rep_name(build, rep) != rep
    users = build.query("select user_id, user_name, is_active from staging.stg_salesforce__user")
    inactive = set(users.user_id[~users.is_active.astype(bool)]) & set(reps)
    assert inactive, "no inactive rep owns a lead: the test data cannot show the mark"
    assert all(reps[rep_id].endswith(" (inactive)") for rep_id in inactive)
    assert sum(label.endswith(" (inactive)") for label in reps.values()) == len(inactive)
    # active reps by name first, then the inactive ones
    active = [label for rep_id, label in reps.items() if rep_id not in inactive]
    assert list(reps.values()) == sorted(active) + sorted(
        label for rep_id, label in reps.items() if rep_id in inactive)
    filters = data.Filters(*PERIOD, rep=rep)
    assert filters.describe(values).endswith(f"rep = {reps[rep]}")
    trend = data.monthly_trend(warehouse, [("sales_activities", "month")], filters)
    expected = build.query(
        "select period_start, numerator from marts.kpi_values where kpi_id = "
        f"'sales_activities' and period_grain = 'month' and dimension_name = 'rep' and "
        f"dimension_value = '{rep}' and period_start between '{PERIOD[0]}' and '{PERIOD[1]}' "
        "order by period_start")
    assert not expected.empty
    assert trend.numerator.tolist() == expected.numerator.tolist()


def test_size_bands_are_listed_by_size(warehouse):
    assert list(data.cut_values(warehouse)["segment"]) == [
        "1-49", "50-249", "250-999", "1000+", "unknown"]


def test_lead_queue_keeps_the_rank_order_of_the_chosen_rep(build, warehouse):
    rep = busiest_rep(build)
    queue = data.lead_queue(warehouse, data.Filters(*PERIOD, rep=rep), limit=10)
    assert not queue.empty and set(queue.owner_id) == {rep}
    assert set(queue.rep_name) == {rep_name(build, rep)}
    assert queue.priority_rank.is_monotonic_increasing
    table = charts.formatted_table(queue, charts.QUEUE_COLUMNS)
    assert set(table["Rep"]) == {rep_name(build, rep)}
    both = data.lead_queue(warehouse, data.Filters(*PERIOD, channel="events", rep=rep))
    assert set(both.channel) <= {"events"} and set(both.owner_id) <= {rep}
    # the reasons wrap in the page's table (an HTML table, text cells wrapping)
    page = charts.table_html(queue, charts.QUEUE_COLUMNS, "table_queue")
    assert "white-space: normal" in page and html.escape(queue.priority_reason[0]) in page


def test_campaign_table_follows_the_channel_filter(build, warehouse):
    everything = data.campaign_table(warehouse, data.Filters(*PERIOD), "linear")
    platforms = build.query("select distinct platform, channel from marts.fct_touchpoints "
                            "where platform is not null")
    assert len(platforms) == platforms.platform.nunique()  # one channel per ad platform
    channel_of = platforms.set_index("platform").channel
    assert (everything.channel == everything.platform.map(channel_of)).all()
    for channel in ("paid_search", "paid_social"):
        table = data.campaign_table(warehouse, data.Filters(*PERIOD, channel=channel),
                                    "linear")
        expected = everything[everything.channel == channel]
        assert not table.empty
        assert table.campaign.tolist() == expected.campaign.tolist()
    assert data.campaign_table(warehouse, data.Filters(*PERIOD, channel="events"),
                               "linear").empty


def test_abm_rates_and_nrr_are_apart(warehouse):
    comparison = data.abm_comparison(warehouse, data.Filters(*PERIOD))
    rates, nrr = charts.abm_chart(comparison), charts.abm_nrr_chart(comparison)
    assert {x for trace in rates.data for x in trace.x} == {"Win rate", "Retention",
                                                             "Expansion"}
    assert {x for trace in nrr.data for x in trace.x} == {"NRR"}
    assert {trace.name for trace in rates.data} == {"target", "non-target"}


def test_charts_without_data_say_so(warehouse):
    nowhere = data.Filters(*PERIOD, channel="no_such_channel")
    figures = [charts.funnel_chart(data.funnel(warehouse, nowhere)),
               charts.durations_chart(data.stage_durations(warehouse, nowhere)),
               charts.trend_chart(data.monthly_trend(
                   warehouse, [("leads_created", "month")], nowhere), {}, "trend")]
    for figure in figures:
        assert [note.text for note in figure.layout.annotations] == [data.NO_DATA]
        assert figure.layout.xaxis.visible is False
    drawn = charts.funnel_chart(data.funnel(warehouse, data.Filters(*PERIOD)))
    assert not drawn.layout.annotations


def test_dashboard_command_names_a_missing_warehouse(tmp_path):
    """`b2bkpi dashboard` on no warehouse: exit code 2 (bad input), nothing started."""
    missing = tmp_path / "none.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "b2bkpi.cli", "dashboard", "--database", str(missing),
         "--port", "1"], capture_output=True, text=True, timeout=60,
        env={key: value for key, value in os.environ.items() if key != "DBT_TARGET"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"no DuckDB file at {missing}" in result.stdout
    assert not list(tmp_path.iterdir())  # no run folder


def test_bad_filters_and_missing_warehouse_are_named(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="after it ends"):
        data.Filters(PERIOD[1], PERIOD[0])
    with pytest.raises(FileNotFoundError, match="make run"):
        data.Warehouse.duckdb(tmp_path / "none.duckdb")
    monkeypatch.setenv("DBT_TARGET", "postgres")
    monkeypatch.delenv("B2B_PG_HOST", raising=False)
    with pytest.raises(ValueError, match="B2B_PG_HOST"):
        data.Warehouse.from_env()


@pytest.mark.parametrize(("value", "unit", "text"), [
    (0.39798, "ratio", "39.8%"), (892.0, "count", "892"), (8494.28, "currency", "€8,494"),
    (82.084, "currency", "€82.08"), (-5.0, "currency", "−€5.00"),
    (47.58, "days", "47.6 days"), (1.0548, "multiple", "1.05×"),
    (None, "ratio", "n/a")])
def test_format_value(value, unit, text):
    assert charts.format_value(value, unit) == text


def test_telling_digits_print_actual_and_target_apart():
    assert charts.telling_digits(0.02996, 0.03, "ratio") == 2
    assert [charts.format_value(v, "ratio", 2) for v in (0.02996, 0.03)] == ["2.996%", "3.000%"]
    assert charts.format_gap(0.02996 - 0.03, "ratio", 2) == "−0.004 pp"
    assert charts.telling_digits(0.2, 0.3, "ratio") == 0
    assert charts.telling_digits(0.03, 0.03, "ratio") == 0
    assert charts.telling_digits(None, 0.03, "ratio") == 0


def test_money_carries_the_reporting_currency_sign(tmp_path):
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  reporting_currency: USD\n")
    assert charts.currency_sign(project) == "$"
    project.write_text("vars:\n  reporting_currency: SEK\n")
    assert charts.currency_sign(project) == "SEK "
    assert charts.currency_sign() == "€"  # the project's EUR
    assert charts.CHANNEL_COLUMNS["cac"][0] == "CAC (€)"
    assert charts.UNIT_HOVER["currency"].startswith("€")


def test_format_gap_in_points_and_units():
    assert charts.format_gap(0.048, "ratio") == "+4.8 pp"
    assert charts.format_gap(-1508.0, "count") == "−1,508"
    assert charts.format_gap(-67.92, "currency") == "−€67.92"


def test_report_is_one_self_contained_file(build, tmp_path):
    path = write_report(build.database, tmp_path / "report")
    page = path.read_text(encoding="utf-8")
    assert page.count("Plotly.newPlot") == 7  # 6 charts and the conversion trend
    assert len(re.findall(r"plotly\.js v\d", page)) == 1  # the library inlined once
    assert "<script src=" not in page
    leads = expected_pooled(build, "leads_created", "month", ("all", "all"))
    assert f'data-testid="actual-leads_created">{charts.format_value(leads, "count")}<' in page
    assert html.escape(charts.SCORECARD_LEGEND) in page


@pytest.fixture(params=["all_null", "empty"])
def cac_channel_cut(request, build, tmp_path):
    """The build's warehouse with every channel row of cac NULL (a channel cost no source
    books), or with no channel row of cac at all."""
    database = tmp_path / "warehouse.duckdb"
    database.write_bytes(build.database.read_bytes())
    rows = "kpi_id = 'cac' and dimension_name = 'channel'"
    with duckdb.connect(str(database)) as con:
        if request.param == "all_null":
            con.execute("update marts.kpi_values set value = null, numerator = null, "
                        f"denominator = null where {rows}")
        else:
            con.execute(f"delete from marts.kpi_values where {rows}")
    return database, request.param


def test_dashboard_handles_all_null_and_empty_cuts(cac_channel_cut):
    database, kind = cac_channel_cut
    warehouse = data.Warehouse.duckdb(database)
    table = data.channel_table(warehouse, data.Filters(*PERIOD), "linear")
    assert table.cac.isna().all() and table.leads.notna().any()
    assert set(charts.formatted_table(table, charts.CHANNEL_COLUMNS)["CAC (€)"]) == {"—"}
    # a period without any row, and a cut value no KPI has
    nothing = data.channel_table(warehouse, data.Filters(dt.date(2030, 1, 1),
                                                         dt.date(2030, 12, 1)), "linear")
    assert nothing.empty and set(charts.CHANNEL_COLUMNS) <= set(nothing.columns)
    assert len(charts.channel_chart(nothing, "linear").data[0].x) == 0
    nowhere = data.scorecard(warehouse, data.Filters(*PERIOD, channel="no_such_channel"))
    assert 'data-testid="actual-leads_created">n/a<' in charts.tiles_html(nowhere)
    # paid_search's cac: null rows show n/a; without channel rows the tile shows the total
    cac = data.scorecard(warehouse, data.Filters(*PERIOD, channel="paid_search")).set_index(
        "kpi_id").loc["cac"]
    if kind == "all_null":
        assert cac.cut == f"{data.NO_DATA} · cut: channel paid_search" and pd.isna(cac.actual)
    else:
        assert cac.cut == "total (all) · not cut by channel" and cac.actual > 0


def test_report_is_written_with_all_null_and_empty_cuts(cac_channel_cut, tmp_path):
    page = write_report(cac_channel_cut[0], tmp_path / "report").read_text(encoding="utf-8")
    assert page.count("Plotly.newPlot") == 7  # 6 charts and the conversion trend
