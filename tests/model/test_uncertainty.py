"""Spec section 6: bands, Monte Carlo and sensitivity, checked against direct re-computation
with the literal per-month loop of ``model.reference``."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import ScenarioError, parse_scenario, reference, run_plan
from model.forward import geometric_filter, series_inverse, simulate, simulate_wins
from model.uncertainty import (
    PERCENTILES,
    bands,
    draw_levers,
    monte_carlo,
    sensitivity,
    triangular,
)
from tests.conftest import ROOT

from ..strategies import ranged_scenarios

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLE = json.loads((ROOT / "examples" / "fy2027-plan.json").read_text("utf-8"))


def _plan_or_skip(s):
    try:
        return run_plan(s)
    except ScenarioError as exc:
        assume(exc.field != "target")
        raise


def test_triangular_inverse_cdf_has_the_right_moments_and_support() -> None:
    u = np.random.default_rng(3).random(200_000)
    x = triangular(u, 0.2, 0.3, 0.6)
    assert x.min() >= 0.2 and x.max() <= 0.6
    assert x.mean() == pytest.approx((0.2 + 0.3 + 0.6) / 3, abs=2e-3)
    # the CDF at the mode is (mode − low) / (high − low)
    assert np.mean(x <= 0.3) == pytest.approx(0.25, abs=5e-3)
    var = (0.2**2 + 0.3**2 + 0.6**2 - 0.2 * 0.3 - 0.2 * 0.6 - 0.3 * 0.6) / 18
    assert x.var() == pytest.approx(var, rel=0.02)
    assert np.all(triangular(u[:10], 0.5, 0.5, 0.5) == 0.5)


def test_draws_are_seedable_and_only_ranged_parameters_vary() -> None:
    s = parse_scenario(EXAMPLE)
    a, va = draw_levers(s, 500, seed=7)
    b, vb = draw_levers(s, 500, seed=7)
    c, _ = draw_levers(s, 500, seed=8)
    assert set(va) == {
        "stages[lead].conversion",
        "stages[opportunity].conversion",
        "deal.size",
    }
    np.testing.assert_array_equal(a.conversion, b.conversion)
    assert not np.array_equal(a.conversion, c.conversion)
    assert np.all(a.conversion[:, 0] == 0.02)  # visitor conversion is not ranged
    lo, hi = 0.20, 0.28
    assert a.conversion[:, 2].min() >= lo and a.conversion[:, 2].max() <= hi


def test_monte_carlo_draws_match_the_reference_loop_draw_by_draw() -> None:
    s = parse_scenario(EXAMPLE)
    plan = run_plan(s)
    draws = 6
    mc = monte_carlo(s, draws=draws, seed=11, plan=plan)
    _, values = draw_levers(s, draws, seed=11)
    book, met, req = [], [], []
    for k in range(draws):
        v = {path: float(x[k]) for path, x in values.items()}
        r = reference.forward(s, list(plan.inflow), v)
        book.append(sum(r["bookings"]))
        met.append(sum(r["bookings"]) >= s.target.total * (1 - 1e-9))
        req.append(reference.reverse_total(s, v))
    np.testing.assert_allclose(mc.samples["bookings"], book, rtol=1e-9)
    np.testing.assert_allclose(mc.samples["required_inflow"], req, rtol=1e-9)
    assert mc.probability == pytest.approx(np.mean(met))
    np.testing.assert_allclose(mc.totals["bookings"], np.percentile(book, PERCENTILES), rtol=1e-9)


def test_monte_carlo_is_reproducible_and_chunking_does_not_change_it(monkeypatch) -> None:
    s = parse_scenario(EXAMPLE)
    a = monte_carlo(s, draws=3000, seed=5)
    import model.uncertainty as u

    monkeypatch.setattr(u, "CHUNK", 700)
    b = monte_carlo(s, draws=3000, seed=5)
    np.testing.assert_allclose(a.samples["bookings"], b.samples["bookings"], rtol=1e-12)
    assert a.probability == b.probability
    c = monte_carlo(s, draws=3000, seed=6)
    assert a.probability != c.probability or not np.allclose(
        a.totals["bookings"], c.totals["bookings"]
    )


def test_monte_carlo_percentiles_are_ordered_and_bracket_the_base_plan() -> None:
    s = parse_scenario(EXAMPLE)
    plan = run_plan(s)
    mc = monte_carlo(s, draws=4000, seed=1, plan=plan)
    for m in ("wins", "bookings", "revenue"):
        assert np.all(np.diff(mc.totals[m]) >= 0)
        assert np.all(np.diff(mc.monthly[m], axis=0) >= -1e-9)
    # every range here is skewed towards its low end, so the median falls short of the plan
    assert mc.percentile("bookings", 10) < plan.totals["bookings"] < mc.percentile("bookings", 90)
    assert 0.05 < mc.probability < 0.5
    assert mc.required[0] < plan.required_inflow_per_month < mc.required[-1]
    assert mc.infeasible == 0
    fan = mc.fan_frame("revenue")
    assert list(fan.columns) == ["month", "p10", "p25", "p50", "p75", "p90"]
    assert len(fan) == s.months


def test_without_ranges_the_monte_carlo_collapses_to_the_plan() -> None:
    data = copy.deepcopy(EXAMPLE)
    for stage in data["stages"]:
        if isinstance(stage.get("conversion"), dict):
            stage["conversion"] = stage["conversion"]["base"]
    data["deal"]["size"] = data["deal"]["size"]["base"]
    s = parse_scenario(data)
    plan = run_plan(s)
    mc = monte_carlo(s, draws=50, seed=0, plan=plan)
    assert mc.ranged == ()
    np.testing.assert_allclose(mc.totals["bookings"], plan.totals["bookings"], rtol=1e-12)
    assert mc.probability == 1.0  # the plan meets its target exactly


def test_forward_mode_has_no_probability_and_no_required_inflow() -> None:
    data = copy.deepcopy(EXAMPLE)
    del data["target"]
    data["inflow"] = {"low": 6000, "base": 9000, "high": 10000}
    s = parse_scenario(data)
    mc = monte_carlo(s, draws=200, seed=0)
    assert mc.probability is None and mc.required is None
    assert "inflow" in mc.ranged


def test_monthly_target_probability_counts_the_months_after_the_lead_time() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["target"] = {"metric": "wins", "monthly": 20}
    s = parse_scenario(data)
    plan = run_plan(s)
    mc = monte_carlo(s, draws=300, seed=2, plan=plan)
    assert mc.counted_from == 3  # floor(0) + floor(1) + floor(2.5)
    assert mc.target_value == pytest.approx(20 * (12 - 3))
    _, values = draw_levers(s, 300, seed=2)
    met = []
    for k in range(0, 300, 60):  # spot-check some draws against the reference loop
        v = {p: float(x[k]) for p, x in values.items()}
        wins = reference.forward(s, list(plan.inflow), v)["wins"]
        met.append(sum(wins[3:]))
    np.testing.assert_allclose(mc.samples["target_metric"][::60], met, rtol=1e-9)
    assert mc.required_monthly.shape == (len(PERCENTILES), 12)


def test_invalid_draw_count_is_a_message_not_a_crash() -> None:
    with pytest.raises(ScenarioError, match="draws"):
        monte_carlo(parse_scenario(EXAMPLE), draws=0)


@SETTINGS
@given(ranged_scenarios(max_months=18, max_stages=5, volume=False))
def test_bands_order_the_required_inflow_and_the_outcome(data) -> None:
    """In rate mode the funnel is linear and a longer lag only delays, so the pessimistic end
    never books more. (With a capped recycle volume it can: spreading arrivals over more
    months lets more of the pool through the cap before it expires, so volume mode is left
    out.)"""
    s = parse_scenario(data)
    plan = _plan_or_skip(s)
    b = bands(s, plan)
    scale = 1e-9 * max(1.0, plan.totals["bookings"])
    assert b.planned_pessimistic.totals["bookings"] <= plan.totals["bookings"] + scale
    assert b.planned_optimistic.totals["bookings"] >= plan.totals["bookings"] - scale
    if s.target is not None and s.target.total is not None and b.pessimistic is not None:
        tol = 1e-9 * max(1.0, plan.required_inflow_per_month)
        assert b.pessimistic.required_inflow_per_month >= plan.required_inflow_per_month - tol
        assert b.optimistic.required_inflow_per_month <= plan.required_inflow_per_month + tol


def test_bands_report_an_unreachable_end_instead_of_failing() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["stages"][2]["conversion"] = {"low": 0.0, "base": 0.25, "high": 0.28}
    b = bands(parse_scenario(data))
    assert b.pessimistic is None
    assert b.problems and b.problems[0].startswith("pessimistic: target:")
    assert b.optimistic is not None


def _direct(s, path: str, value: float) -> dict[str, float]:
    """Re-run the plan with one parameter changed, through the reference loop."""
    base_plan = run_plan(s)
    r = reference.forward(s, list(base_plan.inflow), {path: value})
    out = {"bookings": sum(r["bookings"]), "revenue": sum(r["revenue"])}
    if s.target is not None and s.target.total is not None:
        out["inflow"] = reference.reverse_total(s, {path: value})
    return out


def test_sensitivity_matches_direct_recomputation_for_every_parameter() -> None:
    s = parse_scenario(EXAMPLE)
    plan = run_plan(s)
    sens = sensitivity(s, plan)
    base_inflow = plan.required_inflow_per_month
    assert sens.base_inflow == pytest.approx(base_inflow, rel=1e-9)
    assert len(sens.effects) == 3 * 4 + 2 + 2 + 1  # 3 stages x 4, pool x 2, customers x 2, size
    for e in sens.effects:
        up = _direct(s, e.path, e.up)
        assert e.bookings_up == pytest.approx(up["bookings"] - plan.totals["bookings"], abs=1e-3)
        assert e.revenue_up == pytest.approx(up["revenue"] - plan.totals["revenue"], abs=1e-3)
        assert e.inflow_up == pytest.approx(up["inflow"] - base_inflow, rel=1e-7, abs=1e-7)
    spans = [e.span("inflow") for e in sens.effects]
    assert spans == sorted(spans, reverse=True)


def test_sensitivity_steps_are_one_point_and_ten_percent() -> None:
    s = parse_scenario(EXAMPLE)
    eff = {e.path: e for e in sensitivity(s).effects}
    conv = eff["stages[opportunity].conversion"]
    assert (conv.down, conv.value, conv.up) == pytest.approx((0.24, 0.25, 0.26))
    lag = eff["stages[opportunity].lag"]
    assert (lag.down, lag.up) == pytest.approx((2.25, 2.75))
    size = eff["deal.size"]
    assert (size.down, size.up) == pytest.approx((1_080_000, 1_320_000))
    # lead: 0.30 + 0.10 + 0.20 leaves 0.40 lost, so recycle can rise a full point
    assert eff["stages[lead].recycle"].up == pytest.approx(0.21)
    assert conv.inflow_up < 0 < conv.inflow_down  # a better win rate needs fewer visitors
    assert lag.bookings_up < 0  # slower deals book less within the horizon


def test_sensitivity_caps_a_rate_at_the_lost_share() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["stages"][1].update({"conversion": 0.6, "disqualify": 0.195, "recycle": 0.2})
    eff = {e.path: e for e in sensitivity(parse_scenario(data)).effects}
    assert eff["stages[lead].conversion"].up == pytest.approx(0.605)


def test_bottleneck_is_the_conversion_worth_the_most() -> None:
    s = parse_scenario(EXAMPLE)
    sens = sensitivity(s)
    savings = {}
    for _i, stage in enumerate(s.stages[:-1]):
        path = f"stages[{stage.key}].conversion"
        v = float(getattr(stage.conversion, "base", stage.conversion))
        savings[stage.key] = reference.reverse_total(s) - reference.reverse_total(
            s, {path: min(1.0, v + 0.01)}
        )
    assert sens.bottleneck == max(savings, key=savings.get)
    # forward mode ranks and picks by bookings
    data = copy.deepcopy(EXAMPLE)
    del data["target"]
    data["inflow"] = 9000
    fwd = sensitivity(parse_scenario(data))
    assert fwd.ranked_by == "bookings" and fwd.effects[0].inflow_up is None
    assert fwd.bottleneck in {"visitor", "lead", "opportunity"}


@SETTINGS
@given(ranged_scenarios(target=None, max_months=24, max_stages=6))
def test_lean_batched_wins_equal_the_full_simulation(data) -> None:
    """simulate_wins (used by every solve and the Monte Carlo) against simulate, on batches
    whose rows have different lags, including the linear-system pool for small batches."""
    s = parse_scenario(data)
    for draws in (3, 40):
        lv, _ = draw_levers(s, draws, seed=draws)
        full = simulate(lv, s.months).wins
        lean = simulate_wins(lv, s.months)
        scale = max(1.0, float(np.abs(full).max()))
        np.testing.assert_allclose(lean, full, rtol=1e-9, atol=1e-9 * scale)
    # small batches solve the rate-mode pool as one linear system, large ones month by month
    big = simulate(lv, s.months)
    for k in (0, 17, 39):
        one = simulate(lv.take(slice(k, k + 1)), s.months)
        scale = max(1.0, float(np.abs(big.pool_balance[k]).max()))
        np.testing.assert_allclose(one.pool_balance[0], big.pool_balance[k], atol=1e-9 * scale)
        np.testing.assert_allclose(one.wins[0], big.wins[k], atol=1e-9 * max(1.0, big.wins.max()))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-0.9, 0.9), min_size=1, max_size=12),
    st.integers(1, 150),
)
def test_series_inverse_inverts_the_polynomial(tail, n) -> None:
    """The pool's linear-system solve rests on 1/c: c ⋆ (1/c) = 1 on the first n coefficients,
    and the coefficients are those of the recurrence y(t) = −Σ_k c_k·y(t − k)."""
    c = np.array([1.0, *tail])
    y = series_inverse(c, n)
    assert y.shape == (n,)
    one = np.convolve(c, y)[:n]
    expected = np.zeros(n)
    expected[0] = 1.0
    np.testing.assert_allclose(one, expected, atol=1e-9 * max(1.0, float(np.abs(y).max())))
    loop = [1.0]
    for t in range(1, n):
        loop.append(-sum(c[k] * loop[t - k] for k in range(1, min(t, len(c) - 1) + 1)))
    np.testing.assert_allclose(y, loop, rtol=1e-9, atol=1e-12 * max(1.0, max(map(abs, loop))))


def test_geometric_filter_leaves_its_input_alone_whatever_its_layout() -> None:
    """The per-row filter works on a time-major copy: a Fortran-ordered input (the lean
    simulation returns a transposed view) must not be changed in place."""
    rng = np.random.default_rng(3)
    x = np.asfortranarray(rng.random((70, 30)))
    before = x.copy()
    gamma = rng.uniform(0.5, 1.0, 70)
    y = geometric_filter(x, gamma)
    np.testing.assert_array_equal(x, before)
    acc = np.zeros(70)
    for t in range(30):
        acc = gamma * acc + before[:, t]
        np.testing.assert_allclose(y[:, t], acc, rtol=1e-12)
