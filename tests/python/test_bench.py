"""The benchmark's chart and argument checks (the benchmark itself is too slow for the suite)."""

from __future__ import annotations

import argparse

import pytest

from b2bkpi.bench import _scales, main, write_chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_chart_is_written_with_and_without_postgres_figures(tmp_path):
    rows = [
        {"leads": 2000, "dbt_build_s": 32.6, "daily_run_s": 20.0, "duckdb_alone_s": 3.1,
         "dbt_peak_rss_mib": 635.0, "pg_build_s": 24.7, "pg_peak_rss_mib": 161.0},
        {"leads": 20000, "dbt_build_s": 84.8, "daily_run_s": 40.0, "duckdb_alone_s": 16.7,
         "dbt_peak_rss_mib": None, "pg_build_s": None, "pg_peak_rss_mib": None},
    ]
    chart = tmp_path / "bench.png"
    write_chart(rows, chart)
    assert chart.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("text", ["", "0,100", "1k", "-5"])
def test_scales_must_be_positive_whole_numbers(text):
    with pytest.raises(argparse.ArgumentTypeError):
        _scales(text)


def test_scales_are_read_in_order():
    assert _scales("2000, 20000") == [2000, 20000]


@pytest.mark.parametrize("option", ["--postgres-scales", "--spark-scales"])
def test_adapter_scales_must_be_benchmarked_scales(option, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--scales", "2000", option, "2000,20000", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert f"{option} [20000] are not among --scales [2000]" in capsys.readouterr().err
