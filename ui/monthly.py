"""A monthly target on the Plan page: target against planned wins (or bookings) per month, and
which months miss it and why (spec section 4's warnings). Pure (no streamlit), unit-tested."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from model.plan import Plan

from .charts import HEIGHT, PALETTE, _month_axis, _y_axis

MISS_COLOR = "#e07b24"  # a month off target (amber: a warning, not an error)
ON_COLOR = PALETTE[0]
TARGET_COLOR = "#222222"
MONTH_CODES = ("lead_time_short", "month_short", "month_over")
STATUSES = ("on", "short", "over", "lead_time", "off")


def is_month_warning(w: str) -> bool:
    """A warning about one month of a monthly target (spec section 4)."""
    return getattr(w, "code", None) in MONTH_CODES


def target_frame(plan: Plan, F: Any, labels: dict[str, str]) -> pd.DataFrame:
    """One row per month: the plan's wins (or bookings, for a bookings target) and the target,
    both in the target's metric, with formatted texts; ``status`` is on, short, over or
    lead_time (from the plan's own warnings, so the chart and the sentences agree). ``labels``
    are the statuses' texts and ``off``'s (the legend's "misses the target")."""
    target = plan.scenario.target
    assert target is not None and target.monthly is not None
    metric = target.metric
    planned = plan.wins if metric == "wins" else plan.bookings
    status = ["on"] * len(plan.months)
    for w in plan.warnings:
        code = getattr(w, "code", None)
        if code in MONTH_CODES:
            m = w.params["month"]  # type: ignore[attr-defined]
            status[m] = {"lead_time_short": "lead_time", "month_short": "short"}.get(code, "over")
    fmt = F.count if metric == "wins" else F.money
    return pd.DataFrame(
        {
            "month": [F.month_short(m) for m in plan.months],
            "plan": [float(v) for v in planned],
            "target": [float(v) for v in target.monthly],
            "plan_text": [fmt(float(v)) for v in planned],
            "target_text": [fmt(float(v)) for v in target.monthly],
            "status": status,
            "status_text": [labels[s] for s in status],
            "fill": [labels["on"] if s == "on" else labels["off"] for s in status],
        }
    )


def target_chart(
    df: pd.DataFrame, titles: dict[str, str], label_expr: str | None
) -> alt.LayerChart:
    """Bars: the plan per month (amber where it misses the target); a dark line with points:
    the target. Tooltips carry both numbers and the month's status."""
    months = list(df["month"])
    x = alt.X("month:O", sort=months, axis=_month_axis(None))
    tooltip = [
        alt.Tooltip("month:N", title=titles["month"]),
        alt.Tooltip("plan_text:N", title=titles["plan"]),
        alt.Tooltip("target_text:N", title=titles["target"]),
        alt.Tooltip("status_text:N", title=titles["status"]),
    ]
    bars = (
        alt.Chart()
        .mark_bar(opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("plan:Q", axis=_y_axis(titles["axis"], label_expr)),
            color=alt.Color(
                "fill:N",
                scale=alt.Scale(domain=[titles["on"], titles["off"]], range=[ON_COLOR, MISS_COLOR]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=tooltip,
        )
    )
    line = (
        alt.Chart()
        .mark_line(
            point=alt.OverlayMarkDef(filled=True, size=40, color=TARGET_COLOR),
            color=TARGET_COLOR,
            strokeDash=[4, 3],
        )
        .encode(x=x, y=alt.Y("target:Q"), tooltip=tooltip)
    )
    return alt.layer(bars, line, data=df).properties(height=HEIGHT)


def miss_groups(plan: Plan) -> list[dict[str, Any]]:
    """The months off target grouped by what the plan's warnings say of them, in month order of
    each group's first month: ``kind`` (within_lead, short or over), ``cause`` (None,
    lead_time, opening or steady), ``months`` (labels) and ``wins`` (the total off, > 0)."""
    groups: dict[tuple[str, str | None], dict[str, Any]] = {}
    for w in plan.warnings:
        code = getattr(w, "code", None)
        if code not in MONTH_CODES:
            continue
        p = w.params  # type: ignore[attr-defined]
        kind = {"lead_time_short": "within_lead", "month_short": "short"}.get(code, "over")
        key = (kind, p.get("cause"))
        g = groups.setdefault(key, {"kind": kind, "cause": p.get("cause"), "months": [],
                                    "wins": 0.0, "first": p["month"]})  # fmt: skip
        g["months"].append(p["label"])
        g["wins"] += float(p["short"] if code == "lead_time_short" else p["wins"])
    return sorted(groups.values(), key=lambda g: g["first"])


def month_list(labels: list[str], month_label: Any, sep: str) -> str:
    """Months as a list, runs of consecutive months written first–last."""
    import datetime as dt

    def idx(label: str) -> int:
        d = dt.date.fromisoformat(label + "-01")
        return d.year * 12 + d.month

    runs: list[list[str]] = []
    for lab in labels:
        if runs and idx(lab) == idx(runs[-1][-1]) + 1:
            runs[-1].append(lab)
        else:
            runs.append([lab])
    parts = [
        month_label(r[0]) if len(r) == 1 else f"{month_label(r[0])}–{month_label(r[-1])}"
        for r in runs
    ]
    return sep.join(parts)
