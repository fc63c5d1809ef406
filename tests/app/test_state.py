"""Scenario edits from widgets (ui/state.py): a moved base carries its range along."""

import copy

import pytest

from model import parse_scenario
from tests.app.conftest import open_app
from ui.state import set_param

PATH = ("stages", 2, "conversion")


def _data(value):
    return {"stages": [{}, {}, {"conversion": value}]}


def test_moving_the_base_moves_its_range_with_the_same_distances():
    data = _data({"low": 0.2594, "base": 0.2639, "high": 0.29})
    set_param(data, PATH, 0.24, upper=1.0)
    assert data["stages"][2]["conversion"] == {
        "low": pytest.approx(0.2355),
        "base": 0.24,
        "high": pytest.approx(0.2661),
    }


def test_a_moved_range_stays_within_zero_and_the_upper_bound():
    data = _data({"low": 0.1, "base": 0.3, "high": 0.5})
    set_param(data, PATH, 0.05, upper=1.0)
    assert data["stages"][2]["conversion"] == {"low": 0.0, "base": 0.05, "high": 0.25}
    set_param(data, PATH, 0.9, upper=1.0)
    assert data["stages"][2]["conversion"] == {"low": pytest.approx(0.9 - 0.05), "base": 0.9,
                                                "high": 1.0}  # fmt: skip


def test_setting_an_end_keeps_the_base():
    data = _data(0.3)
    set_param(data, PATH, 0.25, end="low")
    assert data["stages"][2]["conversion"] == {"low": 0.25, "base": 0.3, "high": 0.3}
    set_param(data, PATH, 0.3, end="low")
    assert data["stages"][2]["conversion"] == 0.3


def test_a_win_rate_below_its_old_low_end_plans_on_the_plan_page(scenario_json):
    """Before, 24% on the sample (range 25.94-29.0%) gave 'the low end is above the target'."""
    at = open_app(page="pages/plan.py")
    at.slider(key="plan.stage.opportunity.conversion").set_value(24.0).run()
    assert not at.exception and not at.error
    at.switch_page("pages/divisions.py").run()
    assert not at.exception and not at.error
    old = next(s for s in scenario_json["stages"] if s["key"] == "opportunity")["conversion"]
    low = at.number_input(key="div.field_sales.stages[opportunity].conversion.low").value
    assert low == pytest.approx((old["low"] - old["base"] + 0.24) * 100, abs=0.01)
    assert parse_scenario(scenario_json)  # the sample itself is untouched


def test_dropping_and_restoring_the_target_keeps_todays_inflow(scenario_json):
    """The sample carries today's run-rate (the baseline's mean monthly visitors) beside its
    target: the Overview's run-rate chance and gap read it. Switching the target off used to
    overwrite it with the plan's solved inflow, so after switching back the 'chance at today's
    inflow' silently measured the old plan's inflow instead."""
    from ui import edits

    data = copy.deepcopy(scenario_json)
    today = data["inflow"]
    edits.set_target_kind(data, "none")
    assert data["inflow"] == today and "target" not in data
    edits.set_target_kind(data, "total")
    assert data["inflow"] == today and data["target"]["total"] > 0
