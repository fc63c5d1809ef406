"""Spec section 9: the variance bridge (the engine against the literal loop over subsets), the
Shapley effects' properties, the re-forecast and recovery from an actual state, and the CLI."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import ScenarioError, parse_scenario, reference, run_plan
from model.bridge import (
    ActualState,
    actual_scenario,
    bridge,
    chance_of_target,
    factor_names,
    planned_inflow,
    recovery,
    reforecast,
    remaining_target,
    rest_scenario,
    shapley,
)
from model.cli import _months, main
from tests.model.test_validation import VALID, mutate
from tests.strategies import lags, rates, scenarios

ROOT = Path(__file__).resolve().parents[2]
PLAN_FILE = ROOT / "examples" / "fy2027-plan.json"
ACTUAL_FILE = ROOT / "examples" / "fy2027-actual-h1.json"


def actual_of(plan: dict[str, Any], months: int, **changes: Any) -> dict[str, Any]:
    """An actual scenario for ``plan``: its stages, ``months`` months of inflow."""
    data = copy.deepcopy(plan)
    data.pop("target", None)
    data["months"] = months
    data["inflow"] = [4000.0 + 100 * t for t in range(months)]
    vol = data.get("recycle", {}).get("volume")
    if isinstance(vol, list):
        data["recycle"]["volume"] = (vol + vol[-1:] * months)[:months]
    data.update(changes)
    return data


def _stages(n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"key": f"s{i}", "conversion": 0.5} for i in range(n - 1)]
    return [*out, {"key": "won"}]


ELEVEN = {**VALID, "stages": _stages(11), "opening": {}, "recycle": {}}
RENAMED = actual_of(VALID, 3)
RENAMED["stages"] = copy.deepcopy(VALID["stages"])
RENAMED["stages"][1]["key"] = "mql"
RENAMED["opening"] = {}
RENAMED["recycle"] = {}


def bridging(plan: dict[str, Any], actual: dict[str, Any], months: int) -> Callable[[], object]:
    return lambda: bridge(parse_scenario(plan), parse_scenario(actual), months)


# (case, trigger, the English text the CLI prints after "error: ", code): the list of every raise
# site (tests/model/test_scenario_errors.py) takes these in and checks each text and code
ERROR_CASES: list[tuple[str, Callable[[], object], str, str]] = [
    ("bridge: more than 10 stages", bridging(ELEVEN, actual_of(ELEVEN, 1), 1),
     "stages: the variance bridge takes at most 10 stages; the plan has 11",
     "bridge_too_many_stages"),
    ("bridge: other stage keys", bridging(VALID, RENAMED, 3),
     "stages: the actual scenario must have the plan's stage keys in the plan's order "
     "(visitor, lead, opportunity, won); it has visitor, mql, opportunity, won",
     "bridge_stage_keys"),
    ("bridge: months 0", bridging(VALID, actual_of(VALID, 3), 0),
     "--months: the months passed must be a whole number from 1 to the plan's 12, got 0",
     "bridge_months"),
    ("bridge: months not whole", lambda: _months("2.5"),
     "--months: the months passed must be a whole number, got 2.5", "bridge_months_not_whole"),
    ("bridge: actual inflow too short", bridging(VALID, actual_of(VALID, 3), 4),
     "inflow: the actual inflow lists 3 months; the bridge over 4 months needs at least 4",
     "bridge_inflow_short"),
]  # fmt: skip


@st.composite
def plan_and_actual(
    draw: st.DrawFn, target: str | None = None, volume: bool | None = None
) -> tuple[dict[str, Any], dict[str, Any], int]:
    """A random plan (spec section 2), months k ≤ H, and an actual scenario whose rates, lags,
    deal size and inflow over k months may differ from the plan's."""
    plan = draw(scenarios(target=target, volume=volume, max_months=8, max_stages=5))
    k = draw(st.integers(1, plan["months"]))
    actual = actual_of(plan, k)
    for stage in actual["stages"][:-1]:
        if draw(st.booleans()):
            stage.update(draw(rates(min_conversion=0.0)))
        if draw(st.booleans()):
            stage["lag"] = draw(lags)
    actual["inflow"] = draw(st.lists(st.floats(0, 5000), min_size=k, max_size=k))
    if draw(st.booleans()):
        actual["deal"]["size"] = draw(st.floats(0, 5e6))
    return plan, actual, k


def scale(values: np.ndarray) -> float:
    return float(np.abs(values).max()) + 1.0


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(plan_and_actual())
def test_the_engine_is_the_literal_loop_over_subsets(case: tuple) -> None:
    """v(∅), v(F) and every φ_g as section 9 defines them, by the reference's loop over subsets
    and the spec's Shapley sum: the engine agrees to 1e-9 of the largest v(S)."""
    plan_d, actual_d, k = case
    plan, actual = parse_scenario(plan_d), parse_scenario(actual_d)
    got = bridge(plan, actual, k)
    want = reference.bridge(plan, actual, k)
    tol = 1e-9 * scale(got.values)
    assert got.to_dict()["months"] == want["months"] == k
    assert got.plan == pytest.approx(want["plan"], rel=0, abs=tol)
    assert got.model == pytest.approx(want["model"], rel=0, abs=tol)
    assert [f["factor"] for f in got.to_dict()["factors"]] == [f["factor"] for f in want["factors"]]
    for mine, theirs in zip(got.effects, want["factors"], strict=True):
        assert mine == pytest.approx(theirs["effect"], rel=0, abs=tol)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(plan_and_actual(target="total"))
def test_a_plan_with_a_target_bridges_from_its_solved_inflow(case: tuple) -> None:
    """v(∅) is the plan's bookings to date with its own solved inflow (spec section 4)."""
    plan_d, actual_d, k = case
    plan = parse_scenario(plan_d)
    try:
        solved = run_plan(plan)
    except ScenarioError:
        assume(False)
        return
    got = bridge(plan, parse_scenario(actual_d), k)
    want = float(solved.bookings[:k].sum())
    assert got.plan == pytest.approx(want, rel=1e-9, abs=1e-9 * scale(got.values))
    ref = reference.bridge(plan, parse_scenario(actual_d), k, inflow=solved.inflow)
    tol = 1e-9 * scale(got.values)
    for mine, theirs in zip(got.effects, ref["factors"], strict=True):
        assert mine == pytest.approx(theirs["effect"], rel=0, abs=tol)


@settings(deadline=None)
@given(plan_and_actual())
def test_the_effects_add_up_to_the_models_change(case: tuple) -> None:
    """Σ_g φ_g = v(F) − v(∅), to rounding."""
    plan_d, actual_d, k = case
    got = bridge(parse_scenario(plan_d), parse_scenario(actual_d), k)
    assert math.fsum(got.effects) == pytest.approx(
        got.model - got.plan, rel=0, abs=1e-12 * scale(got.values) * len(got.values)
    )


@settings(deadline=None)
@given(plan_and_actual(), st.data())
def test_a_factor_whose_actual_is_its_plan_has_no_effect(case: tuple, data: st.DataObject) -> None:
    """Set one factor's actual value to the plan's: its effect is 0 (the others' runs with and
    without it are the same run)."""
    plan_d, actual_d, k = case
    plan = parse_scenario(plan_d)
    names = factor_names(plan)
    factor = data.draw(st.sampled_from(names))
    if factor == "inflow":
        actual_d["inflow"] = planned_inflow(plan)[:k].tolist()
    elif factor == "deal_size":
        actual_d["deal"]["size"] = plan_d["deal"]["size"]
    else:
        for mine, theirs in zip(actual_d["stages"][:-1], plan_d["stages"][:-1], strict=True):
            if factor == "lags":
                mine["lag"] = theirs["lag"]
            elif factor == f"rates:{mine['key']}":
                for name in ("conversion", "disqualify", "recycle"):
                    mine[name] = theirs[name]
    got = bridge(plan, parse_scenario(actual_d), k)
    assert abs(got.effect(factor)) <= 1e-12 * scale(got.values)


@settings(deadline=None)
@given(
    scenarios(target=None, volume=False, max_months=8, max_stages=5),
    st.floats(0.2, 3.0),
    st.data(),
)
def test_symmetric_factors_have_equal_effects(
    plan_d: dict[str, Any], c: float, data: st.DataObject
) -> None:
    """With no opening stock and an empty pool (rate mode) wins are proportional to the inflow,
    so an actual inflow c times the plan's and an actual deal size c times the plan's change
    bookings alike in every coalition: their effects are equal (Shapley's symmetry)."""
    plan_d["opening"] = {}
    plan_d["recycle"]["opening"] = 0.0
    plan = parse_scenario(plan_d)
    k = data.draw(st.integers(1, plan.months))
    actual_d = actual_of(plan_d, k)
    actual_d["inflow"] = [c * x for x in planned_inflow(plan)[:k]]
    actual_d["deal"]["size"] = c * plan_d["deal"]["size"]
    got = bridge(plan, parse_scenario(actual_d), k)
    assert got.effect("inflow") == pytest.approx(
        got.effect("deal_size"), rel=1e-9, abs=1e-9 * scale(got.values)
    )


def test_shapley_of_an_additive_game_is_each_players_own_worth() -> None:
    """v(S) = Σ_{i∈S} a_i: φ = a; and two players who add the same to every coalition get the
    same (symmetry), a player who adds nothing gets 0 (null player)."""
    a = np.array([3.0, -1.5, 0.0, 7.25])
    masks = np.arange(16)
    v = np.array([sum(a[i] for i in range(4) if m >> i & 1) for m in masks])
    assert shapley(v).tolist() == pytest.approx(a.tolist(), abs=1e-12)
    both = np.array([(m & 3 == 3) * 10.0 + (m >> 2 & 1) * 1.0 for m in masks])  # 0, 1 symmetric
    phi = shapley(both)
    assert phi[0] == pytest.approx(phi[1]) == pytest.approx(5.0)
    assert phi[3] == 0.0
    assert math.fsum(phi) == pytest.approx(both[-1] - both[0])


def test_more_than_ten_stages_is_refused_and_ten_is_bridged() -> None:
    ten = {**VALID, "stages": _stages(10), "opening": {}, "recycle": {}}
    got = bridge(parse_scenario(ten), parse_scenario(actual_of(ten, 2)), 2)
    assert len(got.factors) == 12 and len(got.values) == 4096
    with pytest.raises(ScenarioError) as err:
        bridge(parse_scenario(ELEVEN), parse_scenario(actual_of(ELEVEN, 1)), 1)
    assert err.value.code == "bridge_too_many_stages"


# ----- the CLI ---------------------------------------------------------------------------------
def test_cli_prints_the_spec_json_in_factor_order(capsys: pytest.CaptureFixture[str]) -> None:
    """python -m model bridge PLAN ACTUAL --months K: months, plan, model and the factors in the
    spec's order, the numbers the engine and the literal loop give."""
    assert main(["bridge", str(PLAN_FILE), str(ACTUAL_FILE), "--months", "6"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["months", "plan", "model", "factors"]
    assert out["months"] == 6
    names = [f["factor"] for f in out["factors"]]
    assert names == ["inflow", "rates:visitor", "rates:lead", "rates:opportunity", "lags",
                     "deal_size"]  # fmt: skip
    plan = parse_scenario(json.loads(PLAN_FILE.read_text()))
    actual = parse_scenario(json.loads(ACTUAL_FILE.read_text()))
    want = reference.bridge(plan, actual, 6)  # the reference's own solve of the total target
    assert out["plan"] == pytest.approx(want["plan"], rel=1e-9)
    assert out["model"] == pytest.approx(want["model"], rel=1e-9)
    for mine, theirs in zip(out["factors"], want["factors"], strict=True):
        assert mine["effect"] == pytest.approx(theirs["effect"], rel=1e-8, abs=1e-6)
    assert math.fsum(f["effect"] for f in out["factors"]) == pytest.approx(
        out["model"] - out["plan"], rel=1e-12
    )


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize(
    "months,actual,text",
    [
        ("0", actual_of(VALID, 3), "error: --months: the months passed must be a whole number "
         "from 1 to the plan's 12, got 0"),
        ("13", actual_of(VALID, 3), "error: --months: the months passed must be a whole number "
         "from 1 to the plan's 12, got 13"),
        ("2.5", actual_of(VALID, 3), "error: --months: the months passed must be a whole number, "
         "got 2.5"),
        ("three", actual_of(VALID, 3), "error: --months: the months passed must be a whole "
         "number, got three"),
        ("4", actual_of(VALID, 3), "error: inflow: the actual inflow lists 3 months; the bridge "
         "over 4 months needs at least 4"),
        ("3", RENAMED, "error: stages: the actual scenario must have the plan's stage keys in the "
         "plan's order (visitor, lead, opportunity, won); it has visitor, mql, opportunity, won"),
        ("3", mutate("stages.1.conversion", 1.5), "error: stages[lead].conversion: must be a rate "
         "between 0 and 1, got 1.5"),
    ],
)  # fmt: skip
def test_cli_invalid_input_exits_2_with_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], months: str, actual: dict, text: str
) -> None:
    plan = _write(tmp_path, "plan.json", VALID)
    path = _write(tmp_path, "actual.json", actual)
    assert main(["bridge", plan, path, "--months", months]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == text + "\n"


def test_cli_two_as_2_0_and_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path, "plan.json", VALID)
    actual = _write(tmp_path, "actual.json", actual_of(VALID, 3))
    assert main(["bridge", plan, actual, "--months", "2.0"]) == 0
    assert json.loads(capsys.readouterr().out)["months"] == 2
    assert main(["bridge", plan, str(tmp_path / "none.json"), "--months", "2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: (file): cannot read ") and err.count("\n") == 1


def test_cli_without_months_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["bridge", str(PLAN_FILE), str(ACTUAL_FILE)])
    assert exit_.value.code == 64


# ----- re-forecast and recovery ----------------------------------------------------------------
def _state_of(plan: Any, k: int) -> ActualState:
    """The state the plan itself reaches at the end of month k − 1 (as if it ran to plan)."""
    p = run_plan(plan)
    stock = {key: float(p.stock[i, k - 1]) for i, key in enumerate(plan.stage_keys[:-1])}
    return ActualState(
        months=k,
        stock=stock,
        pool=float(p.pool_balance[k - 1]),
        customers=float(p.customers[k - 1]),
        mrr=float(p.mrr[k - 1]),
        wins=float(p.wins[:k].sum()),
        bookings=float(p.bookings[:k].sum()),
        revenue=float(p.revenue[:k].sum()),
    )


def test_the_reforecast_of_a_plan_on_track_with_integer_lags_is_the_plan() -> None:
    """With whole lags of 0 or 1 month the stock at the end of a month is exactly what resolves
    next month, so a re-forecast from the plan's own state at month k reproduces the plan's
    months k..H−1, and the outlook is the plan's total."""
    data = mutate("stages.2.lag", 1)
    data["recycle"] = {"reentry": "lead", "reactivation": 0.0, "opening": 0}
    plan = parse_scenario(data)
    whole = run_plan(plan)
    state = _state_of(plan, 4)
    rf = reforecast(plan, state)
    assert rf.rest.months == plan.month_labels[4:]
    np.testing.assert_allclose(rf.rest.wins, whole.wins[4:], rtol=1e-9, atol=1e-9)
    assert rf.outlook["bookings"] == pytest.approx(whole.totals["bookings"], rel=1e-9)


def test_recovery_solves_the_rest_of_a_total_target() -> None:
    """The recovery's target is the plan's total less the actual to date; its plan reaches it
    from the state; behind plan, it asks more inflow than the plan did."""
    data = {**VALID, "target": {"metric": "bookings", "total": 6e8}}
    plan = parse_scenario(data)
    state = _state_of(plan, 3)
    behind = ActualState(**{**state.__dict__, "bookings": state.bookings * 0.5})
    assert remaining_target(plan, behind) == {
        "metric": "bookings", "total": 6e8 - state.bookings * 0.5
    }  # fmt: skip
    rec = recovery(plan, behind)
    assert rec is not None
    assert rec.totals["bookings"] == pytest.approx(6e8 - behind.bookings, rel=1e-9)
    assert rec.inflow[0] > planned_inflow(plan)[0]
    assert recovery(parse_scenario(VALID), state) is None
    ahead = ActualState(**{**state.__dict__, "bookings": 7e8})
    assert remaining_target(plan, ahead) == {"metric": "bookings", "total": 0.0}


def test_recovery_of_a_monthly_target_keeps_the_remaining_months() -> None:
    data = {**VALID, "target": {"metric": "wins", "monthly": [float(t) for t in range(12)]}}
    plan = parse_scenario(data)
    state = _state_of(plan, 5)
    rest = rest_scenario(plan, state, target=remaining_target(plan, state))
    assert rest.target is not None and rest.target.monthly == tuple(float(t) for t in range(5, 12))
    assert rest.start == "2027-09" and rest.months == 7
    assert recovery(plan, state) is not None


def test_reforecast_on_actual_parameters_and_plain_numbers() -> None:
    """actual_scenario builds the actual scenario from plain numbers (as the database gives
    them); the re-forecast on actual parameters uses its rates, lags and deal size."""
    plan = parse_scenario(VALID)
    actual = actual_scenario(
        plan,
        [4500.0, 4700.0],
        {"visitor": {"conversion": 0.03}, "lead": {"conversion": 0.2, "lag": 2}},
        1_000_000,
    )
    assert actual.months == 2 and actual.stage("lead").lag == 2.0
    assert actual.stage("opportunity").conversion == 0.0
    state = ActualState(months=2, stock={"lead": 100.0, "opportunity": 40.0}, pool=300.0)
    rest = rest_scenario(plan, state, actual=actual)
    assert rest.stage("visitor").conversion == 0.03 and rest.deal.size == 1_000_000
    assert rest.stage("lead").opening == 100.0 and rest.recycle.opening == 300.0
    assert rest.inflow_base() == (5000.0,) * 10
    assert reforecast(plan, state, actual=actual).rest.totals["wins"] == 0.0  # opportunity: 0
    with pytest.raises(ScenarioError) as err:
        rest_scenario(plan, ActualState(months=12))
    assert err.value.code == "bridge_months"


def test_the_chance_of_meeting_the_target_from_the_rest_of_the_year() -> None:
    """The Monte Carlo of the rest with the plan's inflow: on track with ranged win rates it is
    about a coin flip; behind, lower; already past the target, 1; no target, None."""
    data = mutate("stages.2.conversion", {"low": 0.15, "base": 0.25, "high": 0.35})
    data["target"] = {"metric": "bookings", "total": 6e8}
    plan = parse_scenario(data)
    state = _state_of(plan, 4)
    on_track = chance_of_target(plan, state, draws=400, seed=1)
    assert on_track is not None and 0.3 < on_track < 0.7
    behind = ActualState(**{**state.__dict__, "bookings": 0.0})
    assert chance_of_target(plan, behind, draws=400, seed=1) < on_track - 0.1
    ahead = ActualState(**{**state.__dict__, "bookings": 6e8})
    assert chance_of_target(plan, ahead) == 1.0
    assert chance_of_target(parse_scenario(VALID), state) is None
