"""The dashboard as a person uses it: served on localhost, opened in Debian's headless
Chromium, the scorecard and funnel read off the page, a filter changed."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIRST_SEED_ONLY
from playwright.sync_api import Page, expect, sync_playwright
from test_dashboard import PERIOD, busiest_rep, expected_pooled, rep_name

from b2bkpi import registry
from b2bkpi.browser import CHROMIUM_ARGS, ensure_chromium
from b2bkpi.dashboard import charts, data
from b2bkpi.dashboard.__main__ import streamlit_command

CHANNEL = "paid_search"
pytestmark = FIRST_SEED_ONLY  # the page's behaviour; test_dashboard.py checks its numbers per seed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dashboard_url(build, request, tmp_path) -> Iterator[str]:
    if request.node.callspec.id != "seed7":
        pytest.skip("the browser test runs on one seed (seed 7)")
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(streamlit_command(port, "127.0.0.1"), stdout=log,
                              stderr=subprocess.STDOUT,
                              env={**os.environ, "B2B_DUCKDB_PATH": str(build.database),
                                   "DBT_TARGET": "duckdb"})
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
    finally:
        server.terminate()
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


def _expect_numbers(page: Page, build, dimension: tuple[str, str]) -> None:
    """Tiles and funnel rows as kpi_values gives them for `dimension` (or the total for the
    KPIs not broken down by it)."""
    warehouse = data.Warehouse.duckdb(build.database)
    filters = data.Filters(*PERIOD, *dimension)
    shown = data.cut_shown(warehouse, data.TILES, filters)
    targets = data.scorecard(warehouse, filters).set_index("kpi_id").target
    name = data.CUTS[dimension[0]][0] if dimension[0] != "all" else "all"
    for kpi_id in data.TILES:
        kpi = registry.kpi(kpi_id)
        cut = (name, dimension[1]) if shown[kpi_id] != "all" else ("all", "all")
        unit = data.shown_unit(kpi_id, build.query(
            f"select any_value(unit) as unit from marts.kpi_values "
            f"where kpi_id = '{kpi_id}'").unit[0])
        actual = expected_pooled(build, kpi_id, kpi.period_grain, cut, kpi.maturity_days)
        expected = charts.format_value(actual, unit, charts.telling_digits(
            actual, targets[kpi_id], unit))
        expect(page.get_by_test_id(f"actual-{kpi_id}")).to_have_text(expected)
    for kpi_id, _ in data.FUNNEL_STAGES:
        count = expected_pooled(build, kpi_id, "month", (name, dimension[1]))
        expect(page.get_by_test_id(f"funnel-{kpi_id}").locator(".count")).to_have_text(
            charts.format_value(count, "count"))


def test_dashboard_in_chromium(build, dashboard_url, page, tmp_path):
    started = time.monotonic()
    page.set_default_timeout(30_000)
    page.goto(dashboard_url)
    _expect_numbers(page, build, ("all", "all"))
    # the funnel chart is drawn with the funnel's numbers
    funnel_chart = page.locator(".js-plotly-plot").first
    expect(funnel_chart.locator(".main-svg").first).to_be_visible()
    drawn = funnel_chart.evaluate("plot => plot.data[0].x")
    leads = expected_pooled(build, "leads_created", "month", ("all", "all"))
    assert drawn[0] == leads
    expect(page.locator(".js-plotly-plot")).to_have_count(7)
    page.screenshot(path=tmp_path / "dashboard_all.png")

    page.get_by_test_id("stSelectbox").filter(has_text="Channel").click()
    page.get_by_role("option", name=CHANNEL, exact=True).click()
    _expect_numbers(page, build, ("channel", CHANNEL))
    expect(page.get_by_test_id("tile-leads_created")).to_contain_text(f"cut: {CHANNEL}")
    expect(page.get_by_test_id("tile-net_revenue_retention")).to_contain_text("total (all)")
    screenshot = tmp_path / "dashboard_paid_search.png"
    page.screenshot(path=screenshot)

    # the rep filter lists names and filters by the rep's id
    rep = busiest_rep(build)
    page.get_by_test_id("stSelectbox").filter(has_text="Rep").click()
    page.get_by_role("option", name=rep_name(build, rep), exact=True).click()
    expect(page.get_by_test_id("tile-lead_to_mql_rate")).to_contain_text(
        f"cut: {rep_name(build, rep)}")
    expect(page.get_by_test_id("actual-lead_to_mql_rate")).to_have_text(charts.format_value(
        expected_pooled(build, "lead_to_mql_rate", "cohort_month", ("rep", rep),
                        registry.kpi("lead_to_mql_rate").maturity_days), "ratio"))
    print(f"\nscreenshots: {Path(tmp_path)} ({time.monotonic() - started:.1f} s in the browser)")
