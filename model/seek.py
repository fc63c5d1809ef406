"""Goal seek (spec section 10): with today's inflow, the value of one lever that meets the target.

For a scenario with its own ``inflow`` and a total ``target`` {metric, total: X}, and a lever:

    lever                      allowed values
    stages.<key>.conversion    0 .. 1 − disqualify − recycle (a non-terminal stage)
    deal.size                  0 .. ∞   (not with a wins target)
    recycle.reactivation       0 .. 1   (rate mode only)
    recycle.volume             0 .. ∞   (volume mode only; a constant replaces a monthly list)

M(v) = Σ_t metric(t) over the horizon, with the scenario's inflow and the lever at v (a range on
the lever's parameter replaced by v, every other range at its base), is nondecreasing in v. The
answer is the smallest allowed v with M(v) ≥ X, to 1e-9 relative, approached from above: the
search keeps a bracket lo < v ≤ hi with M(lo) < X ≤ M(hi) and narrows it until
hi − lo ≤ ½·1e-9·hi, answering hi. Each step evaluates 63 points of the bracket in one batch of
the engine (a row per point), so a step narrows it 64 times. If M at the lower bound already
reaches X, the answer is that bound, with a warning; if no allowed value reaches X (M at the
upper bound, or at 2^62 times a start for an unbounded lever, is still below X), the lever is
refused (``error: lever: ...``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import PlanWarning, ScenarioError
from .levers import Levers, build_levers
from .reverse import metric_series
from .scenario import Scenario, base, parse_scenario

REL_TOL = 1e-9  # the answer's relative precision (spec section 10)
POINTS = 63  # points evaluated per step of the search: the bracket narrows 64 times a step
LEVERS = ("stages.<key>.conversion", "deal.size", "recycle.reactivation", "recycle.volume")
_STAGE_LEVER = re.compile(r"^stages(?:\.([^.\[\]]+)|\[([^\]]+)\])\.conversion$")


@dataclass(frozen=True)
class Lever:
    """A lever of spec section 10's table: its path as given, its parameter, the stage
    (conversion only), its allowed values [low, high] and its value in the scenario."""

    path: str
    name: str  # conversion, size, reactivation or volume
    stage: int | None
    low: float
    high: float
    base: Any  # a number, or a recycle volume's monthly list

    def set(self, lv: Levers, values: np.ndarray) -> None:
        """The lever at ``values`` (B,), one per batch row."""
        if self.name == "conversion":
            lv.conversion[:, self.stage] = values
        elif self.name == "volume":
            lv.volume = np.repeat(values[:, None], lv.inflow.shape[1], axis=1)
        else:
            getattr(lv, self.name)[:] = values


_NOT_ALLOWED = {
    "wins": "the deal size cannot move a wins target",
    "volume": "the reactivation rate is a lever in rate mode only; this scenario reactivates a "
    "fixed recycle.volume",
    "rate": "the recycle volume is a lever in volume mode only; this scenario reactivates at "
    "recycle.reactivation",
}


def _not_allowed(path: str, mode: str) -> ScenarioError:
    """deal.size with a wins target, recycle.reactivation in volume mode, recycle.volume in rate
    mode (spec section 10's table)."""
    return ScenarioError(
        "lever", _NOT_ALLOWED[mode], code="lever_not_allowed", params={"lever": path, "mode": mode}
    )


def lever(scenario: Scenario, path: str) -> Lever:
    """The lever named by ``path`` (``stages.<key>.conversion``, also written
    ``stages[<key>].conversion``; ``deal.size``; ``recycle.reactivation``; ``recycle.volume``),
    with its allowed values, or a ScenarioError on ``lever``."""
    target = scenario.target
    m = _STAGE_LEVER.match(path)
    if m:
        key = m.group(1) or m.group(2)
        keys = scenario.stage_keys
        if key not in keys[:-1]:
            raise ScenarioError(
                "lever",
                f"{key!r} is not a non-terminal stage (those are: {', '.join(keys[:-1])})",
                code="lever_unknown_stage",
                params={"lever": path, "stage": key, "stages": list(keys[:-1])},
            )
        st = scenario.stage(key)
        high = max(0.0, 1.0 - float(base(st.disqualify)) - float(base(st.recycle)))
        return Lever(path, "conversion", keys.index(key), 0.0, high, float(base(st.conversion)))
    volume_mode = scenario.recycle.volume is not None
    if path == "deal.size":
        if target is not None and target.metric == "wins":
            raise _not_allowed(path, "wins")
        return Lever(path, "size", None, 0.0, math.inf, float(base(scenario.deal.size)))
    if path == "recycle.reactivation":
        if volume_mode:
            raise _not_allowed(path, "volume")
        return Lever(
            path, "reactivation", None, 0.0, 1.0, float(base(scenario.recycle.reactivation))
        )
    if path == "recycle.volume":
        vol = scenario.recycle.volume
        if vol is None:
            raise _not_allowed(path, "rate")
        value = list(vol) if isinstance(vol, tuple) else float(base(vol))
        return Lever(path, "volume", None, 0.0, math.inf, value)
    raise ScenarioError(
        "lever",
        f"unknown lever {path!r} (the levers are: {', '.join(LEVERS)})",
        code="lever_unknown",
        params={"lever": path, "levers": list(LEVERS)},
    )


def lever_totals(scenario: Scenario, lv_: Lever, values: np.ndarray) -> np.ndarray:
    """M(v) for each of ``values``: the target metric summed over the horizon with the
    scenario's own inflow and the lever at v (every other parameter at its base)."""
    assert scenario.target is not None
    values = np.asarray(values, dtype=float)
    lv = build_levers(scenario, batch=values.shape[0])
    lv_.set(lv, values)
    with np.errstate(over="ignore", invalid="ignore"):
        out = metric_series(lv, scenario.months, scenario.target.metric).sum(axis=1)
    return np.where(np.isnan(out), -np.inf, out)


@dataclass(frozen=True)
class Seek:
    """A goal seek's answer (spec section 10): ``value`` of ``lever`` meets the target; ``base``
    is its value in the scenario; ``total`` the target metric over the horizon at ``value``."""

    lever: str
    value: float
    base: Any
    total: float
    target: float
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Spec section 10's JSON."""
        return {
            "lever": self.lever,
            "value": self.value,
            "base": self.base,
            "warnings": list(self.warnings),
        }


def goal_seek(scenario: Scenario, path: str) -> Seek:
    """Spec section 10: the smallest allowed value of the lever ``path`` at which the horizon
    total of the target's metric, with the scenario's own inflow, reaches the total target."""
    target = scenario.target
    if target is None or target.total is None:
        raise ScenarioError(
            "target",
            "goal seek needs a total target (a horizon total to reach with today's inflow)",
            code="seek_total_target",
        )
    X, metric = float(target.total), target.metric
    lv_ = lever(scenario, path)
    at_low = float(lever_totals(scenario, lv_, np.array([lv_.low]))[0])
    if at_low >= X:
        warning = PlanWarning(
            "lever_not_needed",
            f"lever: the target is met without the lever: {path} at its lowest allowed value "
            f"{lv_.low:g} already gives {metric} {at_low:.3f} >= {X:.3f}",
            {"lever": path, "value": lv_.low, "metric": metric, "reached": at_low, "target": X},
        )
        return Seek(path, lv_.low, lv_.base, at_low, X, (warning,))
    lo, hi = lv_.low, lv_.high
    if math.isinf(hi):  # a geometric ladder up from a start: the first rung that reaches X
        start = max(abs(lv_.base) if isinstance(lv_.base, float) else 0.0, 1.0)
        rungs = start * 2.0 ** np.arange(POINTS)
        m = lever_totals(scenario, lv_, rungs)
        reach = np.flatnonzero(m >= X)
        if not reach.size:
            raise _unreachable(path, metric, float(m.max()), X)
        i = int(reach[0])
        hi, lo = float(rungs[i]), float(rungs[i - 1]) if i else lo
        m_hi = float(m[i])
    else:
        m_hi = float(lever_totals(scenario, lv_, np.array([hi]))[0])
        if m_hi < X:
            raise _unreachable(path, metric, m_hi, X)
    fractions = np.arange(1, POINTS + 1) / (POINTS + 1)
    while hi - lo > 0.5 * REL_TOL * hi:
        points = lo + (hi - lo) * fractions
        m = lever_totals(scenario, lv_, points)
        reach = np.flatnonzero(m >= X)
        if reach.size:
            i = int(reach[0])
            hi, m_hi = float(points[i]), float(m[i])
            lo = float(points[i - 1]) if i else lo
        else:
            lo = float(points[-1])
        if not lo < hi:  # the bracket cannot shrink further in floats
            break
    return Seek(path, hi, lv_.base, m_hi, X)


def _unreachable(path: str, metric: str, best: float, X: float) -> ScenarioError:
    return ScenarioError(
        "lever",
        f"no allowed value of {path} reaches the target: the most it gives is {metric} "
        f"{best:.3f} against {X:.3f}",
        code="lever_unreachable",
        params={"lever": path, "metric": metric, "reached": best, "target": X},
    )


def with_lever(scenario: Scenario, path: str, value: float) -> Scenario:
    """The scenario with the lever at ``value`` (a range on it replaced by the number; a monthly
    recycle volume by the constant), validated again."""
    lv_ = lever(scenario, path)
    data = scenario.to_json()
    if lv_.name == "conversion":
        assert lv_.stage is not None
        data["stages"][lv_.stage]["conversion"] = value
    elif lv_.name == "size":
        data["deal"]["size"] = value
    else:
        data["recycle"][lv_.name] = value
    return parse_scenario(data)


__all__ = ["LEVERS", "Lever", "Seek", "goal_seek", "lever", "lever_totals", "with_lever"]
