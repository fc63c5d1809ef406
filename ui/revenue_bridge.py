"""The revenue bridge over a plan (issue 12): opening MRR + new customers' MRR + expansion −
churn = closing MRR, as the Customer success page draws it and the one-page PDF writes it."""

from __future__ import annotations

from model.customers import customer_flows

from .actuals import BridgeRow


def opening_mrr(plan, flows) -> float:
    """The MRR before the plan's first month: that month's MRR less its new customers' (with no
    onboarding delay, month 0's wins are billed in month 0: mrr[0] already holds them)."""
    return float(plan.mrr[0] - flows.mrr_new[0])


def revenue_bridge_rows(scenario, plan) -> list[BridgeRow]:
    """The bars of the bridge: the opening MRR (month 0 starts from it), each move summed over
    the plan (churn negative), the closing MRR; a move runs from the total before it."""
    flows = customer_flows(scenario, plan)
    opening = opening_mrr(plan, flows)
    moves = {
        "new": float(flows.mrr_new.sum()),
        "expansion": float(flows.mrr_expansion.sum()),
        "churn": float(flows.mrr_churn.sum()),
    }
    rows, run = [BridgeRow("opening", "total", opening, 0.0, opening, None)], opening
    for key, value in moves.items():
        rows.append(BridgeRow(key, "effect", value, run, run + value, None))
        run += value
    closing = float(plan.mrr[-1])
    rows.append(BridgeRow("closing", "total", closing, 0.0, closing, None))
    return rows
