"""`dbt docs generate` builds a complete site on the session's build: every column the
warehouse really has (catalog.json) is described, every catalogue KPI has a docs block, the
semantic layer is described, and the exposures resolve. test_project_conventions.py checks the
YAML side (manifest) of models and columns; this checks it against the built tables."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from conftest import AS_OF, FIRST_SEED_ONLY, run_dbt

from b2bkpi import registry

# every registered KPI (a `_median` is documented with its mean), and lead_priority, a
# catalogue KPI that is a model of its own
DOCUMENTED = sorted({kpi_id.removesuffix("_median") for kpi_id in registry.kpis()}
                    | {"lead_priority"})
EXPOSURES = {"kpi_dashboard", "kpi_html_report", "kpi_run_summary"}
# the layers whose every real column must be described (what BI tools and the docs site show)
DESCRIBED_LAYERS = ("staging/", "intermediate/", "marts/", "semantic/")
# except staging's audit layer (base_*): raw columns passed through as loaded, plus the row
# disposition, which its YAML does describe
AUDIT_LAYER = "/base/"
pytestmark = FIRST_SEED_ONLY  # the columns and docs do not change with the data


@dataclass(frozen=True)
class DocsSite:
    manifest: dict
    catalog: dict


@pytest.fixture(scope="module")
def site(build, tmp_path_factory) -> DocsSite:
    target = tmp_path_factory.mktemp("docs_site")
    result = run_dbt(build.database, "docs", "generate", "--target-path", str(target),
                     "--vars", f"{{lifecycle_as_of: '{AS_OF}'}}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert (target / "index.html").exists(), "dbt docs generate wrote no index.html"
    return DocsSite(json.loads((target / "manifest.json").read_text()),
                    json.loads((target / "catalog.json").read_text()))


def _project_models(manifest: dict) -> dict[str, dict]:
    return {unique_id: node for unique_id, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node["package_name"] == "b2b_kpi"}


def test_every_built_model_is_in_the_catalog(site):
    missing = [node["name"] for unique_id, node in _project_models(site.manifest).items()
               if unique_id not in site.catalog["nodes"]]
    assert not missing, f"models the docs site has no table or view for: {missing}"


def test_every_real_column_is_described(site):
    """Columns come from the warehouse, so a column the SQL adds but the YAML forgets (or
    spells differently) is found."""
    undocumented = {}
    for unique_id, model in _project_models(site.manifest).items():
        if not model["path"].startswith(DESCRIBED_LAYERS) or AUDIT_LAYER in model["path"]:
            continue
        described = {name.lower() for name, column in model["columns"].items()
                     if column["description"].strip()}
        blank = [name for name in site.catalog["nodes"][unique_id]["columns"]
                 if name.lower() not in described]
        if blank:
            undocumented[model["name"]] = blank
    assert not undocumented, f"columns without a description: {undocumented}"


def _docs_text(manifest: dict) -> str:
    return "\n".join(block["block_contents"] for block in manifest["docs"].values()
                     if block["package_name"] == "b2b_kpi")


@pytest.mark.parametrize("kpi_id", DOCUMENTED)
def test_catalogue_kpi_has_a_docs_block(site, kpi_id):
    assert re.search(rf"\b{kpi_id}\b", _docs_text(site.manifest)), \
        f"{kpi_id}: no docs block states its definition"


def test_semantic_layer_is_described(site):
    blank = [metric["name"] for metric in site.manifest["metrics"].values()
             if not metric["description"].strip()]
    for model in site.manifest["semantic_models"].values():
        elements = [model] + model["measures"] + model["dimensions"]
        blank += [f"{model['name']}.{element['name']}" for element in elements
                  if not (element.get("description") or "").strip()]
    assert site.manifest["metrics"] and not blank, f"undescribed semantic layer items: {blank}"


def test_exposures_declare_their_marts(site):
    exposures = {exposure["name"]: exposure for exposure in site.manifest["exposures"].values()}
    assert EXPOSURES <= exposures.keys(), f"missing exposures: {EXPOSURES - exposures.keys()}"
    known = site.manifest["nodes"].keys()
    for name in EXPOSURES:
        exposure = exposures[name]
        parents = exposure["depends_on"]["nodes"]
        assert exposure["description"].strip(), name
        assert len(parents) == len(exposure["refs"]), f"{name}: unresolved refs {exposure['refs']}"
        assert set(parents) <= known, f"{name}: unknown parents {set(parents) - known}"
        assert "model.b2b_kpi.kpi_values" in parents, f"{name} must declare kpi_values"
