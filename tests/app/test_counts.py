"""People and deals are whole: every count the pages show is a whole number, rounded by one
rule (ui.format.whole: the largest remainders up), and a row of months adds up on screen to
the total shown beside it."""

from __future__ import annotations

import copy
import math

from hypothesis import given
from hypothesis import strategies as st

from model import parse_scenario, run_plan
from tests.app.conftest import metric, open_app
from ui.format import whole

counts = st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=24)


@given(counts)
def test_whole_numbers_add_up_to_the_rounded_total(values):
    out = whole(values)
    assert all(isinstance(v, int) for v in out)
    assert sum(out) == round(sum(values))
    assert all(math.floor(x) <= v <= math.floor(x) + 1 for x, v in zip(values, out, strict=True))


def test_equal_months_differ_by_at_most_one():
    assert whole([4883.8] * 3) == [4884, 4884, 4883]
    assert whole([0.4, 0.4, 0.4]) == [1, 0, 0]


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("+", ""))


def test_the_plans_tables_show_whole_counts_that_add_up(scenario_json):
    at = open_app(page="pages/plan.py")
    plan = run_plan(parse_scenario(scenario_json))
    table = next(d.value for d in at.dataframe if "Total" in list(d.value.columns))
    assert len(table) == len(plan.arrivals)
    for i, (_, row) in enumerate(table.iterrows()):
        cells = list(row)
        assert not any("." in c for c in cells), cells  # no 4,883.8
        months, total = [_number(c) for c in cells[:-1]], _number(cells[-1])
        assert sum(months) == total == round(plan.arrivals[i].sum())


def test_wins_and_a_divisions_kpi_are_whole(scenario_json):
    at = open_app()
    data = copy.deepcopy(scenario_json)
    data.pop("target")  # the Overview's wins tile is for a plan without a target
    at.session_state["scenario_json"] = data
    at.run()
    wins = metric(at, "Wins").value
    assert "." not in wins
    plan = run_plan(parse_scenario(data))
    assert _number(wins) == round(plan.totals["wins"])
    at.switch_page("pages/divisions.py").run()
    kpis = [m.value for m in at.metric if m.label.startswith("KPI:")]
    assert kpis and not any("." in v for v in kpis)
