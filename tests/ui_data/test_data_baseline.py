"""ui.data_baseline: what a baseline built from the sample company shows (its parameters, what
they rest on, the backtest's charts and errors), and the backtest's cache key."""

from __future__ import annotations

import copy

import pytest

from db.backtest_errors import stage_errors
from ui.data_baseline import (
    backtest_columns,
    deal_size,
    params_columns,
    provenance_caption,
    provenance_columns,
    reasons_text,
    stage_chart_frame,
    stale_key,
)


def columns(cols) -> dict:
    return {label: list(values) for label, values, _ in cols}


def test_params_a_row_per_stage_with_outcomes(sample):
    sc = sample["scenario"]
    got = columns(params_columns(sc))
    assert got["Stage"] == ["Visitors", "Leads", "Opportunities"]  # not the terminal stage
    assert got["Conversion"] == pytest.approx([s["conversion"] * 100 for s in sc["stages"][:-1]])
    assert got["Lead time (months)"] == [s["lag"] for s in sc["stages"][:-1]]


def test_a_conversion_with_a_range_shows_its_base():
    sc = {"stages": [{"key": "lead", "conversion": {"low": 0.1, "base": 0.2, "high": 0.3},
                      "disqualify": 0.1, "recycle": 0.0, "lag": 1.5}, {"key": "won"}]}  # fmt: skip
    got = columns(params_columns(sc))
    assert got["Conversion"] == [20.0] and got["Disqualify"] == [10.0]


def test_provenance_per_stage_and_its_caption(sample, F):
    sc = copy.deepcopy(sample["scenario"])
    notes = sc["notes"]["baseline"]
    got = columns(provenance_columns(sc))
    assert got["Used"] == [float(notes["stages"][k]["used"]) for k in ("visitor", "lead",
                                                                      "opportunity")]  # fmt: skip
    assert got["Stale after (mo.)"] == [None, 4, 8]
    assert "Stale, set aside" in got
    assert "set aside" in provenance_caption(sc, F) and "left out" not in provenance_caption(sc, F)
    notes["stale_as_lost"] = True
    notes["stages"]["lead"]["left_out"] = 3
    assert "Stale, lost" in columns(provenance_columns(sc))
    caption = provenance_caption(sc, F)
    assert "counted as lost" in caption and "3 item(s) resolved before they entered" in caption
    notes.pop("data_end")
    assert "—" in provenance_caption(sc, F)


def test_deal_size_with_or_without_a_range():
    assert deal_size({"deal": {"size": {"low": 1, "base": 2, "high": 3}}}) == 2
    assert deal_size({"deal": {"size": 5}}) == 5


def test_stale_key_sorted_without_automatic_stages(sample):
    sc = sample["scenario"]
    assert stale_key(sc, False) == ((("lead", 4), ("opportunity", 8)), False)
    assert stale_key(sc, 1) == ((("lead", 4), ("opportunity", 8)), True)


def test_backtest_charts_and_table(sample, F):
    bt = sample["backtest"]
    verdict = sample["scenario"]["notes"]["baseline"]["backtest"]
    lead = bt[bt["stage"] == "lead"]
    frame = stage_chart_frame(lead, F)
    assert len(frame) == 2 * len(lead)
    assert list(dict.fromkeys(frame["series"])) == ["Actual", "Planned"]
    assert frame["value_text"].iloc[0] == F.count(lead["actual"].iloc[0], digits=1)
    got = columns(backtest_columns(bt, verdict, F))
    assert got["Stage"] == ["Visitors", "Leads", "Opportunities", "Won deals"]
    assert got["Verdict"] == ["Input (actual inflow)", "Trusted", "Trusted", "Not trusted"]
    err = stage_errors(bt)
    assert got["Error (WAPE)"] == pytest.approx(list(err["wape"] * 100))
    assert got["Total error"][1] == pytest.approx(verdict["stages"]["lead"]["total_error"] * 100)
    text = reasons_text(verdict)
    assert text.startswith("**Not trusted.**")
    assert text.count("\n- ") == 1 and "Won deals" in text
