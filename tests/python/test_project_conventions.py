"""The promises of the project's YAML, checked on dbt's own manifest (a key in the wrong
place silently creates no test or description; this catches it)."""

from __future__ import annotations

import csv
import json
import re

import pytest
from conftest import PROJECT_DIR


@pytest.fixture(scope="module")
def manifest(build):
    return json.loads((build.target / "manifest.json").read_text())


def _models(manifest):
    return [n for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["package_name"] == "b2b_kpi"]


def _tests_by_model(manifest):
    tests: dict[str, set[tuple[str, str | None]]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or "test_metadata" not in node:
            continue
        for parent in node["depends_on"]["nodes"]:
            tests.setdefault(parent, set()).add(
                (node["test_metadata"]["name"], node.get("column_name")))
    return tests


def test_every_model_and_column_is_described(manifest):
    undocumented = [m["name"] for m in _models(manifest) if not m["description"].strip()]
    assert not undocumented, f"models without a description: {undocumented}"
    for model in _models(manifest):
        if model["name"].startswith("base_"):
            continue  # audit views pass raw columns through; the raw columns are described on the source
        blank = [c for c, spec in model["columns"].items() if not spec["description"].strip()]
        assert not blank, f"{model['name']}: columns without a description: {blank}"


def test_every_model_has_a_tested_primary_key(manifest):
    tests = _tests_by_model(manifest)
    missing = []
    for model in _models(manifest):
        if model["name"].startswith("base_"):
            continue  # one row per raw row, duplicates included: there is no key to test
        found = tests.get(model["unique_id"], set())
        unique_columns = {column for name, column in found if name == "unique"}
        not_null_columns = {column for name, column in found if name == "not_null"}
        if not (unique_columns & not_null_columns) and ("unique_combination", None) not in found:
            missing.append(model["name"])
    assert not missing, f"models without a unique + not_null key test: {missing}"


def test_marts_enforce_contracts(manifest):
    marts = [m for m in _models(manifest) if m["path"].startswith("marts/")]
    assert marts
    assert all(m["config"]["contract"]["enforced"] for m in marts), [
        m["name"] for m in marts if not m["config"]["contract"]["enforced"]]


def test_base_models_classify_every_row(manifest):
    tests = _tests_by_model(manifest)
    for model in _models(manifest):
        if model["name"].startswith("base_"):
            assert ("accepted_values", "_row_disposition") in tests.get(model["unique_id"], set()), \
                model["name"]


# quoted literals that spell a channel but mean something else: (file, literal) -> why
NOT_A_CHANNEL = {("models/marts/sales/lead_score.sql", "email"): "the lead score's event source"}


def test_no_channel_literal_in_sql():
    """Channels come from the channel_mapping seed through `map_channel`: no model or macro
    writes a channel name (a comment may)."""
    with open(PROJECT_DIR / "seeds/channel_mapping.csv", newline="") as handle:
        channels = {row["channel"] for row in csv.DictReader(handle)}
    assert {"events", "paid_search", "organic"} <= channels
    found = []
    sql_files = [*PROJECT_DIR.glob("models/**/*.sql"), *PROJECT_DIR.glob("macros/**/*.sql")]
    for path in sorted(sql_files):
        relative = path.relative_to(PROJECT_DIR).as_posix()
        sql = re.sub(r"--[^\n]*", "", re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S))
        found += [f"{relative}: '{literal}'" for literal in re.findall(r"'([^'\n]*)'", sql)
                  if literal in channels and (relative, literal) not in NOT_A_CHANNEL]
    assert not found, f"channel literals in SQL (map them in seeds/channel_mapping.csv): {found}"
