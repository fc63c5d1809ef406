"""Properties over random valid scenarios (hypothesis): the engine agrees with the spec's literal
loop, flows are conserved, reverse plans meet their targets, better conversion never needs more."""

from __future__ import annotations

import copy
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import ScenarioError, parse_scenario, reference, run_plan
from model.forward import simulate_wins
from model.levers import build_levers
from model.reverse import _regula_falsi, lead_time

from ..strategies import scenarios
from .helpers import assert_series_close

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plan_or_skip(data):
    try:
        return run_plan(parse_scenario(data))
    except ScenarioError as exc:
        assume(exc.field != "target")  # an infeasible target is a valid rejection
        raise


@SETTINGS
@given(scenarios(target=None))
def test_engine_matches_the_literal_spec_loop(data) -> None:
    s = parse_scenario(data)
    plan = run_plan(s)
    ref = reference.forward(s)
    for i, key in enumerate(s.stage_keys):
        assert_series_close(plan.arrivals[i], ref["arrivals"][i], 1e-9, f"{key}.arrivals")
    flows = float(np.abs(plan.arrivals).max(initial=0)) + sum(s.opening for s in s.stages[:-1])
    for name in ("stock", "converted", "disqualified", "recycled", "lost"):
        assert_series_close(getattr(plan, name), ref[name], 1e-9, name, magnitude=flows)
    pool = flows + float(s.recycle.opening)
    assert_series_close(plan.pool_balance, ref["balance"], 1e-9, "pool balance", magnitude=pool)
    assert_series_close(plan.reactivated, ref["reactivated"], 1e-9, "reactivated")
    for name in ("wins", "bookings", "mrr", "revenue", "customers"):
        assert_series_close(getattr(plan, name), ref[name], 1e-9, name)


@SETTINGS
@given(scenarios())
def test_flows_are_conserved(data) -> None:
    plan = _plan_or_skip(data)
    S = len(plan.stage_keys)
    opening = np.array([s.opening for s in plan.scenario.stages[:-1]], dtype=float)
    prev = np.concatenate([opening[:, None], plan.stock[:, :-1]], axis=1)
    arrivals = plan.arrivals[: S - 1]
    resolved = plan.converted + plan.disqualified + plan.recycled + plan.lost
    scale = max(1.0, float(np.abs(arrivals).max()), float(opening.max(initial=0)))
    # arrivals = converted + disqualified + recycled + lost + change in stock, per stage and month
    assert np.allclose(arrivals, resolved + (plan.stock - prev), rtol=0, atol=1e-9 * scale)
    # what a stage converts is what the next one receives (plus reactivations at the re-entry)
    nxt = plan.arrivals[1:].copy()
    r = plan.scenario.reentry_index
    if r > 0:
        nxt[r - 1] -= plan.reactivated
    assert np.allclose(plan.converted, nxt, rtol=0, atol=1e-9 * scale)
    # the pool: balance(t) = balance(t−1) − reactivated − expired + recycled, expired >= 0
    pool_prev = np.concatenate([[float(plan.scenario.recycle.opening)], plan.pool_balance[:-1]])
    expired = pool_prev - plan.reactivated + plan.recycled.sum(axis=0) - plan.pool_balance
    pscale = max(
        1.0, float(np.abs(pool_prev).max()), float(plan.recycled.sum(axis=0).max(initial=0))
    )
    assert expired.min(initial=0) >= -1e-9 * pscale
    assert plan.stock.min(initial=0) >= -1e-9 * scale


@SETTINGS
@given(scenarios(target="total"))
def test_projecting_a_total_target_plan_meets_the_target(data) -> None:
    plan = _plan_or_skip(data)
    target = plan.scenario.target
    achieved = float(getattr(plan, target.metric).sum())
    if plan.inflow.sum() == 0:
        assert achieved >= target.total * (1 - 1e-9)
    else:
        assert achieved == pytest.approx(target.total, rel=1e-8)
        assert np.all(plan.inflow == plan.inflow[0])


@SETTINGS
@given(scenarios(target="monthly"))
def test_projecting_a_monthly_target_plan_meets_every_reachable_month(data) -> None:
    plan = _plan_or_skip(data)
    s = plan.scenario
    D = sum(math.floor(st.lag) for st in s.stages[:-1])
    div = s.deal.size if s.target.metric == "bookings" else 1.0
    want = np.array(s.target.monthly) / div
    # The spec solves month t with later inflows at zero. Where recycled items re-enter below a
    # stage with a lag, later inflow can reach wins(t + D) sooner than D through the pool, and
    # the projection then exceeds the target: equality holds only without such a shortcut.
    lags = [math.floor(st.lag) for st in s.stages[:-1]]
    r = s.reentry_index
    shortcut = any(
        st.recycle > 0 and sum(lags[: i + 1]) + 1 + sum(lags[r:]) < D
        for i, st in enumerate(s.stages[:-1])
    )
    for t in range(D, s.months):
        scale = max(1.0, want[t])
        assert plan.wins[t] >= want[t] - 1e-7 * scale
        if plan.inflow[t - D] > 1e-9 * scale and not shortcut:
            assert plan.wins[t] == pytest.approx(want[t], rel=1e-7, abs=1e-7)
    shortfalls = {int(w.split(":")[0].split()[1]) for w in plan.warnings if "within lead time" in w}
    assert shortfalls == {
        t for t in range(min(D, s.months)) if plan.wins[t] < want[t] - 1e-9 * max(1, want[t])
    }


@SETTINGS
@given(scenarios(target="total", max_months=24), st.data())
def test_higher_conversion_never_raises_required_inflow(data, draw) -> None:
    _assert_a_better_rate_needs_no_more_inflow(data, draw)


def _assert_a_better_rate_needs_no_more_inflow(data: dict, draw: st.DataObject) -> None:
    """Raise one stage's conversion (within its room) and re-plan: the horizon's inflow may not
    grow."""
    plan = _plan_or_skip(data)
    i = draw.draw(st.integers(0, len(data["stages"]) - 2))
    stage = data["stages"][i]
    room = 1.0 - stage["conversion"] - stage["disqualify"] - stage["recycle"]
    assume(room > 1e-6)
    better = copy.deepcopy(data)
    better["stages"][i]["conversion"] += draw.draw(st.floats(1e-6, room))
    improved = run_plan(parse_scenario(better))
    assert improved.inflow.sum() <= plan.inflow.sum() * (1 + 1e-9) + 1e-9


@SETTINGS
@given(scenarios(target="monthly", volume=False, max_months=18), st.data())
def test_higher_conversion_never_raises_a_monthly_plans_total_inflow(data, draw) -> None:
    """Without recycling feedback. With it, the spec's month-by-month greedy solve is not
    monotone: inflow recycled in month t can over-cover month t + 1 in one plan and not in the
    better one (found by hypothesis: 2 months, 50% recycled at a zero-lag first stage), so a
    better rate can need more inflow over the horizon. The total-target property holds always."""
    feedback = data["recycle"].get("reactivation", 0) > 0 and any(
        st_.get("recycle", 0) > 0 for st_ in data["stages"][:-1]
    )
    assume(not feedback)
    _assert_a_better_rate_needs_no_more_inflow(data, draw)


@settings(max_examples=40, deadline=None)
@given(scenarios(target="monthly", volume=False, max_months=12, max_stages=4))
def test_monthly_solver_matches_the_spec_definition(data) -> None:
    """The impulse-response solve equals the spec's two simulations per month, run in exact
    arithmetic: in floats, w1 − w0 cancels when little of one item reaches the wins (hypothesis
    found a 1e-7 error in the float loop, where the engine's bare impulse response is exact)."""
    plan = _plan_or_skip(data)
    expected = reference.reverse_monthly(plan.scenario, number=Fraction)
    assert_series_close(plan.inflow, expected, 1e-7, "inflow")


@settings(max_examples=60, deadline=None)
@given(scenarios(target="total", max_months=12, max_stages=4))
def test_total_solver_matches_the_spec_definition(data) -> None:
    plan = _plan_or_skip(data)
    expected = reference.reverse_total(plan.scenario)
    assert plan.inflow[0] == pytest.approx(expected, rel=1e-7, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_scenario_json_round_trip(data) -> None:
    s = parse_scenario(data)
    assert parse_scenario(s.to_json()) == s


def _monthly_volume_by_definition(s) -> np.ndarray:
    """Spec section 4 in volume mode, by its definition: for each month t, the smallest
    inflow(t) with wins(t + D) = target(t + D), every trial simulated from month 0 with the
    inflows already solved and zero after (the engine resumes the pool at month t instead)."""
    lv = build_levers(s)
    H = s.months
    D = int(lead_time(lv)[0])
    tgt = list(s.target.monthly) + [s.target.monthly[-1]] * D
    div = float(lv.size[0]) if s.target.metric == "bookings" else 1.0
    ext = lv.extended(H + D)
    x = np.zeros((1, H + D))
    for t in range(H):

        def wins_at(v, rows=None, t=t):
            trial = x.copy()
            trial[:, t] = v
            return simulate_wins(ext.with_inflow(trial), t + D + 1)[:, t + D]

        w0 = wins_at(np.zeros(1))
        x[:, t] = _regula_falsi(wins_at, np.array([tgt[t + D] / div]), w0, wins_at(np.ones(1)) - w0)
    return x[0, :H]


@settings(max_examples=60, deadline=None)
@given(scenarios(target="monthly", volume=True, max_months=10, max_stages=4))
def test_volume_mode_monthly_solve_equals_its_definition(data) -> None:
    plan = _plan_or_skip(data)
    expected = _monthly_volume_by_definition(plan.scenario)
    assert_series_close(plan.inflow, expected, 1e-7, "inflow")
