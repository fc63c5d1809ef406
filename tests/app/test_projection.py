"""Target vs projection on the Overview (issue 12): the metric to date, month by month, for the
plan and for today's inflow, the plan's P10–P90 band over the Monte Carlo draws, and the
target, all the model's figures."""

from __future__ import annotations

import copy
import json

import numpy as np
import pyarrow as pa
import pytest

from model import parse_scenario, run_plan
from model.uncertainty import monte_carlo
from tests.app.conftest import open_app


def _projection(at):
    """The chart's spec and its three layers' rows (band, lines, target)."""
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        layers = spec.get("layer", [])
        if len(layers) == 3 and layers[0]["mark"]["type"] == "area":
            data = {
                d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas()
                for d in chart.proto.datasets
            }
            return spec, [data[layer["data"]["name"]] for layer in layers]
    raise AssertionError("no projection chart on the page")


def test_the_overview_projects_the_plan_and_todays_inflow_against_the_target(scenario_json):
    at = open_app()
    (title,) = [s.value for s in at.subheader if s.value.startswith("Target vs projection")]
    assert title == "Target vs projection: Bookings to date"
    spec, (band, lines, goal) = _projection(at)
    colour = spec["layer"][1]["encoding"]["color"]["scale"]
    assert colour["domain"] == ["The plan", "At today's inflow", "Target"]
    assert spec["layer"][2]["mark"]["strokeDash"] == [6, 4]

    scenario = parse_scenario(scenario_json)
    plan = run_plan(scenario)
    fwd = copy.deepcopy(scenario_json)
    fwd.pop("target")
    now = run_plan(parse_scenario(fwd))
    got = {s: g["value"].to_numpy() for s, g in lines.groupby("series", sort=False)}
    np.testing.assert_allclose(got["The plan"], np.cumsum(plan.bookings), rtol=1e-12)
    np.testing.assert_allclose(got["At today's inflow"], np.cumsum(now.bookings), rtol=1e-12)
    assert got["The plan"][-1] == pytest.approx(scenario_json["target"]["total"], rel=1e-9)
    assert goal["value"].tolist() == [scenario_json["target"]["total"]] * len(plan.months)
    mc = monte_carlo(scenario, draws=2000, seed=0, plan=plan)  # the page's draws and seed
    np.testing.assert_allclose(band["p10"], mc.cumulative["bookings"][0], rtol=1e-12)
    np.testing.assert_allclose(band["p90"], mc.cumulative["bookings"][-1], rtol=1e-12)
    assert band["band_text"].iloc[0].startswith("the plan: ¥")


def test_a_monthly_target_adds_up_month_by_month(scenario_json):
    data = copy.deepcopy(scenario_json)
    data["target"] = {"metric": "wins", "monthly": [300.0] * 12}
    at = open_app("ja-JP")
    at.session_state["scenario_json"] = data
    at.run()
    assert not at.exception
    (title,) = [s.value for s in at.subheader if s.value.startswith("目標と見込み")]
    assert title == "目標と見込み:受注数の累計"
    _, (_, _, goal) = _projection(at)
    assert goal["value"].tolist() == [300.0 * (i + 1) for i in range(12)]
    assert goal["value_text"].iloc[-1] == "3,600"
