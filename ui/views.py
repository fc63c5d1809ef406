"""Display rows derived from a plan (what the pages put in tables, sentences and charts).

No streamlit here: functions of the model's outputs and a formatter, unit-tested. Anything
that is planning math proper lives in ``model/`` (the customer movements: model/customers.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import Plan, Scenario, base
from model.uncertainty import Effect, Sensitivity

from .charts import tornado_frame
from .i18n import has, t


def _stage_name(scenario: Scenario, key: str) -> str:
    return t(f"stage.{key}") if has(f"stage.{key}") else scenario.stage(key).display_label


def lead_stage(scenario: Scenario) -> str:
    """The stage whose arrivals are "leads": ``lead`` when the funnel has one, else the first."""
    keys = scenario.stage_keys
    return "lead" if "lead" in keys else keys[0]


def mean_arrivals(plan: Plan | None, stage: str) -> float | None:
    """A stage's mean arrivals per month in a plan; None without a plan or when its funnel has
    no such stage."""
    if plan is None or stage not in plan.stage_keys:
        return None
    return float(plan.stage_series(stage, "arrivals").mean())


def funnel_rows(scenario: Scenario, plan: Plan, F) -> tuple[list, list, list, list]:
    """Per stage: name, arrivals over the horizon, their text, and the conversion into the next
    stage as text (the arguments of :func:`ui.charts.funnel_frame`)."""
    names, totals, texts, conv = [], [], [], []
    for i, st in enumerate(scenario.stages):
        names.append(_stage_name(scenario, st.key))
        total = float(plan.arrivals[i].sum())
        totals.append(total)
        texts.append(F.count(total))
        if st.terminal:
            conv.append("")
        else:
            conv.append(t("funnel.conversion", pct=F.pct(base(st.conversion))))
    return names, totals, texts, conv


def bottleneck_sentence(scenario: Scenario, sens: Sensitivity, F) -> str:
    """The bottleneck named in one sentence, with what one point of its conversion is worth."""
    if sens.bottleneck is None:
        return t("bottleneck.none")
    effect = next(e for e in sens.effects if e.name == "conversion" and e.stage == sens.bottleneck)
    name = _stage_name(scenario, sens.bottleneck)
    nxt = scenario.stages[scenario.stage_keys.index(sens.bottleneck) + 1].key
    if sens.ranked_by == "inflow":
        return t(
            "bottleneck.reverse",
            stage=name,
            next=_stage_name(scenario, nxt),
            rate=F.pct(effect.value),
            inflow=F.count(-(effect.inflow_up or 0.0)),
            first=_stage_name(scenario, scenario.stage_keys[0]),
        )
    return t(
        "bottleneck.forward",
        stage=name,
        next=_stage_name(scenario, nxt),
        rate=F.pct(effect.value),
        bookings=F.money(effect.bookings_up),
    )


def tornado_rows(
    effects: list[Effect], names: list[str], highlight: list[bool], measure: str, F
) -> pd.DataFrame:
    """A tornado chart's rows for one measure (``bookings``, or ``inflow``: a count): each
    parameter's change of it when moved down and up by its step, as numbers and signed text.
    Parameters that change nothing, or make it infinite (an unreachable target), are left out."""
    text = F.count if measure == "inflow" else F.money
    down = [getattr(e, f"{measure}_down") for e in effects]
    up = [getattr(e, f"{measure}_up") for e in effects]
    df = tornado_frame(
        names,
        down,
        up,
        [text(v, signed=True) for v in down],
        [text(v, signed=True) for v in up],
        highlight,
    )
    return df[(df["span"] > 0) & np.isfinite(df["span"])]


def arrivals_table(scenario: Scenario, plan: Plan, F) -> pd.DataFrame:
    """Arrivals per stage (rows) per month (columns), formatted, with the horizon total."""
    cols = [F.month(m) for m in plan.months]
    data = {}
    for i, st in enumerate(scenario.stages):
        row = [F.count(v, digits=1) for v in plan.arrivals[i]]
        data[_stage_name(scenario, st.key)] = row + [F.count(plan.arrivals[i].sum(), digits=1)]
    df = pd.DataFrame(data, index=[*cols, t("table.total")]).T
    return df


def where_stock_piles(scenario: Scenario, plan: Plan) -> tuple[str, float, float] | None:
    """The non-terminal stage holding the most stock at the horizon's end relative to its
    monthly arrivals: (stage key, end stock, months of arrivals it represents)."""
    best = None
    for i, st in enumerate(scenario.stages[:-1]):
        end = float(plan.stock[i][-1])
        mean_in = float(plan.arrivals[i].mean())
        ratio = end / mean_in if mean_in > 0 else (np.inf if end > 0 else 0.0)
        if best is None or ratio > best[2]:
            best = (st.key, end, ratio)
    if best is None or best[1] <= 0:
        return None
    return best
