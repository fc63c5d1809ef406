"""Display rows derived from the plan (ui/views.py), checked against the model."""

import pytest

from model import parse_scenario, run_plan
from model.uncertainty import sensitivity
from ui.common import Fmt
from ui.views import bottleneck_sentence, funnel_rows, mean_arrivals, where_stock_piles

F = Fmt("en", "JPY")


@pytest.fixture
def plan(scenario_json):
    return run_plan(parse_scenario(scenario_json))


def test_funnel_rows_follow_the_plan(plan):
    names, totals, texts, conv = funnel_rows(plan.scenario, plan, F)
    assert names[0] == "Visitors" and conv[-1] == ""
    assert totals == pytest.approx(plan.arrivals.sum(axis=1).tolist())
    assert texts[-1] == F.count(plan.wins.sum())


def test_bottleneck_sentence_names_the_model_bottleneck(plan):
    sens = sensitivity(plan.scenario, plan)
    text = bottleneck_sentence(plan.scenario, sens, F)
    eff = next(e for e in sens.effects if e.name == "conversion" and e.stage == sens.bottleneck)
    assert F.count(-eff.inflow_up) in text
    assert {"visitor": "Visitors", "lead": "Leads", "opportunity": "Opportunities"}[
        sens.bottleneck
    ] in text


def test_where_stock_piles(plan):
    key, end, ratio = where_stock_piles(plan.scenario, plan)
    i = plan.stage_keys.index(key)
    assert end == pytest.approx(plan.stock[i][-1])
    assert ratio == pytest.approx(plan.stock[i][-1] / plan.arrivals[i].mean())


def test_mean_arrivals(plan):
    i = plan.stage_keys.index("lead")
    assert mean_arrivals(plan, "lead") == pytest.approx(plan.arrivals[i].mean())
    assert mean_arrivals(plan, "no_such_stage") is None
    assert mean_arrivals(None, "lead") is None
