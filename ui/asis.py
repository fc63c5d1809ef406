"""AsIs beside ToBe (issue 14): per stage and division, the baseline's value (AsIs: the scenario
as built from data, which its ``notes.baseline`` records with the window and the items per
stage) beside the plan's (ToBe), the change in points (months for a lag) and in percent, and
whether the ToBe lies inside the stage's historical range (the baseline's ``{low, high}``: the
10th to 90th percentile of the monthly values, recorded when it was built with ranges)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIELDS = ("conversion", "disqualify", "recycle", "lag")  # the lag in months, the others rates


@dataclass(frozen=True)
class AsIsRow:
    division: str
    stage: str
    field: str
    asis: float
    tobe: float
    items: int | None  # the items the baseline used for the stage
    low: float | None  # the historical range, when the baseline recorded one
    high: float | None

    @property
    def change(self) -> float:
        """ToBe − AsIs (a share of 1 for a rate: 0.01 is one point; months for a lag)."""
        return self.tobe - self.asis

    @property
    def change_pct(self) -> float | None:
        """ToBe / AsIs − 1; None when the AsIs is 0."""
        return None if self.asis == 0 else self.tobe / self.asis - 1

    @property
    def inside(self) -> bool | None:
        """low ≤ ToBe ≤ high; None without a historical range."""
        if self.low is None or self.high is None:
            return None
        return self.low - 1e-12 <= self.tobe <= self.high + 1e-12


def _base(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("base")
    return float(value) if isinstance(value, int | float) else None


def asis_beside_tobe(baseline: dict[str, Any], plan: dict[str, Any]) -> tuple[dict, list[AsIsRow]]:
    """The AsIs window (``{"window": [start, end], "data_end": ...}``, empty when the baseline
    was not built from data) and a row per stage, parameter and division of ``plan`` that the
    baseline has too; the terminal stage has none."""
    notes = (baseline.get("notes") or {}).get("baseline")
    if not isinstance(notes, dict):
        return {}, []
    asis = {s.get("key"): s for s in baseline.get("stages") or []}
    counts = notes.get("stages") or {}
    rows = []
    for stage in (plan.get("stages") or [])[:-1]:
        key = stage.get("key")
        before = asis.get(key)
        if before is None:
            continue
        for name in FIELDS:
            a, v = _base(before.get(name)), _base(stage.get(name))
            if a is None or v is None:
                continue
            spread = before.get(name)
            low, high = (
                (spread.get("low"), spread.get("high"))
                if isinstance(spread, dict)
                else (None, None)
            )
            rows.append(AsIsRow(division=str(stage.get("owner") or ""), stage=key, field=name,
                                asis=a, tobe=v, items=(counts.get(key) or {}).get("used"),
                                low=low, high=high))  # fmt: skip
    return {"window": notes.get("window"), "data_end": notes.get("data_end")}, rows
