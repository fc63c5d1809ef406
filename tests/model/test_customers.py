"""The customer base's movements (model/customers.py), checked against the plan's series."""

import json

import numpy as np
import pytest

from model import parse_scenario, run_plan
from model.customers import customer_flows
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "fy2027-plan.json"


@pytest.fixture
def scenario_json() -> dict:
    return json.loads(EXAMPLE.read_text("utf-8"))


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
