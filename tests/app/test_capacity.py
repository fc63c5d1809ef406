"""Capacity, hiring and cost (spec section 8) in the app: the Capacity page shows the model's
figures in both languages, its inputs edit the scenario, the Divisions and Overview pages show
their capacity figure, and the exports carry section 8 (live formulas in the workbook, rows in
the CSV)."""

from __future__ import annotations

import copy
import io
import zipfile

import pandas as pd
import pytest

from model import parse_scenario, run_plan
from model.capacity import capacity_plan
from model.scenario import DIVISIONS
from tests.app.conftest import metric, open_app
from tests.app.test_exports import _calculate, _simple
from ui import capacity as cap
from ui import exports
from ui.common import Fmt
from ui.i18n import translate

EN = Fmt("en", "JPY")
JA = Fmt("ja", "JPY")
PAGE = "pages/capacity.py"


def tr(key, lang="en", **kw):
    return translate(key, lang, **kw)


def section8(data):
    scenario = parse_scenario(copy.deepcopy(data))
    plan = run_plan(scenario)
    return scenario, plan, capacity_plan(plan)


def ordered(scenario):
    return [d for d in DIVISIONS if d in dict(scenario.capacity or ())]


def ceiling_sentence(plan, cp, F, lang="en"):
    c = cp.ceiling
    return tr(
        "capacity.ceiling",
        lang,
        bookings=F.money(c.bookings),
        inflow=F.count(c.inflow),
        stage=tr("stage.visitor", lang),
        division=tr(f"division.{c.division}", lang),
        month=F.month(plan.months[c.month]),
    )


def values(at, label):
    return [m.value for m in at.metric if m.label == label]


def test_the_sample_has_a_team_and_costs_from_its_marketing_spend(scenario_json):
    assert list(scenario_json["capacity"]) == list(DIVISIONS)
    spend = scenario_json["notes"]["costs"]
    assert spend["window"] == ["2025-04", "2026-03"] and spend["months"] == 12
    assert "paid_search" in spend["sources"]
    # the window's spend per month over the window's mean monthly visitors
    assert scenario_json["costs"]["per_inflow"] == pytest.approx(
        spend["spend"] / 12 / scenario_json["inflow"], abs=0.005
    )


def test_capacity_page_shows_the_models_figures_in_both_languages(scenario_json):
    at = open_app(page=PAGE)
    assert not at.exception
    scenario, plan, cp = section8(scenario_json)
    assert at.title[0].value == "Capacity and hiring plan"
    # the ceiling in one sentence, and the plan above it: inside sales binds in March 2027
    assert cp.ceiling.division == "inside_sales" and plan.months[cp.ceiling.month] == "2027-03"
    assert ceiling_sentence(plan, cp, EN) in [m.value for m in at.markdown]
    bookings = plan.totals["bookings"]
    assert bookings > cp.ceiling.bookings
    assert [e.value for e in at.error] == [
        tr(
            "capacity.over_ceiling",
            plan=EN.money(bookings),
            ceiling=EN.money(cp.ceiling.bookings),
            gap=EN.money(bookings - cp.ceiling.bookings),
        )
    ]
    # the tiles: today's heads, the hires, cost, acquisition cost, CAC, payback
    teams = {d: c for d, c in scenario.capacity}
    assert values(at, "Heads today")[0] == EN.count(sum(c.heads for c in teams.values()))
    hires = sum(cp.staffing[d].joiners[0].sum() for d in teams)
    assert metric(at, "Hires over the plan").value == EN.count(hires)  # whole people
    assert values(at, "Team cost")[0] == EN.money(sum(cp.staffing[d].cost[0].sum() for d in teams))
    assert metric(at, "Acquisition cost").value == EN.money(cp.acquisition_cost.sum())
    assert metric(at, "CAC").value == EN.money(cp.cac)
    assert metric(at, "CAC payback").value == EN.months(cp.payback_months)
    # a panel per division, in the funnel's order: heads needed at peak against today's team
    order = ordered(scenario)
    assert order == list(DIVISIONS)
    peaks = [EN.count(cap.people_to_cover(cp.staffing[d].required[0].max())) for d in order]
    assert values(at, "Heads needed at peak") == peaks
    deltas = [m.delta for m in at.metric if m.label == "Heads needed at peak"]
    assert deltas[2] == "today 172: enough"  # field sales has the people; inside sales has not
    assert deltas[1] == "today 78: short"
    # the requisitions to open now, and who is short while the joiners are on their way
    inside = cp.staffing["inside_sales"]
    open_now = tr(
        "capacity.open_now",
        n=EN.count(cap.people_to_cover(inside.requisitions[0][0])),  # whole people to open
        joins=EN.month("2026-06"),
        productive=EN.month("2026-08"),
    )
    assert open_now in [m.value for m in at.markdown]
    short = inside.shortfall[0]
    late = tr(
        "capacity.late",
        division="Inside sales",
        short=EN.count(cap.people_to_cover(short.max())),
        month=EN.month(plan.months[max(i for i, v in enumerate(short) if v > 1e-9)]),
    )
    assert late in [w.value for w in at.warning]

    at.button_group(key="lang").set_value("ja").run()
    assert not at.exception
    assert at.title[0].value == "体制・採用計画"
    assert ceiling_sentence(plan, cp, JA, "ja") in [m.value for m in at.markdown]
    assert "85億円" in at.error[0].value and "上回ります" in at.error[0].value
    assert metric(at, "CAC").value == JA.money(cp.cac)
    assert metric(at, "CAC回収期間").value == JA.months(cp.payback_months)
    assert values(at, "ピーク時の必要人員") == [
        cap.heads_text(JA, cap.people_to_cover(cp.staffing[d].required[0].max())) for d in order
    ]


def test_editing_the_team_replans_the_heads_and_the_ceiling(scenario_json):
    at = open_app(page=PAGE)
    # inside sales gets twelve more people: the ceiling moves to another division
    at.number_input(key="cap.inside_sales.heads").set_value(90.0).run()
    assert not at.exception
    data = copy.deepcopy(scenario_json)
    data["capacity"]["inside_sales"]["heads"] = 90.0
    assert at.session_state["scenario_json"]["capacity"]["inside_sales"]["heads"] == 90.0
    _, plan, cp = section8(data)
    assert cp.ceiling.division != "inside_sales"
    assert ceiling_sentence(plan, cp, EN) in [m.value for m in at.markdown]
    over = cap.over_ceiling(plan.totals["bookings"], cp)
    assert len(at.error) == int(over) and len(at.success) == int(not over)
    assert values(at, "Heads needed at peak")[1] == cap.heads_text(
        EN, cap.people_to_cover(cp.staffing["inside_sales"].required[0].max())
    )
    # hiring takes a month longer, attrition 25%, each head handles 70 leads and costs more
    at.number_input(key="cap.inside_sales.hiring_months").set_value(3).run()
    at.number_input(key="cap.inside_sales.attrition").set_value(25.0).run()
    at.number_input(key="cap.inside_sales.per_head").set_value(70.0).run()
    at.number_input(key="cap.inside_sales.cost_per_head").set_value(700_000.0).run()
    assert not at.exception
    team = at.session_state["scenario_json"]["capacity"]["inside_sales"]
    assert team["hiring_months"] == 3 and isinstance(team["hiring_months"], int)
    assert team["attrition"] == 0.25 and team["per_head"] == 70.0
    assert team["cost_per_head"] == 700_000.0
    data["capacity"]["inside_sales"].update(
        hiring_months=3, attrition=0.25, per_head=70.0, cost_per_head=700_000.0
    )
    _, plan, cp = section8(data)
    assert metric(at, "CAC").value == EN.money(cp.cac)
    assert values(at, "Team cost")[2] == EN.money(cp.staffing["inside_sales"].cost[0].sum())
    # 90 heads handling 70 leads each carry the plan: no requisition opens now for inside
    # sales; the divisions that must hire now are told so
    assert cp.staffing["inside_sales"].requisitions[0][0] == 0
    hiring_now = [d for d in DIVISIONS if cp.staffing[d].requisitions[0][0] > 0.05]
    assert "inside_sales" not in hiring_now
    assert len([m for m in at.markdown if m.value.startswith("**Open ")]) == len(hiring_now)
    # the acquisition cost per new visitor
    at.number_input(key="cap.costs.per_inflow").set_value(100.0).run()
    data["costs"]["per_inflow"] = 100.0
    _, plan, cp = section8(data)
    assert at.session_state["scenario_json"]["costs"]["per_inflow"] == 100.0
    assert metric(at, "CAC").value == EN.money(cp.cac)


def test_a_scenario_without_a_team_can_get_one_and_lose_it(scenario_json):
    data = copy.deepcopy(scenario_json)
    data.pop("capacity")
    data.pop("costs")
    at = open_app(page=PAGE)
    at.session_state["scenario_json"] = data
    at.run()
    assert [i.value for i in at.info] == [tr("capacity.none")]
    assert not values(at, "Heads needed at peak")
    at.selectbox(key="cap.add.division").set_value("field_sales").run()
    at.button(key="cap.add").click().run()
    assert not at.exception
    team = at.session_state["scenario_json"]["capacity"]["field_sales"]
    assert team == {"works": "opportunity", "per_head": 100.0, "heads": 0.0}
    data["capacity"] = {"field_sales": team}
    _, plan, cp = section8(data)
    assert values(at, "Heads needed at peak") == [
        cap.heads_text(EN, cap.people_to_cover(cp.staffing["field_sales"].required[0].max()))
    ]
    assert values(at, "Heads needed at peak") != ["0"]
    # a team of nobody is over from the first month; its panel says the requisitions to open
    assert any(m.value.startswith("**Open ") for m in at.markdown)
    at.button(key="cap.field_sales.remove").click().run()
    assert "capacity" not in at.session_state["scenario_json"]
    assert [i.value for i in at.info] == [tr("capacity.none")]


def test_divisions_and_overview_show_their_capacity_figure(scenario_json):
    scenario, plan, cp = section8(scenario_json)
    at = open_app(page="pages/divisions.py")
    peaks = [
        EN.count(cap.people_to_cover(cp.staffing[d].required[0].max())) for d in ordered(scenario)
    ]
    assert values(at, "Heads needed at peak") == peaks
    assert tr("capacity.binds_here") in [c.value for c in at.caption]  # inside sales binds
    at.switch_page("pages/overview.py").run()
    hires = sum(cp.staffing[d].joiners[0].sum() for d, _ in scenario.capacity)
    tile = metric(at, "Hires over the plan")
    assert (tile.value, tile.delta) == (EN.count(hires), "above the ceiling")
    assert metric(at, "CAC").value == EN.money(cp.cac)
    assert metric(at, "CAC payback").value == EN.months(cp.payback_months)


def test_pages_without_a_team_show_no_capacity_figure(scenario_json):
    data = copy.deepcopy(scenario_json)
    data.pop("capacity")
    data.pop("costs")
    at = open_app()
    at.session_state["scenario_json"] = data
    at.run()
    assert not values(at, "Hires over the plan") and not values(at, "CAC")
    at.switch_page("pages/divisions.py").run()
    assert not values(at, "Heads needed at peak")


# ----- the exports ---------------------------------------------------------------------------
def _with_team() -> dict:
    data = _simple()
    data["capacity"] = {
        "inside_sales": {"works": "lead", "per_head": 100, "heads": 10, "ramp_months": 1,
                         "hiring_months": 1, "attrition": 0.2, "cost_per_head": 600_000},
        "field_sales": {"works": "opportunity", "per_head": 20, "heads": 12,
                        "cost_per_head": 900_000},
        "customer_success": {"works": "customers", "per_head": 50, "heads": 2,
                             "cost_per_head": 500_000},
    }  # fmt: skip
    data["costs"] = {"per_inflow": 30, "per_arrival": {"lead": 2000}, "fixed_monthly": 1_000_000}
    data["deal"]["revenue"] = "subscription"
    return data


def _capacity_cells(path):
    """Team input cells by (division label, column header); block rows by (division, month)."""
    import openpyxl

    ws = openpyxl.load_workbook(path)["Capacity"]
    header = [c.value for c in ws[4]]
    inputs = {}
    for row in ws.iter_rows(min_row=5, max_row=7):
        for c, h in zip(row, header, strict=False):
            inputs[(row[0].value, h)] = c.coordinate
    labelled = {row[0].value: row[1].coordinate for row in ws.iter_rows() if row[0].value}
    return ws, inputs, labelled


def test_the_capacity_sheet_recomputes_heads_and_cac_with_live_formulas(tmp_path):
    data = _with_team()
    sc = parse_scenario(data)
    plan = run_plan(sc)
    cp = capacity_plan(plan)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(exports.workbook_bytes(sc, plan, data, "en"))
    ws, inputs, labelled = _capacity_cells(path)
    assert ws.title == "Capacity"
    per_head = inputs[("Inside sales", "Per head a month")]
    cost = inputs[("Inside sales", "Cost per head a month")]
    # the inside sales block: the first month's row is two below its title
    title_row = next(r[0].row for r in ws.iter_rows(min_row=9) if r[0].value == "Inside sales")
    first = title_row + 2
    assert ws[f"C{first}"].value == f"=B{first}/${per_head[0]}${per_head[1:]}"
    assert ws[f"D{first}"].value == pytest.approx(cp.staffing["inside_sales"].required[0][0])
    cac_cell = labelled["CAC"]
    payback_cell = labelled["CAC payback"]
    out = _calculate(
        path,
        {("capacity", per_head): 80.0, ("capacity", cost): 750_000.0},
        [("capacity", f"C{first + m}") for m in range(12)]
        + [("capacity", cac_cell), ("capacity", payback_cell)],
    )
    workload = cp.staffing["inside_sales"].workload[0]
    for m in range(12):
        assert out[("capacity", f"C{first + m}")] == pytest.approx(workload[m] / 80.0, rel=1e-12)
    # the model with the inside sales team costing 750,000 a head: the same CAC and payback
    data2 = copy.deepcopy(data)
    data2["capacity"]["inside_sales"]["cost_per_head"] = 750_000
    cp2 = capacity_plan(run_plan(parse_scenario(data2)))
    assert out[("capacity", cac_cell)] == pytest.approx(cp2.cac, rel=1e-9)
    assert out[("capacity", payback_cell)] == pytest.approx(cp2.payback_months, rel=1e-9)
    assert cp2.cac > cp.cac


def test_csv_and_tables_carry_section_8(tmp_path):
    data = _with_team()
    sc = parse_scenario(data)
    plan = run_plan(sc)
    out = plan.to_dict()
    frames = exports.tables(sc, plan, data, "en")
    assert set(exports.CAPACITY_SHEETS) <= set(frames)
    table = frames["capacity"]
    assert list(table["Division"].unique()) == ["Inside sales", "Field sales", "Customer success"]
    inside = table[table["Division"] == "Inside sales"]
    assert inside["Month"].tolist() == list(plan.months)
    assert inside["Heads needed"].tolist() == pytest.approx(
        out["capacity"]["inside_sales"]["required"]
    )
    assert inside["Requisitions to open"].tolist() == pytest.approx(
        out["capacity"]["inside_sales"]["requisitions"]
    )
    econ = frames["economics"]
    assert econ["Acquisition cost"].tolist() == pytest.approx(out["economics"]["acquisition_cost"])
    s = frames["capacity_summary"]
    summary = dict(zip(s["Key"], s["Value"], strict=True))
    assert summary["cac"] == pytest.approx(out["economics"]["cac"])
    assert summary["ceiling.bookings"] == pytest.approx(out["ceiling"]["bookings"])
    z = zipfile.ZipFile(io.BytesIO(exports.csv_zip(frames, "p")))
    names = set(z.namelist())
    assert {f"p-{n}.csv" for n in exports.SHEETS + exports.CAPACITY_SHEETS} == names
    read = pd.read_csv(io.BytesIO(z.read("p-capacity.csv")), encoding="utf-8-sig")
    assert len(read) == 3 * 12 and read["Cost"].iloc[0] == pytest.approx(
        out["capacity"]["inside_sales"]["cost"][0]
    )
    # Japanese labels; a scenario without section 8 has no capacity tables
    assert "部門" in exports.tables(sc, plan, data, "ja")["capacity"].columns
    simple = _simple()
    s0 = parse_scenario(simple)
    assert not set(exports.CAPACITY_SHEETS) & set(exports.tables(s0, run_plan(s0), simple, "en"))


# ----- the chart builders --------------------------------------------------------------------
def test_utilisation_heatmap_marks_the_cells_over_100_percent():
    df = cap.utilisation_frame(
        ["Inside sales", "Field sales"], ["Apr", "May"], [[0.5, 1.2], [float("nan"), 1.0]], EN
    )
    assert df["over"].tolist() == [False, True, False, False]
    assert df["text"].tolist() == ["50%", "120%", "—", "100%"]
    spec = cap.utilisation_heatmap(df, "Utilisation").to_dict()
    cells = spec["layer"][0]["encoding"]["color"]
    assert cells["condition"]["test"] == "datum.over"


def test_heads_chart_draws_todays_team_dashed_from_zero():
    from ui import charts

    df = charts.long_frame(
        ["Apr", "May"],
        {"Heads needed": [3.0, 4.0], "Today's team": [3.0, 3.0]},
        {"Heads needed": ["3", "4"], "Today's team": ["3", "3"]},
    )
    spec = cap.heads_chart(df, "Heads", "Today's team").to_dict()
    enc = spec["encoding"]
    assert enc["y"]["scale"]["zero"] is True
    assert enc["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4]]
    assert enc["color"]["scale"]["range"][1] == charts.MUTED


def test_an_invalid_team_is_refused_in_words_and_stays_editable(scenario_json):
    data = copy.deepcopy(scenario_json)
    data["capacity"]["field_sales"]["per_head"] = 0
    at = open_app(page=PAGE)
    at.session_state["scenario_json"] = data
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This scenario cannot be planned: Field sales · Per head a month: must be above zero; "
        "it is 0."
    ]
    # the inputs are still there: putting the number right plans again
    at.number_input(key="cap.field_sales.per_head").set_value(8.0).run()
    assert not [e for e in at.error if e.value.startswith("This scenario cannot be planned")]
    assert values(at, "Heads needed at peak")
    data["capacity"]["inside_sales"]["attrition"] = 1.5
    at.session_state["scenario_json"] = data
    at.button_group(key="lang").set_value("ja").run()
    assert not at.exception
    assert "インサイドセールス · 年間離職率(%)" in at.error[0].value
    assert "150" in at.error[0].value  # a rate, shown in percent


def test_utilisation_rows_with_the_hiring_plan_and_with_todays_team(scenario_json):
    scenario, plan, cp = section8(scenario_json)
    teams = cap.teams(scenario, cp)
    assert [tm.division for tm in teams] == list(DIVISIONS)
    planned = cap.utilisation_rows(cp, teams, today=False)
    today = cap.utilisation_rows(cp, teams, today=True)
    inside = dict(scenario.capacity)["inside_sales"]
    load = cp.staffing["inside_sales"].workload[0]
    assert planned[1] == pytest.approx(cp.staffing["inside_sales"].utilisation[0].tolist())
    assert today[1] == pytest.approx((load / (inside.heads * inside.per_head)).tolist())
    # without hires, inside sales is over 100% in every month; with them only until they join
    assert all(u > 1 for u in today[1])
    assert [u > 1 for u in planned[1]] == [True] * 4 + [False] * 8
