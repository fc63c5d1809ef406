"""Display rows derived from a plan (what the pages put in tables, sentences and charts).

No streamlit here: functions of the model's outputs and a formatter, unit-tested. Anything
that is planning math proper lives in ``model/``; ``customer_flows`` re-derives the movements
of the customer base from the spec's closed forms (and a test checks it against the plan).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import Plan, Scenario, base
from model.uncertainty import Sensitivity

from .i18n import has, t


def _stage_name(scenario: Scenario, key: str) -> str:
    return t(f"stage.{key}") if has(f"stage.{key}") else scenario.stage(key).display_label


def lead_stage(scenario: Scenario) -> str:
    """The stage whose arrivals are "leads": ``lead`` when the funnel has one, else the first."""
    keys = scenario.stage_keys
    return "lead" if "lead" in keys else keys[0]


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


@dataclass(frozen=True)
class CustomerFlows:
    """The customer base's monthly movements (spec section 3's closed forms as a recursion).

    With q = renewal_rate^(1/12) and g = (1 + expansion_rate)^(1/12) − 1, for t ≥ 1:
    churned(t) = (1 − q)·customers(t−1), mrr_churn(t) = (1 − q)·mrr(t−1),
    mrr_expansion(t) = q·g·mrr(t−1), mrr_new(t) = wins(t−k)·size/12 (subscription, k =
    onboarding months; one-time deals add customers at the win and no MRR), and
    onboarding(t) = wins in (t−k, t] (won, not yet billed). Month 0 starts from the opening base.
    """

    new_customers: np.ndarray
    churned: np.ndarray
    onboarding: np.ndarray
    mrr_new: np.ndarray
    mrr_expansion: np.ndarray
    mrr_churn: np.ndarray
    grr: float  # annual gross revenue retention = renewal_rate
    nrr: float  # annual net revenue retention = renewal_rate × (1 + expansion_rate)
    monthly_churn: float  # 1 − q
    ltv: float | None  # (size/12) / (1 − q) for subscriptions, size for one-time; None if q = 1


def customer_flows(scenario: Scenario, plan: Plan) -> CustomerFlows:
    renewal = float(base(scenario.customers.renewal_rate))
    expansion = float(base(scenario.customers.expansion_rate))
    size = float(base(scenario.deal.size))
    q = renewal ** (1 / 12)
    g = (1 + expansion) ** (1 / 12) - 1
    H = len(plan.months)
    wins = np.asarray(plan.wins, dtype=float)
    sub = scenario.deal.revenue == "subscription"
    k = scenario.deal.onboarding_months if sub else 0
    new = np.zeros(H)
    new[k:] = wins[: H - k] if k < H else 0.0
    churned = np.zeros(H)
    churned[1:] = (1 - q) * plan.customers[:-1]
    onboarding = np.array([wins[max(0, t - k + 1) : t + 1].sum() if k else 0.0 for t in range(H)])
    mrr_prev = np.concatenate([[0.0], plan.mrr[:-1]])
    mrr_new = new * size / 12 if sub else np.zeros(H)
    mrr_exp = q * g * mrr_prev
    mrr_churn = -(1 - q) * mrr_prev
    if sub:
        ltv = (size / 12) / (1 - q) if q < 1 else None
    else:
        ltv = size
    return CustomerFlows(
        new_customers=new,
        churned=churned,
        onboarding=onboarding,
        mrr_new=mrr_new,
        mrr_expansion=mrr_exp,
        mrr_churn=mrr_churn,
        grr=renewal,
        nrr=renewal * (1 + expansion),
        monthly_churn=1 - q,
        ltv=ltv,
    )
