"""Goal seek on the Plan page (spec section 10): with today's inflow, the value of a chosen
lever that meets the target is the model's, and using it closes the gap on the Overview."""

from __future__ import annotations

import copy

import pytest

from model import parse_scenario
from model.seek import goal_seek
from tests.app.conftest import metric, open_app
from ui.common import Fmt

EN = Fmt("en", "JPY")
PAGE = "pages/plan.py"


def test_the_page_offers_the_scenarios_levers_and_shows_the_models_answer(scenario_json):
    at = open_app(page=PAGE)
    box = at.selectbox(key="plan.seek.lever")
    assert box.options == [
        "Visitors · Conversion", "Leads · Conversion", "Opportunities · Conversion",
        "Deal size", "Reactivation (per month)",
    ]  # fmt: skip
    scenario = parse_scenario(scenario_json)
    for path, label in [
        ("stages.opportunity.conversion", "Opportunities · Conversion"),
        ("deal.size", "Deal size"),
    ]:
        box = at.selectbox(key="plan.seek.lever")
        box.set_value(path).run()
        box = at.selectbox(key="plan.seek.lever")
        assert box.format_func(box.value) == label
        answer = goal_seek(scenario, path)
        shown = EN.money(answer.value) if path == "deal.size" else EN.pct(answer.value, digits=2)
        tile = metric(at, "Needed to meet the target")
        assert tile.value == shown
        base = EN.money(answer.base) if path == "deal.size" else EN.pct(answer.base, digits=2)
        assert tile.delta == f"today {base}"
        assert at.button(key="plan.seek.apply").label == f"Use {shown} in the plan"


def test_nothing_is_sought_until_a_lever_is_chosen(monkeypatch):
    """A seek was a third of a Plan rerun's CPU for every slider move of every session, wanted
    or not (bench/bench_load.py): the page asks for a lever first, then seeks that one."""
    import ui.seek

    calls = []
    real = ui.seek.goal_seek
    monkeypatch.setattr(ui.seek, "goal_seek", lambda *a: calls.append(a[1]) or real(*a))
    ui.seek._seek.clear()
    at = open_app(page=PAGE)
    box = at.selectbox(key="plan.seek.lever")
    assert box.value is None and box.placeholder == "Choose a lever"
    assert not [m for m in at.metric if m.label == "Needed to meet the target"]
    assert any("the value that meets the target appears here" in c.value for c in at.caption)
    at.slider(key="plan.stage.opportunity.conversion").set_value(30.0).run()
    assert calls == []
    at.selectbox(key="plan.seek.lever").set_value("deal.size").run()
    assert calls == ["deal.size"] and metric(at, "Needed to meet the target")


def test_using_the_answer_closes_the_gap_at_todays_inflow(scenario_json):
    at = open_app(page=PAGE)
    at.selectbox(key="plan.seek.lever").set_value("stages.lead.conversion").run()
    answer = goal_seek(parse_scenario(scenario_json), "stages.lead.conversion")
    at.button(key="plan.seek.apply").click().run()
    assert not at.exception and not at.error
    lead = next(s for s in at.session_state["scenario_json"]["stages"] if s["key"] == "lead")
    assert lead["conversion"]["base"] == pytest.approx(answer.value, rel=1e-12)
    at.switch_page("pages/overview.py").run()
    gap = metric(at, "Gap to target").value
    assert gap in ("¥0", "+¥0"), gap


def test_a_lever_that_cannot_close_the_gap_says_why(scenario_json):
    data = copy.deepcopy(scenario_json)
    data["target"]["total"] *= 50  # far beyond any one lever at today's inflow
    at = open_app(page=PAGE)
    at.session_state["scenario_json"] = data
    at.run()
    at.selectbox(key="plan.seek.lever").set_value("stages.visitor.conversion").run()
    assert not at.exception
    (info,) = [i.value for i in at.info if i.value.startswith("This lever cannot close the gap")]
    assert "reaches the target" in info
    assert not [m for m in at.metric if m.label == "Needed to meet the target"]
