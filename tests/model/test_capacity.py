"""Spec section 8 (capacity, hiring and cost): the engine (model/capacity.py) held to the spec's
literal loop (model.reference.capacity) over random scenarios, hand-computed cases, the ceiling,
economics, the section 8 validation rules, the CLI, and the JSON round trip."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from model import ScenarioError, base, parse_scenario, reference, run_plan
from model.capacity import capacity_ceiling, capacity_plan, monthly_attrition, staff
from model.cli import main
from model.scenario import Capacity

from ..strategies import capacity_scenarios
from .helpers import assert_series_close
from .test_examples import EXAMPLES
from .test_validation import VALID, with_capacity

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = (
    "workload", "required", "joiners", "requisitions", "heads", "effective", "shortfall",
    "utilisation", "cost",
)  # fmt: skip


def _plan(data: dict[str, Any]):
    try:
        return run_plan(parse_scenario(data))
    except ScenarioError as exc:
        assume(exc.field != "target")  # an infeasible target is a valid rejection
        raise


def _close(a: float | None, b: float | None, rel: float, what: str) -> None:
    assert (a is None) == (b is None), f"{what}: {a!r} vs {b!r}"
    if a is not None and b is not None:
        assert abs(a - b) <= rel * max(abs(a), abs(b)) + 1e-300, f"{what}: {a!r} vs {b!r}"


def assert_matches_reference(plan) -> None:
    """The engine's section 8 output equals the literal loop's: every series to 1e-9 (near zero
    at the scale of the series it comes from), CAC and payback to 1e-9, the ceiling's inflow and
    bookings to 1e-9 and its binding pair and over_from_opening exactly."""
    s = plan.scenario
    got = plan.to_dict()
    ref = reference.capacity(s, list(plan.inflow))
    assert list(got["capacity"]) == list(ref["capacity"]) == [d for d, _ in s.capacity or ()]
    resolved = plan.converted + plan.disqualified + plan.recycled + plan.lost
    spend = 0.0  # the size of the amounts the acquisition cost adds up
    for division, series in ref["capacity"].items():
        mine = got["capacity"][division]
        cap = dict(s.capacity)[division]
        # the size of the flows a workload is computed from (a stock is a difference of them)
        if cap.works == "customers":
            flows = float(np.max(plan.customers, initial=0.0))
        else:
            i = s.stage_keys.index(cap.works)
            through = plan.arrivals[i] + (resolved[i] if cap.basis == "stock" else 0.0)
            flows = float(np.cumsum(through).max(initial=0.0))
        per_head = float(base(cap.per_head))
        heads = float(
            max(
                flows / per_head,
                max(series["heads"], default=0.0),
                max(series["effective"], default=0.0),
            )
        )
        for name in FIELDS:
            a, e = mine[name], series[name]
            if name == "utilisation":
                # W / (effective·per_head): as exact as effective, whose error is at the scale
                # of the heads (a stock of 2e-9 left from flows of 32 carries 1e-15 of noise)
                assert [x is None for x in a] == [x is None for x in e], f"{division}.{name}"
                for t, (x, y) in enumerate(zip(a, e, strict=True)):
                    if y is not None and x != y:
                        x, y, eff = float(x), float(y), float(series["effective"][t])
                        tol = 1e-9 * (abs(y) * (1 + heads / eff) + flows / (eff * per_head))
                        assert abs(x - y) <= tol, f"{division}.{name}[{t}]: {x!r} vs {y!r}"
                continue
            scale = {"workload": flows, "cost": heads * cap.cost_per_head}
            assert_series_close(a, e, 1e-9, f"{division}.{name}", magnitude=scale.get(name, heads))
        spend += heads * cap.cost_per_head
    acq = ref["economics"]["acquisition_cost"]
    if s.costs is not None:
        spend += sum(
            price * float(plan.arrivals[s.stage_keys.index(k)].max(initial=0.0))
            for k, price in s.costs.per_arrival
        )
    got_acq = got["economics"]["acquisition_cost"]
    assert_series_close(got_acq, acq, 1e-9, "acquisition cost", magnitude=spend)
    # CAC = Σ acq / Σ wins: as exact as the acquisition cost (payback: CAC / (size / 12))
    wins = float(plan.wins.sum())
    for name, per in (("cac", 1.0), ("payback_months", 12 / max(float(base(s.deal.size)), 1e-300))):
        g, r = got["economics"][name], ref["economics"][name]
        assert (g is None) == (r is None), (name, g, r)
        if r is not None:
            g, r = float(g), float(r)
            assert abs(g - r) <= 1e-9 * (abs(r) + per * spend * len(acq) / wins), (name, g, r)
    assert ("ceiling" in got) == ("ceiling" in ref) == bool(s.capacity)
    if "ceiling" in ref:
        g, r = got["ceiling"], ref["ceiling"]
        assert g["over_from_opening"] == r["over_from_opening"]
        assert (g["division"], g["month"]) == (r["division"], r["month"]), (g, r)
        if s.recycle.volume is None:
            _close(g["inflow"], r["inflow"], 1e-9, "ceiling inflow")
            _close(g["bookings"], r["bookings"], 1e-9, "ceiling bookings")
        elif r["inflow"] is not None:  # searched to 1e-10 of max(I, 1) by both
            assert abs(g["inflow"] - r["inflow"]) <= 3e-10 * max(r["inflow"], 1.0), (g, r)
            rel = 3e-10 * max(r["inflow"], 1.0) / max(r["inflow"], 1e-300)
            _close(g["bookings"], r["bookings"], max(1e-9, rel), "ceiling bookings")


# ----- the engine against the spec's loop ---------------------------------------------------------
@SETTINGS
@given(capacity_scenarios(target=None, volume=False, max_months=24, max_stages=5))
def test_rate_mode_matches_the_literal_loop(data: dict[str, Any]) -> None:
    assert_matches_reference(run_plan(parse_scenario(data)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capacity_scenarios(target=None, volume=True, max_months=14, max_stages=4))
def test_volume_mode_matches_the_literal_loop(data: dict[str, Any]) -> None:
    assert_matches_reference(run_plan(parse_scenario(data)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capacity_scenarios(target="total", volume=False, max_months=18, max_stages=5))
def test_a_solved_plan_matches_the_literal_loop_on_its_own_flows(data: dict[str, Any]) -> None:
    """With a target, the staffing runs on the plan's (solved) flows; the ceiling ignores the
    target and is the same as the scenario's without it."""
    plan = _plan(data)
    assert_matches_reference(plan)
    forward = copy.deepcopy(data)
    del forward["target"]
    if plan.scenario.capacity:
        assert capacity_ceiling(plan.scenario) == capacity_ceiling(parse_scenario(forward))


@settings(max_examples=60, deadline=None)
@given(capacity_scenarios())
def test_scenario_json_keeps_capacity_and_costs(data: dict[str, Any]) -> None:
    s = parse_scenario(data)
    again = parse_scenario(json.loads(json.dumps(s.to_json())))
    assert again == s
    assert list(again.to_json().get("capacity", {})) == list(data["capacity"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capacity_scenarios(target=None, volume=False, max_months=24, max_stages=5))
def test_joiners_cover_the_need_once_hiring_and_ramp_allow(data: dict[str, Any]) -> None:
    """What J(t) is for: from month hiring_months + ramp_months on, the team is never short;
    a ramping head is never worth more than a head; requisitions are the joiners, opened
    hiring_months earlier, and nobody joins before hiring_months."""
    plan = run_plan(parse_scenario(data))
    for division, cap in plan.scenario.capacity or ():
        out = capacity_plan(plan).staffing[division]
        scale = 1e-9 * max(1.0, float(out.required.max(initial=0)), float(out.heads.max()))
        start = cap.hiring_months + cap.ramp_months
        assert (out.shortfall[0, start:] <= scale).all(), division
        assert (out.effective <= out.heads + scale).all()
        L = cap.hiring_months
        assert np.array_equal(
            out.requisitions[0, : max(0, len(plan.months) - L)], out.joiners[0, L:]
        )
        assert (out.joiners[0, :L] == 0).all() and (out.joiners >= 0).all()


# ----- hand-computed cases ----------------------------------------------------------------------
def funnel(inflow: list[float] | float, months: int, **extra: Any) -> dict[str, Any]:
    """Two stages: every lead is won in the month it arrives (lead arrivals = the inflow)."""
    return {
        "start": "2027-04",
        "months": months,
        "stages": [{"key": "lead", "conversion": 1.0}, {"key": "won"}],
        "deal": {"size": 1000},
        "inflow": inflow,
        **extra,
    }


def test_a_step_in_workload_with_ramp_2_hiring_1_no_attrition() -> None:
    """Workload 100, 100, then 200 leads a month; 10 leads a head; 10 heads. A joiner hired in
    month t is 1/3 productive in t, 2/3 in t + 1 and fully from t + 2.

    J(0) = 0 (hiring lead time 1). J(1) = R(3) − B(3) = 20 − 10 = 10: hired in month 1 to be
    fully productive in month 3. Nothing more: E(u) = 20 = R(u) from then on. The step lands in
    month 2, when the joiners are 2/3 productive: a shortfall of 20 − (10 + 20/3) = 10/3."""
    data = funnel([100, 100, 200, 200, 200, 200], 6)
    data["capacity"] = {
        "inside_sales": {"works": "lead", "per_head": 10, "heads": 10, "ramp_months": 2,
                         "hiring_months": 1, "cost_per_head": 1000},
    }  # fmt: skip
    out = run_plan(parse_scenario(data)).to_dict()["capacity"]["inside_sales"]
    third = 10 / 3
    expected = {
        "workload": [100, 100, 200, 200, 200, 200],
        "required": [10, 10, 20, 20, 20, 20],
        "joiners": [0, 10, 0, 0, 0, 0],
        "requisitions": [10, 0, 0, 0, 0, 0],  # opened a month ahead
        "heads": [10, 20, 20, 20, 20, 20],
        "effective": [10, 10 + third, 10 + 2 * third, 20, 20, 20],
        "shortfall": [0, 0, third, 0, 0, 0],
        "utilisation": [1, 100 / (10 * (10 + third)), 200 / (10 * (10 + 2 * third)), 1, 1, 1],
        "cost": [10_000, 20_000, 20_000, 20_000, 20_000, 20_000],
    }
    for name, values in expected.items():
        assert out[name] == pytest.approx(values, rel=1e-12, abs=1e-12), name


def test_a_step_within_the_hiring_lead_time_is_a_shortfall() -> None:
    """With hiring_months 2, no joiner comes before month 2: a step in month 1 is short until
    then (requisitions open in month 0 for the joiner of month 2)."""
    data = funnel([100, 300, 300, 300], 4)
    data["capacity"] = {"field_sales": {"works": "lead", "per_head": 10, "heads": 10,
                                        "hiring_months": 2}}  # fmt: skip
    out = run_plan(parse_scenario(data)).to_dict()["capacity"]["field_sales"]
    assert out["joiners"] == [0, 0, 20, 0]
    assert out["requisitions"] == [20, 0, 0, 0]
    assert out["shortfall"] == [0, 20, 0, 0]
    assert out["utilisation"] == [1, 3, 1, 1]


def test_attrition_half_a_month_is_replaced_every_month() -> None:
    """Annual attrition 1 − 0.5^12: half the team leaves each month. 10 heads for a steady
    required 10: 5 joiners a month from month 1 keep 10 heads."""
    attrition = 1 - 0.5**12
    assert monthly_attrition(attrition) == pytest.approx(0.5, rel=1e-12)
    data = funnel(100, 5)
    data["capacity"] = {"marketing": {"works": "lead", "per_head": 10, "heads": 10,
                                      "attrition": attrition}}  # fmt: skip
    out = run_plan(parse_scenario(data)).to_dict()["capacity"]["marketing"]
    assert out["joiners"] == pytest.approx([0, 5, 5, 5, 5], rel=1e-9)
    assert out["heads"] == pytest.approx([10] * 5, rel=1e-9)
    assert out["shortfall"] == pytest.approx([0] * 5, abs=1e-9)


def test_joiners_count_in_heads_and_leave_too() -> None:
    """heads_total includes the joiners' own attrition; with a ramp the joiner sized for month
    t + ramp is divided by (1 − a)^ramp."""
    data = funnel([0, 0, 100, 100], 4)
    data["capacity"] = {"marketing": {"works": "lead", "per_head": 10, "ramp_months": 1,
                                      "attrition": 1 - 0.5**12}}  # fmt: skip
    out = run_plan(parse_scenario(data)).to_dict()["capacity"]["marketing"]
    # J(1) = R(2) / 0.5 = 20; J(2) = (R(3) − 20·0.25) / 0.5 = 10; J(3) = R(3 + 1 → 3) ... = 10
    assert out["joiners"] == pytest.approx([0, 20, 10, 10], rel=1e-9)
    assert out["heads"] == pytest.approx([0, 20, 20, 20], rel=1e-9)
    # effective: month 1 the joiner of 20 at p(0) = 1/2; month 2 its 10 left, fully productive,
    # and 10 new at 1/2; month 3: 5 + 5 + 10/2
    assert out["effective"] == pytest.approx([0, 10, 15, 15], rel=1e-9)
    assert out["utilisation"][0] is None  # no one yet: effective 0


def test_planned_heads_as_a_list_continue_past_the_horizon() -> None:
    """A list of planned heads: B(u) = B(H−1)·(1 − a)^(u−H+1) past the horizon, and R(u) =
    R(H−1): the joiner of the last months is sized on them."""
    data = funnel(100, 3)
    data["capacity"] = {"marketing": {"works": "lead", "per_head": 10, "heads": [10, 10, 8],
                                      "ramp_months": 2, "attrition": 1 - 0.5**12}}  # fmt: skip
    out = run_plan(parse_scenario(data)).to_dict()["capacity"]["marketing"]
    # J(0) = (R(2) − B(2)) / 0.25 = 8; J(1) = (R(3) − B(3) − 0.25·(8·0.5)) / 0.25 with R(3) = 10,
    # B(3) = 8·0.5 = 4: (10 − 4 − 1) / 0.25 = 20
    assert out["joiners"][:2] == pytest.approx([8, 20], rel=1e-9)
    ref = reference.capacity(parse_scenario(data))["capacity"]["marketing"]
    assert out["joiners"] == pytest.approx(ref["joiners"], rel=1e-9)


# ----- the ceiling ------------------------------------------------------------------------------
def test_the_ceiling_binds_where_the_team_runs_out_first() -> None:
    """Leads work by stock with lag 2: each month's leads stay two months, so the stock is 2I
    from month 1 (plus the opening stock's 150 left in month 0). 10 heads of 10 carry 100:
    I = 50, bound in month 1; month 0 is already over (150 > 100) from the opening pipeline."""
    data = funnel(0, 6, opening={"lead": 300})
    data["stages"][0]["lag"] = 2
    data["capacity"] = {
        "inside_sales": {"works": "lead", "basis": "stock", "per_head": 10, "heads": 10},
    }
    s = parse_scenario(data)
    ceiling = run_plan(s).to_dict()["ceiling"]
    assert ceiling["inflow"] == pytest.approx(50, rel=1e-12)
    assert (ceiling["division"], ceiling["month"]) == ("inside_sales", 1)
    assert ceiling["over_from_opening"] == [{"division": "inside_sales", "month": 0}]
    # bookings at I: the opening 300 and 50 a month won after two months (months 2..5)
    assert ceiling["bookings"] == pytest.approx((300 + 50 * 4) * 1000, rel=1e-12)


@pytest.mark.parametrize("order", [["marketing", "inside_sales"], ["inside_sales", "marketing"]])
def test_ties_go_to_the_earliest_month_then_the_first_division(order: list[str]) -> None:
    """Both divisions carry 50 leads in every month: every pair ties, so month 0 and the division
    written first in ``capacity``."""
    data = funnel(0, 4)
    data["capacity"] = {d: {"works": "lead", "per_head": 5, "heads": 10} for d in order}
    ceiling = run_plan(parse_scenario(data)).to_dict()["ceiling"]
    assert ceiling["inflow"] == pytest.approx(50)
    assert (ceiling["division"], ceiling["month"]) == (order[0], 0)


def test_volume_mode_bisects_to_the_same_ceiling() -> None:
    """A recycle volume nothing feeds: W is I as in rate mode, found by search to 1e-10."""
    data = funnel(0, 4, recycle={"reentry": "lead", "volume": 3})
    data["capacity"] = {"inside_sales": {"works": "lead", "per_head": 5, "heads": [10, 10, 9, 10]}}
    ceiling = run_plan(parse_scenario(data)).to_dict()["ceiling"]
    assert ceiling["inflow"] == pytest.approx(45, rel=1e-9)
    assert (ceiling["division"], ceiling["month"]) == ("inside_sales", 2)


def test_no_binding_pair_and_no_division() -> None:
    """Customers that new inflow never reaches within the horizon bind nothing; without a
    division with capacity there is no ceiling (costs alone give economics)."""
    data = funnel(10, 3)
    data["stages"][0]["lag"] = 5
    data["capacity"] = {"customer_success": {"works": "customers", "per_head": 100, "heads": 0}}
    out = run_plan(parse_scenario(data)).to_dict()
    assert out["ceiling"] == {"inflow": None, "bookings": None, "division": None, "month": None,
                              "over_from_opening": []}  # fmt: skip
    costs_only = funnel(10, 3, costs={"fixed_monthly": 100})
    out = run_plan(parse_scenario(costs_only)).to_dict()
    assert out["capacity"] == {} and "ceiling" not in out
    assert out["economics"] == {"acquisition_cost": [100, 100, 100], "cac": 10.0,
                                "payback_months": None}  # fmt: skip
    assert "capacity" not in run_plan(parse_scenario(funnel(10, 3))).to_dict()
    empty = parse_scenario(funnel(10, 3, capacity={}))  # has capacity, but no division in it
    out = run_plan(empty).to_dict()
    assert out["capacity"] == {} and "ceiling" not in out and out["economics"]["cac"] == 0
    assert parse_scenario(empty.to_json()) == empty and empty.to_json()["capacity"] == {}


# ----- economics --------------------------------------------------------------------------------
def test_acquisition_cost_leaves_out_customer_success_and_reactivations() -> None:
    """Leads re-entering from the pool are not bought again; customer success is not acquisition
    cost. CAC = Σ acq / Σ wins; payback = CAC / (size / 12) for a subscription."""
    data = {
        "start": "2027-04", "months": 3,
        "stages": [{"key": "visitor", "conversion": 0.5}, {"key": "lead", "conversion": 0.5},
                   {"key": "won"}],
        "recycle": {"reentry": "lead", "reactivation": 0.5, "opening": 40},
        "deal": {"size": 1200, "revenue": "subscription"},
        "inflow": 100,
        "capacity": {
            "inside_sales": {"works": "lead", "per_head": 10, "heads": 1, "cost_per_head": 7},
            "customer_success": {"works": "customers", "per_head": 10, "heads": 2,
                                 "cost_per_head": 1000},
        },
        "costs": {"per_inflow": 1, "per_arrival": {"lead": 10}, "fixed_monthly": 3},
    }  # fmt: skip
    plan = run_plan(parse_scenario(data))
    out = plan.to_dict()
    lead = plan.stage_series("lead", "arrivals")
    bought = lead - plan.reactivated
    assert plan.reactivated[0] == pytest.approx(20)
    staffed = np.array(out["capacity"]["inside_sales"]["heads"]) * 7
    expected = 1 * 100 + 10 * bought + 3 + staffed
    assert out["economics"]["acquisition_cost"] == pytest.approx(expected.tolist(), rel=1e-12)
    cac = expected.sum() / plan.wins.sum()
    assert out["economics"]["cac"] == pytest.approx(cac, rel=1e-12)
    assert out["economics"]["payback_months"] == pytest.approx(cac / 100, rel=1e-12)
    data["deal"]["revenue"] = "one_time"
    assert run_plan(parse_scenario(data)).to_dict()["economics"]["payback_months"] is None


def test_cac_is_null_without_wins() -> None:
    data = funnel(0, 3, capacity={"marketing": {"works": "lead", "per_head": 1, "heads": 1,
                                                "cost_per_head": 5}})  # fmt: skip
    out = run_plan(parse_scenario(data)).to_dict()["economics"]
    assert out == {"acquisition_cost": [5, 5, 5], "cac": None, "payback_months": None}


# ----- batches ----------------------------------------------------------------------------------
def test_staff_takes_a_batch_of_workloads_and_per_head_draws() -> None:
    """A Monte Carlo passes (B, H) workloads and B per_head draws at once; each row is the
    single-row result."""
    rng = np.random.default_rng(3)
    cap = Capacity(works="lead", per_head=10.0, heads=(5.0, 6.0, 4.0, 4.0, 8.0, 3.0),
                   ramp_months=2, hiring_months=1, attrition=0.3, cost_per_head=9.0)  # fmt: skip
    load = rng.uniform(0, 200, (7, 6))
    per_head = rng.uniform(5, 15, 7)
    batch = staff(cap, load, per_head)
    for b in range(7):
        one = staff(cap, load[b : b + 1], per_head[b])
        for name in FIELDS:
            np.testing.assert_allclose(
                getattr(batch, name)[b], getattr(one, name)[0], rtol=1e-12, atol=1e-12
            )


def test_capacity_plan_is_the_dict_the_plan_prints() -> None:
    s = parse_scenario(with_capacity("capacity.inside_sales.heads", 1))
    plan = run_plan(s)
    section = capacity_plan(plan).to_dict()
    out = plan.to_dict()
    assert {k: out[k] for k in ("capacity", "economics", "ceiling")} == section
    assert list(out["capacity"]) == ["inside_sales", "field_sales"]
    assert list(out["capacity"]["inside_sales"]) == list(FIELDS)
    assert list(out["ceiling"]) == ["inflow", "bookings", "division", "month", "over_from_opening"]
    json.dumps(out, allow_nan=False)


# ----- section 8's own validation rules, and the CLI ----------------------------------------------
INVALID_CAPACITY = [
    # (case, scenario, field, code)
    ("per_head 0", with_capacity("capacity.inside_sales.per_head", 0),
     "capacity.inside_sales.per_head", "not_positive"),
    ("per_head negative", with_capacity("capacity.inside_sales.per_head", -5),
     "capacity.inside_sales.per_head", "not_positive"),
    ("per_head range low 0",
     with_capacity("capacity.inside_sales.per_head", {"low": 0, "base": 10, "high": 20}),
     "capacity.inside_sales.per_head.low", "not_positive"),
    ("per_head missing", with_capacity("capacity.marketing", {"works": "visitor"}),
     "capacity.marketing.per_head", "per_head_required"),
    ("works missing", with_capacity("capacity.marketing", {"per_head": 5}),
     "capacity.marketing.works", "works_required"),
    ("works unknown", with_capacity("capacity.inside_sales.works", "mql"),
     "capacity.inside_sales.works", "unknown_works"),
    ("works terminal", with_capacity("capacity.inside_sales.works", "won"),
     "capacity.inside_sales.works", "works_terminal"),
    ("works not text", with_capacity("capacity.inside_sales.works", 3),
     "capacity.inside_sales.works", "unknown_works"),
    ("negative heads", with_capacity("capacity.inside_sales.heads", -1),
     "capacity.inside_sales.heads", "negative"),
    ("heads list of the wrong length", with_capacity("capacity.inside_sales.heads", [8] * 3),
     "capacity.inside_sales.heads", "wrong_length"),
    ("heads a range",
     with_capacity("capacity.inside_sales.heads", {"low": 6, "base": 8, "high": 9}),
     "capacity.inside_sales.heads", "number_or_list_not_range"),
    ("attrition 1", with_capacity("capacity.inside_sales.attrition", 1),
     "capacity.inside_sales.attrition", "attrition_out_of_range"),
    ("attrition negative", with_capacity("capacity.inside_sales.attrition", -0.1),
     "capacity.inside_sales.attrition", "attrition_out_of_range"),
    ("attrition a range",
     with_capacity("capacity.inside_sales.attrition", {"low": 0.1, "base": 0.2, "high": 0.3}),
     "capacity.inside_sales.attrition", "number_not_range"),
    ("cost per head a range",
     with_capacity("capacity.inside_sales.cost_per_head", {"low": 1, "base": 2, "high": 3}),
     "capacity.inside_sales.cost_per_head", "number_not_range"),
    ("ramp a range",
     with_capacity("capacity.inside_sales.ramp_months", {"low": 1, "base": 2, "high": 3}),
     "capacity.inside_sales.ramp_months", "number_not_range"),
    ("ramp above 120", with_capacity("capacity.inside_sales.ramp_months", 121),
     "capacity.inside_sales.ramp_months", "out_of_range"),
    ("per_inflow a range", with_capacity("costs.per_inflow", {"low": 1, "base": 2, "high": 3}),
     "costs.per_inflow", "number_not_range"),
    ("per_arrival not a stage", with_capacity("costs.per_arrival.mql", 5),
     "costs.per_arrival.mql", "unknown_stage"),
    ("fixed cost a list", with_capacity("costs.fixed_monthly", [1] * 12),
     "costs.fixed_monthly", "not_a_number"),
    ("unknown division", with_capacity("capacity.sales_ops", {"works": "lead", "per_head": 1}),
     "capacity.sales_ops", "unknown_division"),
    ("unknown capacity field", with_capacity("capacity.inside_sales.head", 8),
     "capacity.inside_sales.head", "unknown_field"),
    ("unknown costs field", with_capacity("costs.per_win", 8), "costs.per_win", "unknown_field"),
    ("capacity not an object", with_capacity("capacity", [1]), "capacity", "not_an_object"),
    ("a division not an object", with_capacity("capacity.inside_sales", 8),
     "capacity.inside_sales", "not_an_object"),
]  # fmt: skip


@pytest.mark.parametrize(
    "case,data,field,code", INVALID_CAPACITY, ids=[c[0] for c in INVALID_CAPACITY]
)
def test_invalid_capacity_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, data: dict, field: str, code: str
) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert (err.value.field, err.value.code) == (field, code)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    assert main(["plan", str(path)]) == 2
    out, err_text = capsys.readouterr()
    assert out == "" and err_text.startswith(f"error: {field}: ") and err_text.count("\n") == 1


def test_the_cli_prints_section_8(tmp_path: Path) -> None:
    data = with_capacity("capacity.customer_success", {"works": "customers", "per_head": 150,
                                                       "heads": 30})  # fmt: skip
    data["deal"]["revenue"] = "subscription"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    proc = subprocess.run(
        [sys.executable, "-m", "model", "plan", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert list(out["capacity"]) == ["inside_sales", "field_sales", "customer_success"]
    assert len(out["economics"]["acquisition_cost"]) == 12
    assert out["economics"]["payback_months"] > 0
    assert set(out["ceiling"]) == {"inflow", "bookings", "division", "month", "over_from_opening"}
    assert "NaN" not in proc.stdout and "Infinity" not in proc.stdout
    assert parse_scenario(VALID).capacity is None


# ----- the spec's own section 8 block on the spec's examples -------------------------------------
def spec_section_8_block(spec: str) -> dict[str, Any]:
    """The ``capacity`` and ``costs`` JSON of section 8, its ``//`` comments removed."""
    section = spec[spec.index("## 8. Capacity") : spec.index("## 9. ")]
    start = section.index('```json\n"capacity"') + len("```json\n")
    text = section[start : section.index("```", start)]
    lines = [line.split("//")[0] for line in text.splitlines()]
    return json.loads("{" + "\n".join(lines) + "}")


@pytest.mark.shared
@pytest.mark.parametrize("example", EXAMPLES)
def test_the_specs_block_on_each_example_matches_the_literal_loop(
    shared_dir: Path, example: str
) -> None:
    """Section 8's example block (inside sales on leads, field sales on opportunity stock,
    customer success on customers; costs per visitor, lead and month) added to each of the
    spec's examples (all have leads and opportunities; 04 is in volume mode): the engine equals
    the literal loop, and the plan's own output is unchanged by it."""
    block = spec_section_8_block((shared_dir / "spec" / "revenue-model.md").read_text("utf-8"))
    assert list(block["capacity"]) == ["inside_sales", "field_sales", "customer_success"]
    data = json.loads((shared_dir / "spec" / "examples" / f"{example}.json").read_text("utf-8"))
    plain = run_plan(parse_scenario(data)).to_dict()
    data |= block
    plan = run_plan(parse_scenario(data))
    assert_matches_reference(plan)
    out = plan.to_dict()
    assert {k: v for k, v in out.items() if k in plain} == plain
    json.dumps(out, allow_nan=False)
