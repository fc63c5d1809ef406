"""Exports: the workbook's formulas recompute in a formula engine, text is neutralised against
formula injection in xlsx and CSV, chart images render; the comparison rows."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile

import numpy as np
import openpyxl
import pytest

from model import parse_scenario, run_plan
from ui import compare, exports
from ui.state import default_scenario_file


def _sample() -> dict:
    return json.loads(default_scenario_file().read_text(encoding="utf-8-sig"))


def _simple() -> dict:
    """Total bookings target, rate mode, zero lags, no recycle, no opening stock: the case where
    the steady-state formulas and the model's exact solve agree."""
    return {
        "schema": 1,
        "name": "Simple",
        "start": "2027-04",
        "months": 12,
        "currency": "JPY",
        "stages": [
            {"key": "visitor", "owner": "marketing", "conversion": 0.02, "lag": 0},
            {"key": "lead", "owner": "marketing", "conversion": 0.3, "disqualify": 0.1, "lag": 0},
            {"key": "opportunity", "owner": "inside_sales", "conversion": 0.25, "lag": 0},
            {"key": "won", "owner": "field_sales"},
        ],
        "deal": {"size": 1_200_000},
        "inflow": 5000,
        "target": {"metric": "bookings", "total": 120_000_000},
    }


def _workbook(data: dict, tmp_path, lang: str = "en"):
    sc = parse_scenario(data)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(exports.workbook_bytes(sc, run_plan(sc), data, lang))
    return path


def _cells(path) -> tuple[dict[str, str], dict[str, int], str, str]:
    """Assumption key -> value cell; stage key -> Reverse row; the two sheet names."""
    wb = openpyxl.load_workbook(path)
    a, r = wb.worksheets[0], wb.worksheets[1]
    inputs = {row[1].value: row[2].coordinate for row in a.iter_rows(min_row=2) if row[1].value}
    stages = {row[1].value: row[1].row for row in r.iter_rows(min_row=1) if row[1].value}
    return inputs, stages, a.title, r.title


def _calculate(path, changes: dict[str, float], outputs: list[str]) -> dict[str, float]:
    """Recalculate the workbook in the ``formulas`` engine with input cells changed."""
    import formulas

    model = formulas.ExcelModel().loads(str(path)).finish()
    book = path.name
    ref = lambda sheet, cell: f"'[{book}]{sheet.upper()}'!{cell}"  # noqa: E731
    sol = model.calculate(
        inputs={ref(s, c): v for (s, c), v in changes.items()},
        outputs=[ref(s, c) for s, c in outputs],
    )
    return {(s, c): float(np.asarray(sol[ref(s, c)].value).ravel()[0]) for s, c in outputs}


def test_changing_a_conversion_in_excel_recomputes_the_required_leads_exactly(tmp_path):
    data = _simple()
    path = _workbook(data, tmp_path)
    inputs, stages, a_sheet, r_sheet = _cells(path)
    leads_cell = ("reverse", f"G{stages['lead']}")
    visitors_cell = ("reverse", f"G{stages['visitor']}")
    new_rate = 0.35  # leads -> opportunities, from 0.30
    conv_cell = (a_sheet, inputs["stages.lead.conversion"])
    sol = _calculate(
        path,
        {conv_cell: new_rate},
        [(r_sheet, leads_cell[1]), (r_sheet, visitors_cell[1]), (r_sheet, f"F{stages['lead']}")],
    )
    # independently: wins per month = 120M / 1.2M / 12; leads = wins / 0.25 / 0.35
    wins = 120_000_000 / 1_200_000 / 12
    assert sol[(r_sheet, leads_cell[1])] == pytest.approx(wins / 0.25 / new_rate, rel=1e-12)
    assert sol[(r_sheet, f"F{stages['lead']}")] == pytest.approx(wins / 0.25 / new_rate)
    assert sol[(r_sheet, visitors_cell[1])] == pytest.approx(wins / 0.25 / new_rate / 0.02)
    # and the model's exact solve with the same change agrees (zero lags, no recycle)
    changed = copy.deepcopy(data)
    changed["stages"][1]["conversion"] = new_rate
    plan = run_plan(parse_scenario(changed))
    leads_model = float(plan.stage_series("lead", "arrivals").mean())
    assert sol[(r_sheet, leads_cell[1])] == pytest.approx(leads_model, rel=1e-9)
    # the cached values Excel shows before recalculating are the original plan's
    cached = openpyxl.load_workbook(path, data_only=True).worksheets[1]
    assert cached[leads_cell[1]].value == pytest.approx(wins / 0.25 / 0.30)
    assert cached[f"H{stages['lead']}"].value == pytest.approx(wins / 0.25 / 0.30, rel=1e-9)


def test_recycle_adjusted_formula_recomputes_with_a_changed_rate(tmp_path):
    """The sample (recycle into leads, rate mode): the formula engine's inflow and leads equal
    the steady-state relation computed here from the scenario's numbers."""
    data = _sample()
    path = _workbook(data, tmp_path)
    inputs, stages, a_sheet, r_sheet = _cells(path)
    st = {s["key"]: s for s in data["stages"]}
    base = lambda v: v["base"] if isinstance(v, dict) else v  # noqa: E731
    new_win_rate = 0.30
    sol = _calculate(
        path,
        {(a_sheet, inputs["stages.opportunity.conversion"]): new_win_rate},
        [(r_sheet, f"G{stages['lead']}"), (r_sheet, f"G{stages['visitor']}")],
    )
    wins = data["target"]["total"] / base(data["deal"]["size"]) / data["months"]
    opp = wins / new_win_rate
    leads = opp / base(st["lead"]["conversion"])
    rho, e = data["recycle"]["reactivation"], data["recycle"]["expiry"]
    f = rho / (rho + e - rho * e)
    back = f * (st["lead"]["recycle"] * leads + st["opportunity"]["recycle"] * opp)
    inflow = (leads - back) / base(st["visitor"]["conversion"])
    assert sol[(r_sheet, f"G{stages['lead']}")] == pytest.approx(leads, rel=1e-12)
    assert sol[(r_sheet, f"G{stages['visitor']}")] == pytest.approx(inflow, rel=1e-12)
    # the formula is steady state: the exact plan needs somewhat more (the pool fills up)
    plan = run_plan(parse_scenario(data))
    ss = exports.steady_state(exports.assumptions(parse_scenario(data), data, "en"), ("visitor",
                              "lead", "opportunity", "won"))  # fmt: skip
    assert ss.inflow < plan.required_inflow_per_month < ss.simple[0]


def test_workbook_sheets_and_inputs(tmp_path):
    data = _sample()
    path = _workbook(data, tmp_path, lang="ja")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["前提", "逆算", "月次プラン", "部門別目標", "売上", "体制"]
    inputs, stages, *_ = _cells(path)
    a = wb.worksheets[0]
    lead = next(s for s in data["stages"] if s["key"] == "lead")
    assert a[inputs["stages.lead.conversion"]].value == pytest.approx(lead["conversion"]["base"])
    assert a[inputs["deal.size"]].value == pytest.approx(2_123_000)
    assert a[inputs["customers.renewal_rate"]].value == pytest.approx(0.9178)
    assert a[inputs["recycle.reentry"]].value == "lead"
    monthly = wb.worksheets[2]
    assert [monthly.cell(r, 1).value for r in (13, 14)] == ["2027-03", None]  # 12 months
    assert monthly["A15"].value.startswith("各ステージのリードタイム")  # INT(lag), ...
    assert monthly["A16"].value == "リードタイム" and monthly["A20"].value == "期首残高"
    assert monthly["A22"].value.startswith("前提シートを参照する月ごとの数式")  # the notes
    assert monthly["A23"].value.startswith("流入(黄色)")  # the solved inflow: an input
    revenue = wb.worksheets[4]
    plan = run_plan(parse_scenario(data))
    assert revenue["E2"].value == "=IF('前提'!$C$10=\"subscription\",D2,C2)"
    cached = openpyxl.load_workbook(path, data_only=True).worksheets[4]
    assert cached["E2"].value == pytest.approx(plan.revenue[0])  # Excel shows before computing


def test_formula_injection_is_neutralised_in_xlsx_and_csv(tmp_path):
    for text, out in [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\0x", "'\0x"),
        ("plain", "plain"),
        ("", ""),
        (-5.0, -5.0),
        (None, None),
    ]:
        assert exports.safe_text(text) == out
    data = _simple()
    data["name"] = '=HYPERLINK("http://evil","x")'
    data["stages"][0]["label"] = "@evil"
    data["stages"][0]["key"] = "visitor"
    sc = parse_scenario(data)
    plan = run_plan(sc)
    wb = openpyxl.load_workbook(io.BytesIO(exports.workbook_bytes(sc, plan, data, "en")))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    texts = [c.value for c in cells if c.data_type == "s"]
    assert texts and all(not t.startswith(("=", "+", "-", "@", "\t", "\0")) for t in texts)
    assert '\'=HYPERLINK("http://evil","x")' in texts  # the name, as inert text
    # the only formulas are the workbook's own (the name reaches none: only Assumptions keys do)
    formulas = [c for c in cells if c.data_type == "f"]
    assert {c.parent.title for c in formulas} == {"Reverse", "Monthly plan", "Division targets",
                                                  "Revenue"}  # fmt: skip
    assert not any("evil" in c.value or "HYPERLINK" in c.value for c in formulas)
    # user text that does reach a sheet: the division table's stage label (CSV and xlsx)
    frame = exports.division_targets_table(sc, plan, "en")
    frame.loc[0, "Stage"] = "=cmd|' /C calc'!A0"
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(frame).decode("utf-8-sig"))))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert float(rows[1][2]) == pytest.approx(frame.iloc[0, 2])  # numbers stay numbers
    negative = exports.safe_frame(frame.assign(x=-3.5))
    assert negative["x"].tolist()[0] == -3.5
    # every CSV of the zip
    z = zipfile.ZipFile(io.BytesIO(exports.csv_zip(exports.tables(sc, plan, data, "ja"), "p")))
    assert sorted(z.namelist()) == sorted(f"p-{n}.csv" for n in exports.SHEETS)
    text = z.read("p-assumptions.csv").decode("utf-8-sig")
    assert "stages.lead.conversion" in text and "前提" not in text  # keys, Japanese labels
    assert "リード · 転換率" in text


def test_chart_images_render_with_japanese_labels():
    from ui import charts

    df = charts.long_frame(["4月", "5月"], {"売上": [1.0, 2.0]}, {"売上": ["1", "2"]})
    chart = charts.line_chart(df, "売上(円)")
    png = exports.chart_png(chart, "売上の推移", scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    svg = exports.chart_svg(chart, "売上の推移")
    assert svg.lstrip().startswith("<svg") and "売上の推移" in svg


def test_file_stem():
    assert exports.file_stem("FY27 plan / v2") == "FY27-plan-v2"
    assert exports.file_stem("計画 2027") == "計画-2027"
    assert exports.file_stem("../..") == "plan"


# ----- the comparison rows ------------------------------------------------------------------------
def _entries():
    a = _simple()
    b = copy.deepcopy(a)
    b["target"]["total"] = 240_000_000
    b["start"] = "2027-05"
    plans = [(lbl, parse_scenario(d)) for lbl, d in (("A", a), ("B", b))]
    return [compare.Entry(lbl, sc, run_plan(sc), 0.5) for lbl, sc in plans]


def test_key_figures_and_differences():
    entries = _entries()
    fig = compare.key_figures(entries)
    assert list(fig.index) == list(compare.FIGURES)
    assert fig.loc["target", "A"] == 120_000_000 and fig.loc["target", "B"] == 240_000_000
    assert fig.loc["wins", "B"] == pytest.approx(200)
    assert fig.loc["required_leads", "A"] == pytest.approx(100 / 12 / 0.25 / 0.3)
    assert fig.loc["required_inflow", "B"] == pytest.approx(2 * fig.loc["required_inflow", "A"])
    diff = compare.differences(fig)
    assert list(diff.columns) == ["B"] and diff.loc["bookings", "B"] == pytest.approx(120_000_000)


def test_division_targets_and_monthly_rows():
    entries = _entries()
    div = compare.division_targets(entries)
    assert list(div.index) == [("marketing", "visitor"), ("marketing", "lead"),
                               ("inside_sales", "opportunity"), ("field_sales", "won")]  # fmt: skip
    assert div.loc[("field_sales", "won"), "B"] == pytest.approx(200 / 12)
    m = compare.monthly(entries, "leads")
    assert m["month"].tolist() == sorted(m["month"]) and m["month"].iloc[0] == "2027-04"
    assert set(m["series"]) == {"A", "B"} and len(m) == 24
    assert m[m.series == "A"]["value"].sum() == pytest.approx(100 / 0.25 / 0.3)


def test_readable_diff():
    """A diff in words and units, what changed first (the target, then the funnel from the
    top), the JSON path last: it showed 0.265 for a conversion and the path first."""
    from ui.common import Fmt

    rows = [
        {"path": "deal.size.base", "a": 2_000_000, "b": 2_100_000},
        {"path": "custom.thing", "a": [1, 2], "b": {"x": 1}},
        {"path": "stages[lead].conversion", "a": 0.3, "b": 0.35},
        {"path": "stages[lead].lag", "a": 1.0, "b": 1.5},
        {"path": "target.total", "a": 1e9, "b": None},
        {"path": "opening.lead", "a": 4528.0, "b": 4600.0},
    ]
    df = compare.readable_diff(rows, Fmt("en", "JPY"), "bookings")
    assert list(df.columns) == ["parameter", "old", "new", "path"]
    assert df["parameter"].tolist() == [
        "Target · Annual total",
        "Leads · Conversion",
        "Leads · Lead time",
        "Opening stock · Leads",
        "Deal size · Target",
        "custom.thing",
    ]
    assert df["old"].tolist() == ["¥1B", "30.00%", "1 month", "4,528", "¥2M", "1, 2"]
    assert df["new"].tolist() == ["—", "35.00%", "1.5 months", "4,600", "¥2.1M", '{"x": 1}']
    ja = compare.readable_diff(rows[2:4], Fmt("ja", "JPY"))
    assert ja["new"].tolist() == ["35.00%", "1.5か月"]
    wins = compare.readable_diff([{"path": "target.total", "a": 4000, "b": 4200}], None, "wins")
    assert wins["new"].tolist() == ["4,200"]


def test_input_table_lines_up_what_differs_from_the_first():
    from ui.common import Fmt

    diffs = {
        "B": [{"path": "stages[lead].conversion", "a": 0.3, "b": 0.35},
              {"path": "name", "a": "A", "b": "B"}],
        "C": [{"path": "deal.size", "a": 2e6, "b": 2.5e6},
              {"path": "target.total", "a": 1e9, "b": 1.2e9}],
    }  # fmt: skip
    table = compare.input_table("A", diffs, Fmt("en", "JPY"), "bookings")
    assert table.index.tolist() == ["Target · Annual total", "Leads · Conversion", "Deal size"]
    assert table.to_dict("list") == {
        "A": ["¥1B", "30.00%", "¥2M"],
        "B": ["¥1B", "35.00%", "¥2M"],
        "C": ["¥1.2B", "30.00%", "¥2.5M"],
    }
    assert compare.input_table("A", {"B": [{"path": "notes.x", "a": 1, "b": 2}]}).empty


def test_the_workbook_and_the_csv_carry_asis_beside_tobe(scenario_json):
    """Issue 14: AsIs (the baseline built from data) beside ToBe (the plan), per division and
    stage, in the Excel export and the CSV: the rates in percent, the lead times in months."""
    import io

    import openpyxl

    from model import parse_scenario, run_plan

    plan_json = copy.deepcopy(scenario_json)
    lead = next(s for s in plan_json["stages"] if s["key"] == "lead")
    lead["conversion"]["base"] = 0.265
    scenario = parse_scenario(plan_json)
    plan = run_plan(scenario)
    book = exports.workbook_bytes(scenario, plan, plan_json, "en", scenario_json)
    ws = openpyxl.load_workbook(io.BytesIO(book), read_only=True)["AsIs vs ToBe"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head, body = rows[0], rows[1:]
    assert head[:6] == ["Division", "Stage", "Parameter", "Unit", "AsIs", "ToBe"]
    (conv,) = [r for r in body if r[1] == "Leads" and r[2] == "Conversion"]
    base = next(s for s in scenario_json["stages"] if s["key"] == "lead")["conversion"]["base"]
    assert conv[0] in ("Marketing", "Inside sales") and conv[3] == "%"
    assert conv[4] == pytest.approx(100 * base) and conv[5] == pytest.approx(26.5)
    assert conv[6] == pytest.approx(26.5 - 100 * base)
    (lag,) = [r for r in body if r[1] == "Leads" and r[2] == "Lead time"]
    assert lag[3] == "months"
    frames = exports.tables(scenario, plan, plan_json, "ja", scenario_json)
    assert "asis" in frames and frames["asis"].iloc[:, 0].tolist()[0] == "マーケティング"
    typed = copy.deepcopy(scenario_json)
    typed.pop("notes")  # a scenario not built from data has nothing to compare
    assert "asis" not in exports.tables(scenario, plan, plan_json, "en", typed)
