"""The tables behind the Scenarios page's downloads (ui.scenario_files), without a page: the
reverse calculation previewed as the workbook makes it, and the charts offered as images.

The simple funnel (zero lags, no recycle, no opening stock) is the case where the steady-state
formulas and the model's exact solve agree: 100 wins a year need 8 won deals, 33 opportunities,
111 leads and 5,556 visitors a month (100 / 12 / 0.25 / 0.3 / 0.02)."""

from __future__ import annotations

from model import parse_scenario, run_plan
from ui.common import Fmt
from ui.i18n import speaking
from ui.scenario_files import chart_series, reverse_preview

from .conftest import open_app
from .test_compare_tables import SIMPLE

PLAN_COLUMNS = ["Formula, no recycle", "Formula, with recycle", "Model (exact)"]


def _planned():
    sc = parse_scenario(SIMPLE)
    return sc, run_plan(sc)


def test_the_reverse_calculation_agrees_with_the_model_for_a_simple_funnel():
    sc, plan = _planned()
    table = reverse_preview(sc, plan, SIMPLE, "en", Fmt("en", "JPY"))
    assert list(table.columns) == PLAN_COLUMNS
    assert list(table.index) == ["Visitors", "Leads", "Opportunities", "Won deals",
                                 "Required new inflow per month"]  # fmt: skip
    for row, shown in zip(table.index, ("5,556", "111", "33", "8", "5,556"), strict=True):
        assert table.loc[row].tolist() == [shown] * 3, row


def test_the_reverse_calculation_in_japanese():
    sc, plan = _planned()
    with speaking("ja"):
        table = reverse_preview(sc, plan, SIMPLE, "ja", Fmt("ja", "JPY"))
    assert list(table.columns) == ["数式(リサイクルなし)", "数式(リサイクルあり)", "モデル(厳密)"]
    assert list(table.index)[-1] == "月あたりの必要な新規流入"
    assert table.loc["リード"].tolist() == ["111"] * 3


def test_the_charts_offered_as_images():
    sc, plan = _planned()
    series = chart_series(sc, plan)
    assert {k: (title, money) for k, (title, _, money) in series.items()} == {
        "revenue": ("Revenue", True),
        "bookings": ("Bookings", True),
        "leads": ("Leads (arrivals)", False),
    }
    assert list(series["bookings"][1]) == list(plan.bookings)
    assert [round(v, 3) for v in series["leads"][1]] == [111.111] * 12


def test_the_page_offers_every_file_in_order(tmp_path, monkeypatch):
    """On the page: the JSON export, the workbook, the CSV tables, the PDF and the two image
    formats, each under its own key; the reverse calculation of the default scenario shown."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    at = open_app(page="pages/scenarios.py")
    buttons = [(b.proto.id.rpartition("-")[2], b.proto.label) for b in at.get("download_button")]
    assert buttons == [
        ("scn.export.json", "Download JSON"),
        ("scn.dl.xlsx", "Excel workbook (.xlsx)"),
        ("scn.dl.csv", "CSV tables (.zip)"),
        ("scn.dl.pdf", "One-page summary (PDF)"),
        ("scn.dl.png", "PNG image"),
        ("scn.dl.svg", "SVG image"),
    ]
    (reverse,) = [d.value for d in at.dataframe if list(d.value.columns) == PLAN_COLUMNS]
    assert list(reverse.index)[-1] == "Required new inflow per month"
