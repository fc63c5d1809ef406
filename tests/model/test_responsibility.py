"""The responsibility view: each division's arrivals, levers, band and the cost of its low end."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from model import parse_scenario, reference, run_plan
from model.responsibility import owned_levers, responsibility
from tests.conftest import ROOT

EXAMPLE = json.loads((ROOT / "examples" / "fy2027-plan.json").read_text("utf-8"))


def test_divisions_deliver_the_arrivals_of_the_stages_they_own() -> None:
    s = parse_scenario(EXAMPLE)
    plan = run_plan(s)
    views = {v.division: v for v in responsibility(s, plan)}
    assert list(views) == ["marketing", "inside_sales", "field_sales", "customer_success"]
    rows = plan.responsibility()
    for row in rows:
        duty = next(d for d in views[row["division"]].duties if d.stage == row["stage"])
        np.testing.assert_allclose(duty.monthly, row["monthly"])
        assert duty.total == pytest.approx(row["total"])
    assert views["field_sales"].kpi_stage == "won"
    assert views["field_sales"].duties[0].total == pytest.approx(200.0)
    assert [r.path for r in views["inside_sales"].levers] == ["stages[lead].conversion"]
    assert [r.path for r in views["customer_success"].levers] == [
        "customers.renewal_rate",
        "customers.expansion_rate",
    ]


def test_the_band_is_what_must_be_delivered_at_either_end() -> None:
    s = parse_scenario(EXAMPLE)
    views = {v.division: v for v in responsibility(s)}
    won = views["field_sales"].duties[0]
    # smaller deals at the pessimistic end: 240M / 1.0M = 240 wins; optimistic 240M / 1.3M
    assert won.pessimistic_total == pytest.approx(240.0, rel=1e-9)
    assert won.optimistic_total == pytest.approx(240e6 / 1.3e6, rel=1e-9)
    lead = views["marketing"].duties[1]
    assert lead.pessimistic_total > lead.total > lead.optimistic_total


def test_the_cost_of_a_division_low_end_is_the_planned_inflow_run_at_that_end() -> None:
    s = parse_scenario(EXAMPLE)
    plan = run_plan(s)
    views = {v.division: v for v in responsibility(s, plan)}
    for division, path, low, high in [
        ("inside_sales", "stages[lead].conversion", 0.25, 0.34),
        ("field_sales", "stages[opportunity].conversion", 0.20, 0.28),
    ]:
        base_rev = sum(reference.forward(s, list(plan.inflow))["revenue"])
        lo = sum(reference.forward(s, list(plan.inflow), {path: low})["revenue"])
        hi = sum(reference.forward(s, list(plan.inflow), {path: high})["revenue"])
        assert views[division].revenue_low == pytest.approx(lo - base_rev, rel=1e-9)
        assert views[division].revenue_high == pytest.approx(hi - base_rev, rel=1e-9)
        assert views[division].revenue_low < 0 < views[division].revenue_high
    assert views["marketing"].revenue_low == 0.0  # its levers are not ranged here
    assert not views["marketing"].ranged and views["field_sales"].ranged


def test_first_stage_owner_owns_the_inflow_and_handoffs_are_carried() -> None:
    data = copy.deepcopy(EXAMPLE)
    del data["target"]
    data["inflow"] = 8000
    data["divisions"] = {"inside_sales": {"handoff": "BANT 2/4 で商談化"}}
    s = parse_scenario(data)
    assert [r.path for r in owned_levers(s, "marketing")] == [
        "inflow",
        "stages[visitor].conversion",
    ]
    views = {v.division: v for v in responsibility(s)}
    assert views["inside_sales"].handoff == "BANT 2/4 で商談化"
    assert views["marketing"].handoff == ""
