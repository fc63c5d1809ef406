"""Spec section 10: goal seek. The answer reaches the target (the literal loop says so) and a
value 1e-9 below it does not; each lever of the spec's table; each refusal; the CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from model import ScenarioError, parse_scenario, reference
from model.cli import main
from model.seek import goal_seek, lever, lever_totals, with_lever
from tests.model.test_validation import VALID, mutate
from tests.strategies import scenarios

ROOT = Path(__file__).resolve().parents[2]
SEEK_FILE = ROOT / "examples" / "fy2027-seek.json"
REL = 1e-9


def with_total(data: dict[str, Any], metric: str, total: float) -> dict[str, Any]:
    out = copy.deepcopy(data)
    out["target"] = {"metric": metric, "total": total}
    return out


SEEKING = with_total(VALID, "bookings", 1e9)
EMPTY = with_total({**VALID, "inflow": 0, "opening": {}, "recycle": {}}, "bookings", 1e6)
VOLUME = with_total(mutate("recycle.volume", 20), "wins", 50)


def seeking(data: dict[str, Any], path: str) -> Callable[[], object]:
    return lambda: goal_seek(parse_scenario(data), path)


# (case, trigger, the English text the CLI prints after "error: ", code): the list of every raise
# site (tests/model/test_scenario_errors.py) takes these in and checks each text and code
ERROR_CASES: list[tuple[str, Callable[[], object], str, str]] = [
    ("seek: no total target", seeking(VALID, "deal.size"),
     "target: goal seek needs a total target (a horizon total to reach with today's inflow)",
     "seek_total_target"),
    ("seek: unknown lever", seeking(SEEKING, "inflow"),
     "lever: unknown lever 'inflow' (the levers are: stages.<key>.conversion, deal.size, "
     "recycle.reactivation, recycle.volume)", "lever_unknown"),
    ("seek: the won stage's conversion", seeking(SEEKING, "stages.won.conversion"),
     "lever: 'won' is not a non-terminal stage (those are: visitor, lead, opportunity)",
     "lever_unknown_stage"),
    ("seek: deal size for a wins target", seeking(with_total(VALID, "wins", 100), "deal.size"),
     "lever: the deal size cannot move a wins target", "lever_not_allowed"),
    ("seek: nothing reaches the target", seeking(EMPTY, "stages.visitor.conversion"),
     "lever: no allowed value of stages.visitor.conversion reaches the target: the most it "
     "gives is bookings 0.000 against 1000000.000", "lever_unreachable"),
]  # fmt: skip


def literal_total(scenario: Any, path: str, value: float) -> float:
    """The target metric over the horizon by the spec's loop, with the lever at ``value``."""
    moved = with_lever(scenario, path, value)
    return reference.metric_total(reference.forward(moved), scenario.target.metric)


def check_answer(scenario: Any, path: str) -> str:
    """The answer reaches the target (by the literal loop, to 1e-9 relative) and 1e-9 below it
    the total does not (by the engine), unless the total is flat there; a lower bound that
    already reaches it comes with the warning."""
    got = goal_seek(scenario, path)
    X = scenario.target.total
    lv = lever(scenario, path)
    assert lv.low <= got.value <= lv.high
    assert literal_total(scenario, path, got.value) >= X * (1 - REL)
    if got.warnings:
        assert got.value == lv.low and [w.code for w in got.warnings] == ["lever_not_needed"]
        return "met at the lower bound"
    at, below = lever_totals(scenario, lv, np.array([got.value, got.value * (1 - REL)]))
    assert at >= X
    assert below < X or at - below <= 1e-12 * X
    return "sought"


LEVER_PATHS = ["deal.size", "recycle.reactivation", "recycle.volume"]


@settings(max_examples=40)
@given(scenarios(target="total", max_months=10, max_stages=4), st.data())
def test_the_answer_reaches_the_target_and_just_below_it_does_not(
    data_: dict[str, Any], data: st.DataObject
) -> None:
    scenario = parse_scenario(data_)
    now = reference.metric_total(reference.forward(scenario), scenario.target.metric)
    if now > 0 and data.draw(st.booleans()):  # a target near today's total: often within reach
        data_["target"]["total"] = now * data.draw(st.floats(0.5, 1.5))
        scenario = parse_scenario(data_)
    keys = scenario.stage_keys[:-1]
    path = data.draw(st.sampled_from([f"stages.{k}.conversion" for k in keys] + LEVER_PATHS))
    try:
        lever(scenario, path)
    except ScenarioError as exc:
        assert exc.field == "lever" and exc.code == "lever_not_allowed"
        assume(False)
    try:
        event(check_answer(scenario, path))
    except ScenarioError as exc:  # unreachable: the upper bound (or 2^62 × start) falls short
        assert exc.field == "lever" and exc.code == "lever_unreachable"
        event("unreachable")
        lv = lever(scenario, path)
        top = lv.high if np.isfinite(lv.high) else 1e12
        assert lever_totals(scenario, lv, np.array([top]))[0] < scenario.target.total


@pytest.mark.parametrize(
    "path", ["stages.visitor.conversion", "stages[lead].conversion",
             "stages.opportunity.conversion", "deal.size", "recycle.reactivation"],
)  # fmt: skip
def test_each_rate_mode_lever_on_the_example(path: str) -> None:
    scenario = parse_scenario(json.loads(SEEK_FILE.read_text()))
    check_answer(scenario, path)
    assert goal_seek(scenario, path).warnings == ()


def test_the_deal_size_is_the_target_over_the_wins() -> None:
    """Bookings are wins × deal size: the answer is X / Σ wins (to 1e-9), above it."""
    scenario = parse_scenario(SEEKING)
    wins = sum(reference.forward(scenario)["wins"])
    got = goal_seek(scenario, "deal.size")
    assert got.value == pytest.approx(1e9 / wins, rel=REL)
    assert got.value >= 1e9 / wins * (1 - 1e-15)
    assert got.base == 1_200_000


def test_a_ranged_lever_is_replaced_and_other_ranges_keep_their_base() -> None:
    data = mutate("stages.2.conversion", {"low": 0.2, "base": 0.25, "high": 0.3})
    data["stages"][1]["conversion"] = {"low": 0.2, "base": 0.3, "high": 0.35}
    data = with_total(data, "wins", 60)
    scenario = parse_scenario(data)
    got = goal_seek(scenario, "stages.opportunity.conversion")
    assert got.base == 0.25
    moved = with_lever(scenario, "stages.opportunity.conversion", got.value)
    assert moved.stage("opportunity").conversion == got.value
    assert moved.stage("lead").conversion == scenario.stage("lead").conversion  # still a range
    assert sum(reference.forward(moved)["wins"]) == pytest.approx(60, rel=REL)


def test_the_recycle_volume_lever_replaces_a_monthly_list_by_a_constant() -> None:
    data = with_total(mutate("recycle.volume", [5.0] * 12), "wins", 40)
    scenario = parse_scenario(data)
    got = goal_seek(scenario, "recycle.volume")
    assert got.base == [5.0] * 12
    check_answer(scenario, "recycle.volume")
    assert with_lever(scenario, "recycle.volume", got.value).recycle.volume == got.value


def test_a_lower_bound_that_already_meets_the_target_warns() -> None:
    """The opening pipeline alone wins 1: a target of 1 win needs no conversion of visitors."""
    scenario = parse_scenario(with_total(VALID, "wins", 1))
    got = goal_seek(scenario, "stages.visitor.conversion")
    assert got.value == 0.0
    (warning,) = got.warnings
    assert warning.code == "lever_not_needed"
    assert warning.startswith("lever: the target is met without the lever: ")
    assert warning.params["lever"] == "stages.visitor.conversion"


@pytest.mark.parametrize(
    "data,path,code",
    [
        (VOLUME, "recycle.reactivation", "lever_not_allowed"),
        (SEEKING, "recycle.volume", "lever_not_allowed"),
        (with_total(VALID, "wins", 1e6), "stages.lead.conversion", "lever_unreachable"),
        (with_total(mutate("recycle.volume", 20), "wins", 1e7), "recycle.volume",
         "lever_unreachable"),
        (EMPTY, "deal.size",
         "lever_unreachable"),
        (mutate("stages.1.lag", 1) | {"target": {"metric": "wins", "monthly": 5}}, "deal.size",
         "seek_total_target"),
    ],
)  # fmt: skip
def test_each_refusal(data: dict[str, Any], path: str, code: str) -> None:
    with pytest.raises(ScenarioError) as err:
        goal_seek(parse_scenario(data), path)
    assert err.value.code == code
    assert err.value.field == ("target" if code == "seek_total_target" else "lever")


# ----- the CLI -----------------------------------------------------------------------------------
def test_cli_prints_lever_value_base_and_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seek", str(SEEK_FILE), "--lever", "stages.opportunity.conversion"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["lever", "value", "base", "warnings"]
    assert out["lever"] == "stages.opportunity.conversion" and out["base"] == 0.25
    assert out["warnings"] == []
    scenario = parse_scenario(json.loads(SEEK_FILE.read_text()))
    assert out["value"] == goal_seek(scenario, "stages.opportunity.conversion").value


def test_cli_warning_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(with_total(VALID, "wins", 1)))
    assert main(["seek", str(path), "--lever", "stages.visitor.conversion"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["value"] == 0.0 and len(out["warnings"]) == 1
    path.write_text(json.dumps(EMPTY))
    assert main(["seek", str(path), "--lever", "stages.visitor.conversion"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: lever: no allowed value of ")
    assert captured.err.count("\n") == 1
    assert main(["seek", str(path), "--lever", "deal"]) == 2
    assert capsys.readouterr().err.startswith("error: lever: unknown lever 'deal'")
    with pytest.raises(SystemExit) as exit_:
        main(["seek", str(path)])
    assert exit_.value.code == 64
