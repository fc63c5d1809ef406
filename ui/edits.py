"""Edits of the scenario that are more than setting one number (widget callbacks).

Each takes the session's scenario dict and a widget's value; they keep the plan where it was
when the user only changes how the target is expressed (switching from a bookings target to a
wins target carries over the plan's wins, a total becomes the same amount per month).
"""

from __future__ import annotations

import json
from typing import Any

from model import ScenarioError, parse_scenario, run_plan

TARGET_KINDS = ("total", "monthly", "none")
TARGET_METRICS = ("bookings", "revenue", "wins")


def _plan_totals(data: dict[str, Any]) -> dict[str, float] | None:
    try:
        plan = run_plan(parse_scenario(json.loads(json.dumps(data))))
    except ScenarioError:
        return None
    return {**plan.totals, "inflow_per_month": plan.required_inflow_per_month}


def target_kind(data: dict[str, Any]) -> str:
    tgt = data.get("target")
    if not tgt:
        return "none"
    return "monthly" if "monthly" in tgt else "total"


def target_value(data: dict[str, Any]) -> float:
    """The number the target widget shows: the total, or the (mean) monthly value."""
    tgt = data.get("target") or {}
    if "monthly" in tgt:
        m = tgt["monthly"]
        return float(sum(m) / len(m)) if isinstance(m, list) and m else float(m)
    return float(tgt.get("total", 0.0))


def set_target_kind(data: dict[str, Any], kind: str) -> None:
    old = target_kind(data)
    if kind == old:
        return
    totals = _plan_totals(data)
    months = int(data.get("months", 12))
    if kind == "none":  # the inflow stays today's run-rate: the forward plan projects it
        data.pop("target", None)
        return
    metric = (data.get("target") or {}).get("metric", "bookings")
    if kind == "monthly" and metric == "revenue":
        metric = "bookings"  # revenue is a total-only target (spec section 4)
    total = totals[metric] if totals is not None else target_value(data)
    if kind == "total":
        data["target"] = {"metric": metric, "total": round(total, 6)}
    else:
        data["target"] = {"metric": metric, "monthly": round(total / months, 6)}


def set_target_metric(data: dict[str, Any], metric: str) -> None:
    tgt = data.get("target")
    if not tgt or tgt.get("metric") == metric:
        return
    totals = _plan_totals(data)
    months = int(data.get("months", 12))
    value = totals[metric] if totals is not None else target_value(data)
    if "monthly" in tgt:
        data["target"] = {"metric": metric, "monthly": round(value / months, 6)}
    else:
        data["target"] = {"metric": metric, "total": round(value, 6)}


def set_target_value(data: dict[str, Any], value: float | None) -> None:
    tgt = data.get("target")
    if not tgt or value is None:
        return
    if "monthly" in tgt:
        tgt["monthly"] = float(value)
    else:
        tgt["total"] = float(value)


def set_recycle_mode(data: dict[str, Any], mode: str) -> None:
    """``rate``: reactivate a share of the pool; ``volume``: a fixed number per month (starting
    from what the rate reactivates on average now)."""
    rec = data.setdefault("recycle", {})
    if mode == "rate":
        rec["volume"] = None
        return
    if rec.get("volume") is not None:
        return
    try:
        plan = run_plan(parse_scenario(json.loads(json.dumps(data))))
        rec["volume"] = round(float(plan.reactivated.mean()), 1)
    except ScenarioError:
        rec["volume"] = 0.0


def set_handoff(data: dict[str, Any], division: str, text: str) -> None:
    divs = data.setdefault("divisions", {})
    divs[division] = {"handoff": text}
