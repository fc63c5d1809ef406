"""Display rows derived from a plan (what the pages put in tables, sentences and charts).

No streamlit here: functions of the model's outputs and a formatter, unit-tested. Anything
that is planning math proper lives in ``model/`` (the customer movements: model/customers.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import Plan, Scenario, base
from model.uncertainty import PERCENTILES, Effect, MonteCarlo, Sensitivity

from .charts import tornado_frame
from .format import inert
from .i18n import has, t


def _stage_name(scenario: Scenario, key: str) -> str:
    return t(f"stage.{key}") if has(f"stage.{key}") else scenario.stage(key).display_label


def param_name(scenario: Scenario, name: str, stage: str | None) -> str:
    """``Opportunities · Conversion`` for a stage parameter, ``Deal size`` for the others (as
    ``ui.common.param_name``, without streamlit)."""
    what = t(f"param.{name}")
    return f"{_stage_name(scenario, stage)} · {what}" if stage else what


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


def param_value_text(e: Effect, value: float, F) -> str:
    """A parameter's value as its field reads: a rate in percent (two decimals below 10%), a
    lag in months, money, or a count."""
    if e.kind == "rate":
        return F.pct(value, digits=2 if abs(value) < 0.1 else 1)
    if e.kind == "lag":
        return F.months(value)
    if e.kind == "amount":
        return F.money(value)
    return F.count(value)


def effect_label(scenario: Scenario, e: Effect, F) -> str:
    """A tornado row's name: the parameter in words and how it was moved (its committed range
    ``(25.4% – 26.8%)``, ``(±10%)`` or ``(±1pt)``)."""
    name = param_name(scenario, e.name, e.stage)
    if e.how == "range":
        return f"{name} ({param_value_text(e, e.down, F)} – {param_value_text(e, e.up, F)})"
    return f"{name} ({e.step_label})"


def bottleneck_sentence(scenario: Scenario, sens: Sensitivity, F) -> str:
    """The bottleneck named in one sentence with what its stretch is worth (spec section 6), or
    that no single stage stands out (naming the close ones), or that none matters."""
    if sens.bottleneck is None:
        if len(sens.close) > 1:
            names = [f"{_md_name(scenario, k)} → {_md_next(scenario, k)}" for k in sens.close]
            return t("bottleneck.close", stages=t("bottleneck.and").join(names))
        return t("bottleneck.none")
    effect = next(e for e in sens.effects if e.name == "conversion" and e.stage == sens.bottleneck)
    how = t("bottleneck.how.range") if effect.how == "range" else t("bottleneck.how.relative")
    common = {
        "stage": _md_name(scenario, sens.bottleneck),
        "next": _md_next(scenario, sens.bottleneck),
        "rate": param_value_text(effect, effect.value, F),
        "to": param_value_text(effect, effect.up, F),
        "how": how,
    }
    if sens.ranked_by == "inflow":
        return t(
            "bottleneck.reverse",
            inflow=F.count(-(effect.inflow_up or 0.0)),
            first=_md_name(scenario, scenario.stage_keys[0]),
            **common,
        )
    return t("bottleneck.forward", bookings=F.money(effect.bookings_up), **common)


def _next_name(scenario: Scenario, key: str) -> str:
    return _stage_name(scenario, scenario.stage_keys[scenario.stage_keys.index(key) + 1])


def _md_name(scenario: Scenario, key: str) -> str:
    """A stage's name in a sentence the page renders as markdown (a user's label stays text)."""
    return inert(_stage_name(scenario, key))


def _md_next(scenario: Scenario, key: str) -> str:
    return inert(_next_name(scenario, key))


def tornado_rows(
    effects: list[Effect], names: list[str], highlight: list[bool], measure: str, F
) -> pd.DataFrame:
    """A tornado chart's rows for one measure (``bookings``, or ``inflow``: a count): each
    parameter's change of it at its low and its high end (or moved down and up by its step), as
    numbers and signed text, with the parameter's value at each end. Parameters that change
    nothing, or make it infinite (an unreachable target: see :func:`unreachable_ends`), are
    left out."""
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
        [param_value_text(e, e.down, F) for e in effects],
        [param_value_text(e, e.up, F) for e in effects],
    )
    return df[(df["span"] > 0) & np.isfinite(df["span"])]


def unreachable_ends(scenario: Scenario, sens: Sensitivity, F) -> list[str]:
    """One sentence per parameter end that puts the target out of reach at any inflow (the
    tornado cannot draw an infinite bar)."""
    out = []
    for e in sens.effects:
        for side in ("down", "up"):
            delta = getattr(e, f"inflow_{side}")
            if delta is not None and not np.isfinite(delta):
                out.append(
                    t(
                        "sens.unreachable",
                        name=inert(param_name(scenario, e.name, e.stage)),
                        value=param_value_text(e, getattr(e, side), F),
                    )
                )
    return out


def inflow_for_confidence_text(mc: MonteCarlo, p: int, F) -> str:
    """The inflow per month for ``p``% confidence (80 or 90), or "out of reach" where more than
    100 − p percent of the draws cannot meet the target at any inflow."""
    v = (mc.inflow_for_confidence or {}).get(p)
    if v is None or not np.isfinite(v):
        return t("overview.need_unreachable")
    return F.count(v)


def required_percentiles_text(mc: MonteCarlo, F) -> dict[str, str]:
    """P10, median and P90 of the required inflow per month, as ``p10``/``p50``/``p90`` text."""
    if mc.required is None:
        return {"p10": "—", "p50": "—", "p90": "—"}
    return {f"p{p}": F.count(mc.required[PERCENTILES.index(p)]) for p in (10, 50, 90)}


def arrivals_table(scenario: Scenario, plan: Plan, F) -> pd.DataFrame:
    """Arrivals per stage (rows) per month (columns), formatted, with the horizon total."""
    cols = [F.month(m) for m in plan.months]
    data = {}
    for i, st in enumerate(scenario.stages):
        row = F.counts(plan.arrivals[i])  # whole, and they add up to the total column
        data[_stage_name(scenario, st.key)] = row + [F.count(round(plan.arrivals[i].sum()))]
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
