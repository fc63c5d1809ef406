"""The Plan vs actual page's pieces (spec v2 section 9): the plan of record against what the data
says, the bridge as a waterfall, the re-forecast and the recovery per division.

Frames are built from the model's and the data layer's results with texts already translated;
chart builders are pure (DataFrame in, Altair chart out). Which division answers for a factor of
the bridge follows spec section 2: a stage's owner delivers the arrivals into it, so the rates
of a stage are the lever of the next stage's owner; the inflow is the first stage's owner's, the
deal size the last stage's; the lags are everyone's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from model import Plan, Scenario
from model.bridge import Bridge

from .charts import (
    COUNT_AXIS_EXPR,
    HIGHLIGHT,
    MUTED,
    PALETTE,
    _month_axis,
    _tooltip,
    _validated_once,
)

BEHIND = "#fde2e4"  # the background of a row behind plan
GOOD = "#2f9e6e"


def factor_division(scenario: Scenario, factor: str) -> str | None:
    """The division that answers for a bridge factor: the inflow's is the first stage's owner,
    a stage's rates the next stage's owner (its lever), the deal size the last stage's owner;
    None for the lags (every division) and for a stage without an owner."""
    stages = scenario.stages
    if factor == "inflow":
        return stages[0].owner
    if factor.startswith("rates:"):
        i = scenario.stage_keys.index(factor.split(":", 1)[1])
        return stages[i + 1].owner
    if factor == "deal_size":
        return stages[-1].owner
    return None


# ----- the bridge -------------------------------------------------------------------------------
@dataclass(frozen=True)
class BridgeRow:
    """One bar of the bridge: ``kind`` total, effect or residual; ``start`` and ``end`` the
    running total before and after it (a total bar runs from 0)."""

    key: str  # plan, a factor of the bridge, residual, actual
    kind: str
    value: float
    start: float
    end: float
    division: str | None


def bridge_rows(scenario: Scenario, b: Bridge, actual_bookings: float) -> list[BridgeRow]:
    """Plan → each factor's effect → residual → actual: the running totals of the waterfall.
    The last bar's end equals ``actual_bookings`` (up to rounding: the effects add up to
    v(F) − v(∅) and the residual is actual − v(F))."""
    rows = [BridgeRow("plan", "total", b.plan, 0.0, b.plan, None)]
    run = b.plan
    for factor, effect in zip(b.factors, b.effects, strict=True):
        rows.append(BridgeRow(factor, "effect", effect, run, run + effect,
                              factor_division(scenario, factor)))  # fmt: skip
        run += effect
    residual = b.residual(actual_bookings)
    rows.append(BridgeRow("residual", "residual", residual, run, run + residual, None))
    rows.append(BridgeRow("actual", "total", actual_bookings, 0.0, actual_bookings, None))
    return rows


def factor_label(scenario: Scenario, key: str, division: str | None, ends: dict[str, str]) -> str:
    """A bar of a bridge in words: ``ends`` names the bars that are not a factor (plan, actual,
    residual: the plan of record and the data, or two compared scenarios), each factor is named
    with the division that owns it."""
    from .common import division_name, stage_name
    from .i18n import t

    if key in ends:
        return ends[key]
    if key == "inflow":
        what = t("actuals.factor.inflow", stage=stage_name(scenario, scenario.stage_keys[0]))
    elif key.startswith("rates:"):
        i = scenario.stage_keys.index(key.split(":", 1)[1])
        what = t("actuals.factor.rates", stage=stage_name(scenario, scenario.stage_keys[i]),
                 next=stage_name(scenario, scenario.stage_keys[i + 1]))  # fmt: skip
    else:
        what = t(f"actuals.factor.{key}")
    who = division_name(division) if division else t("actuals.every_division")
    return f"{what} · {who}"


def bridge_frame(
    rows: Sequence[BridgeRow], labels: Sequence[str], value_text: Sequence[str]
) -> pd.DataFrame:
    """The waterfall's data: one row per bar in order, with its label (division included) and
    its formatted value; ``colour`` is total, up, down or residual."""
    colour = [r.kind if r.kind != "effect" else ("up" if r.value >= 0 else "down") for r in rows]
    return pd.DataFrame(
        {
            "order": range(len(rows)),
            "key": [r.key for r in rows],
            "label": list(labels),
            "start": [r.start for r in rows],
            "end": [r.end for r in rows],
            "value": [r.value for r in rows],
            "value_text": list(value_text),
            "colour": colour,
        }
    )


COLOURS = {"total": PALETTE[0], "up": GOOD, "down": HIGHLIGHT, "residual": MUTED}


@_validated_once
def waterfall_chart(df: pd.DataFrame, x_title: str, label_expr: str) -> alt.LayerChart:
    """A horizontal waterfall: each effect a bar from its ``start`` to its ``end`` in order, top
    to bottom, its value written beside it. The axis spans the bars' ends, not zero (the effects
    are small beside the totals), so a total is a mark at its value, not a bar: a bar from the
    axis's edge would not be to scale (an opening of ¥9.3B drawn a quarter as long as a closing
    of ¥16.2B)."""
    moving = df["colour"] != "total"
    points = np.concatenate([df.loc[moving, "start"].to_numpy(float),
                             df.loc[moving, "end"].to_numpy(float),
                             df.loc[~moving, "end"].to_numpy(float)])  # fmt: skip
    lo, hi = float(points.min()), float(points.max())
    pad = max((hi - lo) * 0.35, abs(hi) * 0.02, 1.0)
    domain = [lo - pad, hi + pad * 0.6]
    labels = df["label"].tolist()
    y = alt.Y("label:N", sort=labels, axis=alt.Axis(title=None, labelLimit=320, labelFontSize=12))
    right = df.assign(right=np.maximum(df["start"], df["end"]).clip(upper=domain[1]))
    base = alt.Chart(right).encode(y=y)
    x_scale = alt.Scale(domain=domain, zero=False, nice=False, clamp=True)
    colour = alt.Color(
        "colour:N", scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())), legend=None
    )
    tooltip = [alt.Tooltip("label:N", title=" "), alt.Tooltip("value_text:N", title=" ")]
    bars = (
        base.transform_filter("datum.colour != 'total'")
        .mark_bar(clip=True)
        .encode(
            x=alt.X("start:Q", scale=x_scale,
                    axis=alt.Axis(title=x_title, labelExpr=label_expr, labelOverlap=True)),
            x2="end:Q",
            color=colour,
            tooltip=tooltip,
        )
    )  # fmt: skip
    totals = (
        base.transform_filter("datum.colour == 'total'")
        .mark_tick(thickness=5, size=24, clip=True)
        .encode(x=alt.X("end:Q", scale=x_scale), color=colour, tooltip=tooltip)
    )
    text = base.mark_text(align="left", dx=6, fontSize=12).encode(
        x=alt.X("right:Q"), text="value_text:N"
    )
    return alt.layer(bars, totals, text).properties(height=34 * len(df) + 40)


def rate_rows(scenario: Scenario, actual: Any) -> list[dict[str, Any]]:
    """Each non-terminal stage's conversion, disqualify, recycle and lag in the plan (at base)
    and in the months closed (``db.actuals.Actuals``), then the deal size (key ``deal``)."""
    from model.scenario import base

    rows = []
    for st in scenario.stages[:-1]:
        for param in ("conversion", "disqualify", "recycle", "lag"):
            rows.append({"key": st.key, "param": param, "plan": float(base(getattr(st, param))),
                         "actual": float(actual.stages[st.key][param])})  # fmt: skip
    rows.append({"key": "deal", "param": "size", "plan": float(base(scenario.deal.size)),
                 "actual": float(actual.deal_size)})  # fmt: skip
    return rows


# ----- plan against actual, per division and stage -----------------------------------------------
def plan_to_date(plan: Plan, k: int) -> dict[str, list[float]]:
    """The plan's arrivals per stage key, its wins and bookings, for months 0..k−1."""
    out = {key: plan.arrivals[i][:k].tolist() for i, key in enumerate(plan.stage_keys)}
    out["bookings"] = plan.bookings[:k].tolist()
    return out


def delivered(actual: float, planned: float) -> float | None:
    """The share of plan delivered (None where the plan asked for nothing)."""
    return actual / planned if planned > 1e-9 else None


def comparison_rows(
    scenario: Scenario, planned: dict[str, list[float]], actual: dict[str, Sequence[float]]
) -> list[dict[str, Any]]:
    """Per stage with an owner (top to bottom) and for bookings: the division, the plan and the
    actual to date, the difference and the share delivered."""
    rows = []
    for st in scenario.stages:
        if st.owner:
            rows.append((st.owner, st.key))
    rows.append((scenario.stages[-1].owner, "bookings"))
    out = []
    for division, key in rows:
        p, a = math.fsum(planned[key]), math.fsum(actual[key])
        out.append({"division": division, "key": key, "plan": p, "actual": a,
                    "difference": a - p, "delivered": delivered(a, p)})  # fmt: skip
    return out


def monthly_frame(
    months: Sequence[str],
    names: dict[str, str],
    planned: dict[str, list[float]],
    actual: dict[str, Sequence[float]],
    series: tuple[str, str],
    text: Callable[[str, float], str],
) -> pd.DataFrame:
    """Tidy rows for the small multiples: per row key of ``names`` (its panel title), month and
    series (plan, actual) the value and its text."""
    rows = []
    for order, (key, name) in enumerate(names.items()):
        for which, values in ((series[0], planned[key]), (series[1], actual[key])):
            for m, v in zip(months, values, strict=True):
                rows.append({"panel": name, "order": order, "month": m, "series": which,
                             "value": float(v), "value_text": text(key, float(v))})  # fmt: skip
    return pd.DataFrame(rows)


@_validated_once
def plan_actual_chart(df: pd.DataFrame, label_expr: str = COUNT_AXIS_EXPR) -> alt.Chart:
    """Plan (dashed, grey) and actual (solid) per month for one division and stage (the page
    names the panel above it)."""
    months = list(dict.fromkeys(df["month"]))
    names = list(dict.fromkeys(df["series"]))
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", sort=months, axis=_month_axis(None)),
            y=alt.Y("value:Q", axis=alt.Axis(title=None, labelExpr=label_expr)),
            color=alt.Color(
                "series:N",
                sort=names,
                scale=alt.Scale(domain=names, range=[MUTED, PALETTE[0]]),
                legend=None,  # the page says it once: plan dashed grey, actual solid blue
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=names,
                scale=alt.Scale(domain=names, range=[[5, 3], [1, 0]]),
                legend=None,
            ),  # fmt: skip
            tooltip=[alt.Tooltip("panel:N", title=" "), *_tooltip()],
        )
        .properties(height=190)
    )


def behind_style(frame: pd.DataFrame, behind: Sequence[bool]) -> Any:
    """The table with the rows behind plan shaded (a pandas Styler st.dataframe shows)."""
    flags = list(behind)

    def shade(row: pd.Series) -> list[str]:
        on = flags[frame.index.get_loc(row.name)]
        return [f"background-color: {BEHIND}" if on else "" for _ in row]

    return frame.style.apply(shade, axis=1)


# ----- the year: plan, actual, re-forecast and recovery per month --------------------------------
def year_frame(
    months: Sequence[str],
    k: int,
    plan: Sequence[float],
    actual: Sequence[float],
    rest: Sequence[float] | None,
    recovery: Sequence[float] | None,
    names: dict[str, str],
    text: Callable[[float], str],
) -> pd.DataFrame:
    """Bookings per month over the year: the plan's, the actual months 0..k−1, the re-forecast
    and the recovery plan of months k..H−1 (``names``: series key → its title)."""
    parts = {"plan": (months, plan), "actual": (months[:k], actual)}
    if rest is not None:
        parts["reforecast"] = (months[k:], rest)
    if recovery is not None:
        parts["recovery"] = (months[k:], recovery)
    rows = []
    for order, (key, (ms, values)) in enumerate(parts.items()):
        for m, v in zip(ms, values, strict=True):
            rows.append({"month": m, "series": names[key], "order": order, "value": float(v),
                         "value_text": text(float(v))})  # fmt: skip
    return pd.DataFrame(rows, columns=["month", "series", "order", "value", "value_text"])


def recovery_rows(scenario: Scenario, plan: Plan, recovered: Plan, k: int) -> list[dict[str, Any]]:
    """Per stage with an owner, and for bookings: the plan of record's numbers for months
    k..H−1 beside the recovery plan's, the change, and the rate into the stage in each."""
    rows = []
    rec = {r["stage"]: r for r in recovered.responsibility()}
    for r in plan.responsibility():
        original = math.fsum(r["monthly"][k:])
        again = rec[r["stage"]]["total"]
        rows.append({"division": r["division"], "key": r["stage"], "plan": original,
                     "recovery": again, "change": again - original,
                     "rate": r["rate"], "recovery_rate": rec[r["stage"]]["rate"]})  # fmt: skip
    original = math.fsum(plan.bookings[k:].tolist())
    again = float(recovered.bookings.sum())
    rows.append({"division": scenario.stages[-1].owner, "key": "bookings", "plan": original,
                 "recovery": again, "change": again - original, "rate": None,
                 "recovery_rate": None})  # fmt: skip
    return rows


# ----- downloads: the page's tables as numbers ---------------------------------------------------
EXPORTS = ("plan_vs_actual", "monthly", "bridge", "recovery")


def export_frames(
    comparison: Sequence[dict[str, Any]],
    months: Sequence[str],
    planned: dict[str, list[float]],
    actual: dict[str, Sequence[float]],
    bars: Sequence[BridgeRow],
    bar_labels: Sequence[str],
    recovery: Sequence[dict[str, Any]] | None,
    title: Callable[[str], str],
    stage: Callable[[str], str],
    division: Callable[[str | None], str],
) -> dict[str, pd.DataFrame]:
    """The page's tables for a spreadsheet, amounts as numbers: plan against actual to date
    per division and stage, the same per month, the bridge's bars (effect, running total before
    and after) and, when there is one, the recovery plan. ``title`` names a column by its key
    (division, stage, plan, actual, difference, delivered, month, bar, effect, start, end,
    original, recovery, change)."""
    who = [division(r["division"]) for r in comparison]
    what = [stage(r["key"]) for r in comparison]
    frames = {
        "plan_vs_actual": pd.DataFrame(
            {
                title("division"): who,
                title("stage"): what,
                **{
                    title(c): [r[c] for r in comparison]
                    for c in ("plan", "actual", "difference", "delivered")
                },
            }  # fmt: skip
        ),
        "monthly": pd.DataFrame(
            [
                {
                    title("division"): d,
                    title("stage"): s,
                    title("month"): m,
                    title("plan"): planned[r["key"]][i],
                    title("actual"): actual[r["key"]][i],
                }
                for r, d, s in zip(comparison, who, what, strict=True)
                for i, m in enumerate(months)
            ]  # fmt: skip
        ),
        "bridge": pd.DataFrame(
            {
                title("bar"): list(bar_labels),
                title("effect"): [r.value for r in bars],
                title("start"): [r.start for r in bars],
                title("end"): [r.end for r in bars],
            }
        ),
    }
    if recovery is not None:
        frames["recovery"] = pd.DataFrame(
            {
                title("division"): [division(r["division"]) for r in recovery],
                title("stage"): [stage(r["key"]) for r in recovery],
                **{
                    title(c): [r[k] for r in recovery]
                    for c, k in (
                        ("original", "plan"),
                        ("recovery", "recovery"),
                        ("change", "change"),
                    )
                },
            }  # fmt: skip
        )
    return frames


def workbook_bytes(frames: dict[str, pd.DataFrame], sheet_names: dict[str, str]) -> bytes:
    """An .xlsx with one sheet per table (``sheet_names``: table key → sheet title), text cells
    neutralised against formulas (``ui.exports.safe_frame``), numbers as numbers."""
    import io

    from .exports import safe_frame

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as book:
        for key, frame in frames.items():
            name = "".join(c for c in sheet_names[key] if c not in "[]:*?/\\")[:31] or key
            safe_frame(frame).to_excel(book, sheet_name=name, index=False)
            book.sheets[name].set_column(0, len(frame.columns) - 1, 18)
    return buf.getvalue()
