"""The promises of the project's YAML, checked on dbt's own manifest (a key in the wrong
place silently creates no test or description; this catches it)."""

from __future__ import annotations

import json

import pytest


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
