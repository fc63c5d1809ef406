"""AsIs beside ToBe (issue 14): the baseline's values beside the plan's, per stage and division,
with the change and whether the ToBe lies in the stage's historical range; on the Divisions
page for the sample company, whose scenario was built from its data with ranges."""

from __future__ import annotations

import copy
import json

import pytest

from db.sample import SAMPLE_SCENARIO
from tests.app.conftest import open_app
from ui.asis import asis_beside_tobe

SAMPLE = json.loads(SAMPLE_SCENARIO.read_text("utf-8"))


def test_a_plan_beside_the_baseline_it_was_built_from():
    plan = copy.deepcopy(SAMPLE)
    lead = next(s for s in plan["stages"] if s["key"] == "lead")
    before = lead["conversion"]
    lead["conversion"] = {**before, "base": 0.30, "high": 0.31}
    window, rows = asis_beside_tobe(SAMPLE, plan)
    assert window["window"] == SAMPLE["notes"]["baseline"]["window"]
    assert {r.stage for r in rows} == {s["key"] for s in SAMPLE["stages"][:-1]}
    conv = next(r for r in rows if (r.stage, r.field) == ("lead", "conversion"))
    assert (conv.division, conv.asis, conv.tobe) == ("marketing", before["base"], 0.30)
    assert conv.change == pytest.approx(0.30 - before["base"])
    assert conv.change_pct == pytest.approx(0.30 / before["base"] - 1)
    assert (conv.low, conv.high) == (before["low"], before["high"]) and conv.inside is False
    assert conv.items == SAMPLE["notes"]["baseline"]["stages"]["lead"]["used"]
    # an unchanged parameter: no change, inside its range when it has one
    same = [r for r in rows if (r.stage, r.field) != ("lead", "conversion")]
    assert all(r.change == 0 and r.inside in (True, None) for r in same)
    lag = next(r for r in rows if (r.stage, r.field) == ("lead", "lag"))
    assert lag.low is None and lag.inside is None  # the baseline records no range for a lag


def test_a_scenario_not_built_from_data_has_no_asis():
    plain = {k: v for k, v in SAMPLE.items() if k != "notes"}
    assert asis_beside_tobe(plain, SAMPLE) == ({}, [])


@pytest.mark.parametrize(
    ("locale", "asis", "inside"), [("en-US", "AsIs", "Yes"), ("ja-JP", "AsIs", "はい")]
)
def test_the_divisions_page_shows_asis_beside_tobe_for_each_division(locale, asis, inside):
    at = open_app(locale=locale, page="pages/divisions.py")
    tables = [df for df in at.dataframe if asis in df.value.columns]
    assert len(tables) == 2  # the divisions that own a stage before won: marketing, inside sales
    _, rows = asis_beside_tobe(SAMPLE, SAMPLE)
    shown = sum(len(df.value) for df in tables)
    assert shown == len(rows)
    first = tables[0].value
    assert set(first.iloc[:, -2]) <= {inside, "—"} and inside in set(first.iloc[:, -2])
