"""The Compare tab's tables in words and units (ui.compare), without a page: key figures and
their differences, the divisions' targets, the months overlaid and the bars of the bridge.

The numbers are the simple funnel's, by hand: 120 M¥ at 1.2 M¥ a deal is 100 wins a year, so
100 / 12 / 0.25 opportunities and / 0.3 leads a month (111), / 0.02 visitors (5,556)."""

from __future__ import annotations

import copy

import pytest

from model import parse_scenario, run_plan
from ui import compare
from ui.common import Fmt
from ui.i18n import speaking

F = Fmt("en", "JPY")
SIMPLE = {
    "schema": 1, "name": "Simple", "start": "2027-04", "months": 12, "currency": "JPY",
    "stages": [
        {"key": "visitor", "owner": "marketing", "conversion": 0.02, "lag": 0},
        {"key": "lead", "owner": "marketing", "conversion": 0.3, "disqualify": 0.1, "lag": 0},
        {"key": "opportunity", "owner": "inside_sales", "conversion": 0.25, "lag": 0},
        {"key": "won", "owner": "field_sales"},
    ],
    "deal": {"size": 1_200_000}, "inflow": 5000,
    "target": {"metric": "bookings", "total": 120_000_000},
}  # fmt: skip


def _entry(label: str, data: dict, confidence=None, run_rate=None) -> compare.Entry:
    sc = parse_scenario(data)
    return compare.Entry(label, sc, run_plan(sc), confidence, run_rate)


def _pair() -> list[compare.Entry]:
    b = copy.deepcopy(SIMPLE)
    b["target"]["total"] = 240_000_000
    b["deal"]["size"] = 1_500_000
    return [_entry("A", SIMPLE, 0.5, 0.25), _entry("B", b, 0.8)]


def _with_qualified() -> dict:
    c = copy.deepcopy(SIMPLE)
    c["stages"].insert(2, {"key": "mql", "label": "Qualified", "owner": "inside_sales",
                           "conversion": 0.5, "lag": 0})  # fmt: skip
    return c


def test_key_figures_in_units_with_the_differences_from_the_first():
    table = compare.key_figures_table(_pair(), F)
    assert list(table.columns) == ["A", "B", "Δ B"]
    assert table.to_dict("index") == {
        "Target": {"A": "¥120M", "B": "¥240M", "Δ B": "+¥120M"},
        "Visitors required per month": {"A": "5,556", "B": "8,889", "Δ B": "+3,333"},
        "Leads required per month": {"A": "111", "B": "178", "Δ B": "+67"},
        "Wins": {"A": "100", "B": "160", "Δ B": "+60"},
        "Bookings": {"A": "¥120M", "B": "¥240M", "Δ B": "+¥120M"},
        "Revenue": {"A": "¥120M", "B": "¥240M", "Δ B": "+¥120M"},
        "Plan's confidence": {"A": "50%", "B": "80%", "Δ B": "+30.0pt"},
        "Chance at today's inflow": {"A": "25%", "B": "—", "Δ B": "—"},  # none for B
    }


def test_key_figures_in_japanese():
    with speaking("ja"):
        table = compare.key_figures_table(_pair(), Fmt("ja", "JPY"))
    assert table.loc["目標"].tolist() == ["1.2億円", "2.4億円", "+1.2億円"]
    assert table.loc["計画の達成確度", "Δ B"] == "+30.0ポイント"


@pytest.mark.parametrize(
    ("fig", "x", "signed", "metric", "shown"),
    [
        ("target", 100.0, False, "wins", "100"),  # a target in wins is a count
        ("target", 1.2e8, True, "bookings", "+¥120M"),
        ("required_inflow", 5555.6, False, "", "5,556"),
        ("confidence", 0.905, False, "", "90%"),
        ("run_rate_chance", -0.1, True, "", "-10.0pt"),
        ("wins", float("nan"), False, "", "—"),
    ],
)
def test_a_key_figure_reads_in_its_unit(fig, x, signed, metric, shown):
    assert compare.figure_text(fig, x, F, signed, metric) == shown


def test_division_targets_name_the_stages_as_the_first_scenario_does():
    assert compare.division_table(_pair(), F).to_dict("index") == {
        "Marketing · Visitors": {"A": "5,556", "B": "8,889"},
        "Marketing · Leads": {"A": "111", "B": "178"},
        "Inside sales · Opportunities": {"A": "33", "B": "53"},
        "Field sales · Won deals": {"A": "8", "B": "13"},
    }
    c, a = _entry("C", _with_qualified()), _entry("A", SIMPLE)
    table = compare.division_table([c, a], F)
    assert table.loc["Inside sales · Qualified"].tolist() == ["67", "—"]  # its label in C
    assert "Inside sales · mql" in compare.division_table([a, c], F).index  # A has no mql


def test_the_months_overlaid_in_words():
    df = compare.monthly_frame(_pair(), "revenue", F, money=True)
    assert df.head(2).to_dict("list") == {
        "month": ["Apr 27", "Apr 27"], "series": ["A", "B"], "order": [0, 1],
        "value": [10_000_000.0, 20_000_000.0], "value_text": ["¥10M", "¥20M"],
    }  # fmt: skip
    leads = compare.monthly_frame(_pair(), "leads", F, money=False)
    assert leads["value_text"].tolist()[:2] == ["111", "178"]
    assert len(leads) == 24


def test_the_bridge_from_a_to_b_adds_up_and_names_its_ends():
    a, b = _pair()
    bars = compare.bridge_table(a, b, F)
    value = dict(zip(bars["key"], bars["value"], strict=True))
    text = dict(zip(bars["key"], bars["value_text"], strict=True))
    label = dict(zip(bars["key"], bars["label"], strict=True))
    assert value["plan"] == pytest.approx(120e6) and value["actual"] == pytest.approx(240e6)
    assert text["plan"] == "¥120M" and text["deal_size"] == "+¥39M"  # a move is signed
    assert value["rates:lead"] == 0 and value["residual"] == pytest.approx(0, abs=1e-3)
    moves = sum(v for k, v in value.items() if k not in ("plan", "actual"))
    assert value["plan"] + moves == pytest.approx(value["actual"])
    assert (label["plan"], label["actual"]) == ("A", "B")
    assert label["residual"] == "Other differences (opening stock, recycle pool)"


def test_scenarios_with_other_stages_have_no_bridge():
    assert compare.bridge_table(_entry("A", SIMPLE), _entry("C", _with_qualified()), F) is None
