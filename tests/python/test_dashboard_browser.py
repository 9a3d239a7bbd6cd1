"""The dashboard as a person uses it: served by `b2bkpi dashboard` on localhost, opened in
Debian's headless Chromium, the scorecard and funnel read off the page, two filters combined
and checked against a direct query of the lifecycle fact, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIRST_SEED_ONLY
from playwright.sync_api import Page, expect, sync_playwright
from test_dashboard import PERIOD, expected_pooled, rep_name

from b2bkpi import registry
from b2bkpi.browser import CHROMIUM_ARGS, ensure_chromium
from b2bkpi.dashboard import charts, data
CHANNEL, SEGMENT = "paid_search", "50-249"
pytestmark = FIRST_SEED_ONLY  # the page's behaviour; test_dashboard.py checks its numbers per seed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dashboard_url(build, tmp_path) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    # the CLI command, which runs Streamlit as its child
    server = subprocess.Popen([sys.executable, "-m", "b2bkpi.cli", "dashboard", "--database",
                               str(build.database), "--port", str(port), "--address",
                               "127.0.0.1"], stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "DBT_TARGET": "duckdb"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:  # until Streamlit answers its health check
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("streamlit did not start: "
                                + (tmp_path / "streamlit.log").read_text()[-2000:])
                time.sleep(0.2)
        yield url
        # SIGTERM to the command reaches Streamlit: both exit, the port is free again
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 128 + signal.SIGTERM
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, "streamlit still serves"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        log.close()


@pytest.fixture
def page() -> Iterator[Page]:
    chromium = ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        # tall enough that every section renders without scrolling (and is in the screenshot)
        yield browser.new_page(viewport={"width": 1400, "height": 5600})
        browser.close()


def _expect_totals(page: Page, build) -> None:
    """Unfiltered tiles and funnel rows as kpi_values gives them (the KPI models' totals)."""
    warehouse = data.Warehouse.duckdb(build.database)
    targets = data.scorecard(warehouse, data.Filters(*PERIOD)).set_index("kpi_id").target
    for kpi_id in data.TILES:
        kpi = registry.kpi(kpi_id)
        unit = data.shown_unit(kpi_id, kpi.unit)
        actual = expected_pooled(build, kpi_id, kpi.period_grain, ("all", "all"),
                                 kpi.maturity_days)
        expected = charts.format_value(actual, unit, charts.telling_digits(
            actual, targets[kpi_id], unit))
        expect(page.get_by_test_id(f"actual-{kpi_id}")).to_have_text(expected)
    for kpi_id, _ in data.FUNNEL_STAGES:
        count = expected_pooled(build, kpi_id, "month", ("all", "all"))
        expect(page.get_by_test_id(f"funnel-{kpi_id}").locator(".count")).to_have_text(
            charts.format_value(count, "count"))


def _cut_from_sql(build, where: str) -> dict[str, float | None]:
    """The funnel tiles of PERIOD for the leads `where` selects, by a direct SQL query of
    fct_lead_lifecycle (cohort rates over the cohorts mature at the as-of)."""
    months = f"between timestamp '{PERIOD[0]}' and timestamp '2025-07-01' - interval 1 second"

    def mature(column: str, kpi_id: str) -> str:
        days = registry.kpi(kpi_id).maturity_days
        return (f"{column} {months} and date_trunc('month', {column}) + interval 1 month "
                f"+ interval {days} day <= timestamp '{build.as_of}'")
    closed = "coalesce(customer_at, lost_at)"
    row = build.query(f"""
        select
            count(*) filter (where lead_at {months}) as leads_created,
            count(*) filter (where mql_at {months}) as mqls,
            count(*) filter (where sql_at {months}) as sqls,
            count(*) filter (where customer_at {months}) as customers_won,
            avg(case when mql_at is not null then 1.0 else 0.0 end)
                filter (where {mature('lead_at', 'lead_to_mql_rate')}) as lead_to_mql_rate,
            avg(case when sql_at is not null then 1.0 else 0.0 end)
                filter (where {mature('mql_at', 'mql_to_sql_rate')}) as mql_to_sql_rate,
            avg(case when customer_at is not null then 1.0 else 0.0 end)
                filter (where {closed} {months}) as opportunity_win_rate,
            avg(sales_cycle_days) filter (where {closed} {months}) as sales_cycle_days
        from marts.fct_lead_lifecycle
        where {where}""").iloc[0]
    return {kpi_id: None if pd.isna(value) else float(value) for kpi_id, value in row.items()}


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_dashboard_in_chromium(build, dashboard_url, page, tmp_path):
    started = time.monotonic()
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)  # a render on a busy machine takes seconds
    page.goto(dashboard_url)
    _expect_totals(page, build)
    # the funnel chart is drawn with the funnel's numbers
    funnel_chart = page.locator(".js-plotly-plot").first
    expect(funnel_chart.locator(".main-svg").first).to_be_visible()
    drawn = funnel_chart.evaluate("plot => plot.data[0].x")
    leads = expected_pooled(build, "leads_created", "month", ("all", "all"))
    assert drawn[0] == leads
    expect(page.locator(".js-plotly-plot")).to_have_count(8)  # ABM: rates and NRR apart
    expect(page.get_by_test_id("table_queue")).to_be_visible()
    page.screenshot(path=tmp_path / "dashboard_all.png")

    # two filters together: the tiles are the fact's leads of channel AND segment
    _choose(page, "Channel", CHANNEL)
    _choose(page, "Segment", SEGMENT)
    expected = _cut_from_sql(build, f"channel = '{CHANNEL}' and company_size_band = '{SEGMENT}'")
    assert expected["leads_created"], "no lead in the cut: the test data is too small"
    warehouse = data.Warehouse.duckdb(build.database)
    tiles = data.scorecard(warehouse, data.Filters(*PERIOD, channel=CHANNEL, segment=SEGMENT)
                           ).set_index("kpi_id")
    for kpi_id, value in expected.items():
        unit = registry.kpi(kpi_id).unit
        digits = charts.telling_digits(value, tiles.target[kpi_id], unit)
        expect(page.get_by_test_id(f"actual-{kpi_id}")).to_have_text(
            charts.format_value(value, unit, digits))
        expect(page.get_by_test_id(f"cut-{kpi_id}")).to_contain_text(
            f"cut: channel {CHANNEL}, segment {SEGMENT}")
    for kpi_id in ("leads_created", "mqls", "sqls", "customers_won"):
        expect(page.get_by_test_id(f"funnel-{kpi_id}").locator(".count")).to_have_text(
            charts.format_value(expected[kpi_id], "count"))
    expect(page.get_by_test_id("cut-cac")).to_have_text(
        f"cut: channel {CHANNEL} · not cut by segment")
    expect(page.get_by_test_id("cut-net_revenue_retention")).to_have_text(
        f"cut: segment {SEGMENT} · not cut by channel")
    page.screenshot(path=tmp_path / f"dashboard_{CHANNEL}_{SEGMENT}.png")

    # and a rep, by name, credited by the owner at the lead's creation for Lead → MQL
    rep = build.query(f"""
        select lead_owner_id from marts.fct_lead_lifecycle
        where channel = '{CHANNEL}' and company_size_band = '{SEGMENT}'
            and lead_at >= '{PERIOD[0]}' and lead_at < '2025-07-01'
        group by lead_owner_id order by count(*) desc, lead_owner_id limit 1""").iloc[0, 0]
    page.get_by_test_id("stSelectbox").filter(has_text="Rep").click()
    expect(page.get_by_role("option").filter(has_text="(inactive)").first).to_be_visible()
    page.get_by_role("option", name=rep_name(build, rep), exact=True).click()
    expected = _cut_from_sql(build, f"channel = '{CHANNEL}' and company_size_band = "
                                    f"'{SEGMENT}' and lead_owner_id = '{rep}'")
    expect(page.get_by_test_id("cut-leads_created")).to_contain_text(rep_name(build, rep))
    expect(page.get_by_test_id("actual-leads_created")).to_have_text(
        charts.format_value(expected["leads_created"], "count"))
    page.screenshot(path=tmp_path / f"dashboard_{CHANNEL}_{SEGMENT}_rep.png")
    print(f"\nscreenshots: {Path(tmp_path)} ({time.monotonic() - started:.1f} s in the browser)")
