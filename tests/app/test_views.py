"""Display rows derived from the plan (ui/views.py), checked against the model."""

import dataclasses

import pytest

from model import parse_scenario, run_plan
from model.uncertainty import sensitivity
from ui.common import Fmt
from ui.views import (
    bottleneck_sentence,
    effect_label,
    funnel_rows,
    mean_arrivals,
    tornado_rows,
    unreachable_ends,
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


def test_bottleneck_sentence_names_the_stage_whose_stretch_is_worth_the_most(plan):
    """The sample's bottleneck was visitor → lead by v1's +1 point (+44% on 2.26%); over the
    divisions' committed ranges it is the opportunity win rate, raised to its stretch."""
    sens = sensitivity(plan.scenario, plan)
    text = bottleneck_sentence(plan.scenario, sens, F)
    conv = plan.scenario.stage("opportunity").conversion
    eff = sens.effect("stages[opportunity].conversion")
    assert text == (
        f"The bottleneck is Opportunities → Won deals: its conversion raised from "
        f"{F.pct(conv.base)} to {F.pct(conv.high)} (its committed stretch) cuts the Visitors "
        f"required by {F.count(-eff.inflow_up)} a month, more than any other stage's."
    )
    assert "Visitors → Leads" not in text


def test_bottleneck_sentence_says_when_no_single_stage_stands_out(plan):
    sens = sensitivity(plan.scenario, plan)
    tie = dataclasses.replace(sens, bottleneck=None, close=("opportunity", "lead"))
    assert bottleneck_sentence(plan.scenario, tie, F) == (
        "No single stage stands out: Opportunities → Won deals and Leads → Opportunities are "
        "worth within 5% of each other with their conversion at its stretch (+10% where "
        "unranged)."
    )
    none = dataclasses.replace(sens, bottleneck=None, close=())
    assert bottleneck_sentence(plan.scenario, none, F) == (
        "No stage's conversion changes the plan: there is no bottleneck."
    )


def test_tornado_labels_say_how_each_row_was_moved(plan):
    sens = sensitivity(plan.scenario, plan)
    labels = {e.path: effect_label(plan.scenario, e, F) for e in sens.effects}
    conv, size = plan.scenario.stages[0].conversion, plan.scenario.deal.size
    assert conv.high < 0.1  # a low rate shows two decimals
    assert labels["stages[visitor].conversion"] == (
        f"Visitors · Conversion ({F.pct(conv.low, digits=2)} – {F.pct(conv.high, digits=2)})"
    )
    assert labels["deal.size"] == f"Deal size ({F.money(size.low)} – {F.money(size.high)})"
    assert labels["stages[lead].lag"].endswith("(±10%)")
    point = sensitivity(plan.scenario, plan, step="point")
    assert effect_label(plan.scenario, point.effect("stages[lead].conversion"), F).endswith(
        "(±1pt)"
    )


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
    # the page says so instead
    sens = dataclasses.replace(sensitivity(plan.scenario, plan), effects=(e, unreachable))
    assert unreachable_ends(plan.scenario, sens, F) == [
        f"Deal size at {F.money(unreachable.down)} puts the target out of reach at any inflow."
    ]
