"""The revenue bridge on Customer success (issue 12): opening MRR + new + expansion − churn =
closing MRR, for the plan's horizon (a waterfall) and month by month (a table), the model's
figures, in both languages."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from model import parse_scenario, run_plan
from model.customers import customer_flows
from tests.app.conftest import open_app
from ui.common import Fmt

PAGE = "pages/customers.py"


def _waterfall(at):
    for chart in at.get("vega_lite_chart"):
        for d in chart.proto.datasets:
            frame = pa.ipc.open_stream(d.data.data).read_all().to_pandas()
            if "colour" in frame and "start" in frame:
                return frame
    raise AssertionError("no waterfall on the page")


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ja-JP", "ja")])
def test_the_bridge_adds_up_to_the_closing_mrr(scenario_json, locale, lang):
    at = open_app(locale, page=PAGE)
    scenario = parse_scenario(scenario_json)
    plan = run_plan(scenario)
    flows = customer_flows(scenario, plan)
    bars = _waterfall(at)
    assert bars["key"].tolist() == ["opening", "new", "expansion", "churn", "closing"]
    value = dict(zip(bars["key"], bars["value"], strict=True))
    assert value["opening"] == scenario_json["customers"]["opening_mrr"]
    assert value["new"] == pytest.approx(flows.mrr_new.sum(), rel=1e-12)
    assert value["churn"] == pytest.approx(flows.mrr_churn.sum(), rel=1e-12) and value["churn"] < 0
    assert value["closing"] == pytest.approx(plan.mrr[-1], rel=1e-12)
    steps = value["opening"] + value["new"] + value["expansion"] + value["churn"]
    assert steps == pytest.approx(value["closing"], rel=1e-12)
    F = Fmt(lang, "JPY")
    assert bars["value_text"].tolist()[1] == F.money(flows.mrr_new.sum(), signed=True)
    table = next(d.value for d in at.dataframe if len(d.value.columns) == len(plan.months))
    assert table.iloc[-1].tolist() == [F.money(v) for v in plan.mrr]  # each month's closing
    assert table.iloc[0, 1] == F.money(plan.mrr[0])  # opening of month 2: month 1's closing


def test_a_total_is_a_mark_at_its_value_not_a_bar_from_the_axis_edge():
    """The waterfall's axis does not start at zero (the moves are small beside the totals); a
    total drawn as a bar from its edge was not to scale (¥9.3B a quarter as long as ¥16.2B)."""
    from ui.actuals import BridgeRow, bridge_frame, waterfall_chart

    rows = [BridgeRow("opening", "total", 9.3e9, 0.0, 9.3e9, None),
            BridgeRow("new", "effect", 6.9e9, 9.3e9, 16.2e9, None),
            BridgeRow("closing", "total", 16.2e9, 0.0, 16.2e9, None)]  # fmt: skip
    spec = waterfall_chart(bridge_frame(rows, ["a", "b", "c"], ["", "", ""]), "MRR", "datum.value")
    bars, totals, _ = spec.to_dict()["layer"]
    assert bars["mark"]["type"] == "bar" and bars["transform"][0]["filter"] == (
        "datum.colour != 'total'"
    )
    assert totals["mark"]["type"] == "tick" and totals["encoding"]["x"]["field"] == "end"
    assert "x2" not in totals["encoding"]


def test_month_zeros_new_customers_are_not_counted_twice_without_onboarding(scenario_json):
    """With no onboarding delay month 0's wins are billed in month 0, so its MRR already holds
    them: the opening is the MRR before the plan, and opening + moves = closing, overall and in
    month 0 (the opening was month 0's MRR, and the bridge overshot by month 0's new MRR)."""
    import copy

    from ui.revenue_bridge import opening_mrr, revenue_bridge_rows

    data = copy.deepcopy(scenario_json)
    data["deal"]["onboarding_months"] = 0
    scenario = parse_scenario(data)
    plan = run_plan(scenario)
    flows = customer_flows(scenario, plan)
    assert flows.mrr_new[0] > 0
    rows = revenue_bridge_rows(scenario, plan)
    assert math.isclose(rows[-2].end, rows[-1].value, rel_tol=1e-12)  # the moves reach closing
    first = opening_mrr(plan, flows) + flows.mrr_new[0] + flows.mrr_expansion[0]
    assert math.isclose(first + flows.mrr_churn[0], plan.mrr[0], rel_tol=1e-12)
