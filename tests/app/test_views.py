"""Display rows derived from the plan (ui/views.py), checked against the model."""

import dataclasses

import pytest

from model import parse_scenario, run_plan
from model.uncertainty import sensitivity
from ui.common import Fmt
from ui.views import (
    bottleneck_sentence,
    funnel_rows,
    mean_arrivals,
    tornado_rows,
    where_stock_piles,
)

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


def test_tornado_rows_keep_the_finite_nonzero_effects_sorted_and_formatted(plan):
    effects = list(sensitivity(plan.scenario, plan).effects)
    names = [f"{e.path} {i}" for i, e in enumerate(effects)]
    highlight = [i == 0 for i in range(len(effects))]
    for measure, text in (("bookings", F.money), ("inflow", F.count)):
        df = tornado_rows(effects, names, highlight, measure, F)
        kept = [
            (n, e)
            for n, e in zip(names, effects, strict=True)
            if 0 < e.span(measure) < float("inf")
        ]
        assert sorted(df["name"]) == sorted(n for n, _ in kept)
        assert list(df["span"]) == sorted(df["span"], reverse=True)
        for n, e in kept:
            row = df[df["name"] == n].iloc[0]
            assert row["down"] == getattr(e, f"{measure}_down")
            assert row["up_text"] == text(getattr(e, f"{measure}_up"), signed=True)


def test_tornado_rows_leave_out_an_unreachable_target(plan):
    e = next(iter(sensitivity(plan.scenario, plan).effects))
    unreachable = dataclasses.replace(e, inflow_down=float("inf"))
    df = tornado_rows([e, unreachable], ["a", "b"], [False, False], "inflow", F)
    assert list(df["name"]) == ["a"]
