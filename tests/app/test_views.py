"""Display rows derived from the plan (ui/views.py), checked against the model."""

import numpy as np
import pytest

from model import parse_scenario, run_plan
from model.uncertainty import sensitivity
from ui.common import Fmt
from ui.views import bottleneck_sentence, customer_flows, funnel_rows, where_stock_piles

F = Fmt("en", "JPY")


@pytest.fixture
def plan(scenario_json):
    return run_plan(parse_scenario(scenario_json))


def test_customer_flows_rebuild_mrr_and_customers(plan):
    """MRR(t) = MRR(t−1) + new + expansion + churn, and the same for customers, reproduce the
    model's series (spec section 3)."""
    s = plan.scenario
    f = customer_flows(s, plan)
    mrr = np.concatenate(
        [[plan.mrr[0]], plan.mrr[:-1] + (f.mrr_new + f.mrr_expansion + f.mrr_churn)[1:]]
    )
    np.testing.assert_allclose(mrr, plan.mrr, rtol=1e-9)
    cust = np.concatenate(
        [[plan.customers[0]], plan.customers[:-1] + (f.new_customers - f.churned)[1:]]
    )
    np.testing.assert_allclose(cust, plan.customers, rtol=1e-9)
    r = s.customers.renewal_rate
    e = s.customers.expansion_rate
    assert f.grr == pytest.approx(r)
    assert f.nrr == pytest.approx(r * (1 + e))
    q = r ** (1 / 12)
    assert f.ltv == pytest.approx(s.deal.size.base / 12 / (1 - q))


def test_one_time_has_no_mrr(scenario_json):
    scenario_json["deal"]["revenue"] = "one_time"
    plan = run_plan(parse_scenario(scenario_json))
    f = customer_flows(plan.scenario, plan)
    assert not f.mrr_new.any() and f.ltv == pytest.approx(plan.scenario.deal.size.base)
    cust = plan.customers[:-1] + (f.new_customers - f.churned)[1:]
    np.testing.assert_allclose(cust, plan.customers[1:], rtol=1e-9)


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
