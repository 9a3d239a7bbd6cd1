"""The KPI registry (`seeds/kpi_registry.csv`): the one place the report, the dashboard and
the tests read KPI metadata from (label, model, grain, unit, direction, level, maturity,
target). Adding a KPI is adding its row there."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGISTRY_CSV = Path(__file__).resolve().parents[2] / "seeds" / "kpi_registry.csv"


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    label: str
    model: str | None  # None: a catalogue KPI not built yet (see not_built_reason)
    period_grain: str  # the grain it is scored at and its target set for
    unit: str
    direction: str  # higher_is_better, lower_is_better or neutral
    indicator_level: str  # specialist or systemic
    maturity_days: int
    target_value: float | None
    not_built_reason: str | None

    @property
    def built(self) -> bool:
        return self.model is not None

    @property
    def higher_is_better(self) -> bool | None:
        """True or False; None for a neutral KPI (never judged)."""
        return {"higher_is_better": True, "lower_is_better": False}.get(self.direction)


@cache
def kpis(path: Path = REGISTRY_CSV) -> dict[str, Kpi]:
    """Every registered KPI by id, in the registry's order."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["kpi_id"]: Kpi(
            kpi_id=row["kpi_id"], label=row["label"], model=row["kpi_model"] or None,
            period_grain=row["period_grain"], unit=row["unit"], direction=row["direction"],
            indicator_level=row["indicator_level"], maturity_days=int(row["maturity_days"]),
            target_value=float(row["target_value"]) if row["target_value"] else None,
            not_built_reason=row["not_built_reason"] or None)
            for row in csv.DictReader(handle)}


def kpi(kpi_id: str) -> Kpi:
    try:
        return kpis()[kpi_id]
    except KeyError:
        raise KeyError(f"{kpi_id!r} is not in {REGISTRY_CSV.name}") from None
