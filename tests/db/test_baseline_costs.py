"""The baseline's acquisition cost from the data (issue 10, spec section 8's ``costs``): the
marketing spend of the window's months over the new arrivals into the first stage in the same
months, with the months and sources it used in the scenario's notes; no spend, no ``costs``."""

from __future__ import annotations

import pytest

from db.baseline import build_baseline
from db.imports import import_file
from model import parse_scenario, run_plan

HISTORY = {
    "kind": "history",
    "stages": ["lead", "opportunity", "won"],
    "dayfirst": False,
    "columns": {"item_id": "id", "stage": "stage", "entered_at": "entered",
                "resolved_at": "resolved", "outcome": "outcome", "amount": "amount"},
}  # fmt: skip
SPEND = {"kind": "spend", "dayfirst": False,
         "columns": {"month": "Month", "source": "Channel", "spend": "Cost (JPY)"}}  # fmt: skip
# new leads per month, January to June 2025 (each month's first three become opportunities)
LEADS = {"2025-01": 5, "2025-02": 4, "2025-03": 6, "2025-04": 3, "2025-05": 7, "2025-06": 2}


def _history_csv(recycled_back: bool = True) -> bytes:
    """Leads that convert (the first three of a month) or are lost within the month; every
    opportunity is won a month later. With ``recycled_back`` one lost lead of January is
    recycled instead and comes back as a lead in March: a re-entry, not a new arrival."""
    lines = ["id,stage,entered,resolved,outcome,amount"]
    for month, n in LEADS.items():
        for i in range(n):
            item = f"{month}-{i}"
            if i < 3:
                lines.append(f"{item},lead,{month}-05,{month}-20,converted,")
                y, m = map(int, month.split("-"))
                won = f"{y + m // 12}-{m % 12 + 1:02d}-10"
                lines.append(f"{item},opportunity,{month}-20,{won},converted,")
                lines.append(f"{item},won,{won},,open,1200000")
            elif recycled_back and item == "2025-01-3":
                lines.append(f"{item},lead,{month}-06,{month}-25,recycled,")
                lines.append(f"{item},lead,2025-03-12,2025-03-28,lost,")
            else:
                lines.append(f"{item},lead,{month}-07,{month}-27,lost,")
    return ("\n".join(lines) + "\n").encode()


SPEND_CSV = (
    b"Month,Channel,Cost (JPY)\n"
    b"2024-12,paid_search,999999\n"  # before the window: not used
    b"2025-02,paid_search,120000\n"
    b"2025-03,paid_search,150000\n"
    b"2025-03,webinar,60000\n"
    b"2025-04,paid_search,90000\n"
    b"2025-05,paid_search,110000\n"
    b"2025-05,exhibition,0\n"  # a channel that spent nothing that month: known, and used
    b"2025-07,webinar,500000\n"  # after the window: not used
)  # nothing for 2025-06


@pytest.fixture
def imported(con):
    import_file(con, _history_csv(), HISTORY, name="crm.csv")
    return con


def test_the_cost_per_new_arrival_is_the_spend_over_the_new_arrivals_of_the_same_months(imported):
    import_file(imported, SPEND_CSV, SPEND, name="spend.csv")
    sc = build_baseline(imported, "2025-02", "2025-06", with_backtest=False)
    # months with spend in the window: February..May; their new leads 4 + 6 + 3 + 7 = 20 (the
    # January lead that came back in March is a re-entry, not bought again); June has no spend
    spend = 120000 + 150000 + 60000 + 90000 + 110000
    assert sc["costs"] == {"per_inflow": round(spend / 20, 2)}
    assert sc["notes"]["costs"] == {
        "per_inflow": "marketing spend / new arrivals into lead, over the window's months with "
        "spend",
        "window": ["2025-02", "2025-06"],
        "used_months": ["2025-02", "2025-03", "2025-04", "2025-05"],
        "months_without_spend": ["2025-06"],
        "months": 4,
        "sources": ["exhibition", "paid_search", "webinar"],
        "spend": float(spend),
        "arrivals": 20.0,
    }
    parse_scenario(sc)  # the model accepts it, and the cost reaches the economics
    plan = run_plan(parse_scenario(sc)).to_dict()
    assert plan["economics"]["acquisition_cost"][0] == pytest.approx(
        round(spend / 20, 2) * sc["inflow"]
    )


def test_without_spend_data_the_baseline_has_no_costs_and_says_so(imported):
    sc = build_baseline(imported, "2025-02", "2025-06", with_backtest=False)
    assert "costs" not in sc
    assert sc["notes"]["costs"] == {
        "per_inflow": None,
        "window": ["2025-02", "2025-06"],
        "reason": "no marketing spend in the window's months: costs left out",
    }


def test_spend_only_outside_the_window_is_no_spend(imported):
    import_file(imported, SPEND_CSV, SPEND, name="spend.csv")
    sc = build_baseline(imported, "2025-06", "2025-06", with_backtest=False)
    assert "costs" not in sc and sc["notes"]["costs"]["per_inflow"] is None


def test_spend_in_months_without_new_arrivals_gives_no_cost_per_arrival(con):
    """Spend but no new lead in those months: there is nothing to divide by, so no costs."""
    import_file(con, _history_csv(recycled_back=False), HISTORY, name="crm.csv")
    import_file(con, b"Month,Channel,Cost (JPY)\n2025-08,paid_search,5000\n", SPEND,
                name="spend.csv")  # fmt: skip
    sc = build_baseline(con, "2025-01", "2025-08", with_backtest=False)
    assert "costs" not in sc
    notes = sc["notes"]["costs"]
    assert notes["per_inflow"] is None and notes["used_months"] == ["2025-08"]
    assert notes["reason"] == "no new arrivals into lead in the months with spend: costs left out"
