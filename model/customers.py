"""The customer base's monthly movements: new customers, churn, onboarding, and MRR from new
deals, expansion and churn, with GRR, NRR and LTV (spec section 3's closed forms written as the
month-to-month recursion they solve)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .plan import Plan
from .scenario import Scenario, base


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
