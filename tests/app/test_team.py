"""A team month by month on the Capacity page (issue 10; spec section 8's ``heads`` as a list):
the choice between heads today and a month-by-month team, the table of months whose edits replan
the page, a sheet of heads by division and month (all or nothing, its errors in the user's
language), and the way back to a number."""

from __future__ import annotations

import copy

from tests.app.conftest import open_app
from tests.app.test_capacity import EN, PAGE, ceiling_sentence, section8, values
from tests.db import helpers as h
from ui.format import inert
from ui.i18n import translate

EMPTY = {"added_rows": [], "deleted_rows": []}


def heads_of(at, division):
    return at.session_state["scenario_json"]["capacity"][division]["heads"]


def edit(at, division, rows):
    """Edit cells of a division's table, as the browser does (the editor's pending edits)."""
    key = f"cap.{division}.heads_table.{at.session_state[f'cap.{division}.heads_gen']}"
    at.session_state[key] = {"edited_rows": rows, **EMPTY}
    at.run()
    assert not at.exception, at.exception


def monthly_rows(at, label):
    """The month-by-month tables' row ``label`` (one per division, in the funnel's order)."""
    tables = [d.value for d in at.dataframe if label in list(d.value.index)]
    return [list(t.loc[label]) for t in tables]


def test_a_month_edited_in_the_table_replans_the_page(scenario_json):
    at = open_app(page=PAGE)
    assert at.radio(key="cap.inside_sales.heads_kind").value == "number"
    at.radio(key="cap.inside_sales.heads_kind").set_value("list").run()
    assert not at.exception
    # today's heads become every month's: the same team, kept as it is
    today = float(scenario_json["capacity"]["inside_sales"]["heads"])
    assert heads_of(at, "inside_sales") == [today] * 12
    table = [e for e in at.data_editor if "heads" in e.value.columns]
    assert len(table) == 1
    assert list(table[0].value["month"]) == [EN.month(m) for m in section8(scenario_json)[1].months]
    before = monthly_rows(at, "Heads on the payroll")[1]
    # April 2026 (the first month) 80 and July 120
    edit(at, "inside_sales", {0: {"heads": 80.0}, 3: {"heads": 120.0}})
    planned = [80.0, today, today, 120.0] + [today] * 8
    assert heads_of(at, "inside_sales") == planned
    data = copy.deepcopy(scenario_json)
    data["capacity"]["inside_sales"]["heads"] = planned
    _, plan, cp = section8(data)
    inside = cp.staffing["inside_sales"]
    after = monthly_rows(at, "Heads on the payroll")[1]
    assert after == [EN.count(x) for x in inside.heads[0]] and after != before
    assert values(at, "Heads today")[2] == "80"  # the overall tile, then marketing, inside sales
    assert ceiling_sentence(plan, cp, EN) in [m.value for m in at.markdown]
    # a second edit keeps the first; an edit that is not a number of heads changes nothing
    edit(at, "inside_sales", {0: {"heads": 80.0}, 3: {"heads": 120.0}, 5: {"heads": 90.0}})
    planned[5] = 90.0
    assert heads_of(at, "inside_sales") == planned
    # the browser may clear the pending edits once the table shows them: nothing is undone,
    # and a later edit of another month keeps them
    edit(at, "inside_sales", {})
    assert heads_of(at, "inside_sales") == planned
    edit(at, "inside_sales", {6: {"heads": 95.0}})
    planned[6] = 95.0
    assert heads_of(at, "inside_sales") == planned
    edit(at, "inside_sales", {6: {"heads": 95.0}, 1: {"heads": -3.0}, 2: {"heads": None}})
    assert heads_of(at, "inside_sales") == planned
    table = [e for e in at.data_editor if "heads" in e.value.columns]
    assert list(table[0].value["heads"]) == planned  # a new table, showing the team as it is
    # back to heads today: the first month's heads, the number input again
    at.radio(key="cap.inside_sales.heads_kind").set_value("number").run()
    assert not at.exception
    assert heads_of(at, "inside_sales") == 80.0
    assert at.number_input(key="cap.inside_sales.heads").value == 80.0
    assert not [e for e in at.data_editor if "heads" in e.value.columns]
    data["capacity"]["inside_sales"]["heads"] = 80.0
    _, plan, cp = section8(data)
    assert monthly_rows(at, "Heads on the payroll")[1] == [
        EN.count(x) for x in cp.staffing["inside_sales"].heads[0]
    ]
    at.number_input(key="cap.inside_sales.heads").set_value(85.0).run()
    assert heads_of(at, "inside_sales") == 85.0


def _sheet(scenario_json, division_name, values_, header=("部門", "年月", "人数")):
    _, plan, _ = section8(scenario_json)
    rows = [list(header)] + [
        [division_name, f"{m[:4]}年{int(m[5:])}月", str(v)]
        for m, v in zip(plan.months, values_, strict=True)
    ]
    return rows


def test_a_sheet_fills_the_teams_it_names_and_a_bad_one_changes_nothing(scenario_json):
    at = open_app(page=PAGE)
    planned = [172.0 + i for i in range(12)]
    sheet = h.csv_bytes(_sheet(scenario_json, "フィールドセールス", planned), "cp932")
    at.file_uploader(key="cap.heads_file").upload("heads.csv", sheet, "text/csv").run()
    assert not at.exception
    assert heads_of(at, "field_sales") == planned
    assert at.radio(key="cap.field_sales.heads_kind").value == "list"
    done = f"Field sales: the team month by month from {inert('heads.csv')}."
    assert [s.value for s in at.success][-1] == done
    table = [e for e in at.data_editor if "heads" in e.value.columns]
    assert list(table[0].value["heads"]) == planned
    data = copy.deepcopy(scenario_json)
    data["capacity"]["field_sales"]["heads"] = planned
    _, _, cp = section8(data)
    assert monthly_rows(at, "Heads on the payroll")[2] == [
        EN.count(x) for x in cp.staffing["field_sales"].heads[0]
    ]
    # the table edits the sheet's list (no edit of an earlier table laid over it)
    edit(at, "field_sales", {11: {"heads": 150.0}})
    planned[11] = 150.0
    assert heads_of(at, "field_sales") == planned
    # a bad sheet: inside sales' June twice. Nothing changes, the error says where and why
    kept = copy.deepcopy(at.session_state["scenario_json"])
    rows = _sheet(scenario_json, "Inside sales", [60] * 12, ("division", "month", "heads"))
    bad = h.csv_bytes([*rows, ["inside_sales", "2026-06", "61"]])
    at.file_uploader(key="cap.heads_file").upload("bad.csv", bad, "text/csv").run()
    assert not at.exception
    assert at.session_state["scenario_json"] == kept
    [error] = [e.value for e in at.error if inert("bad.csv") in e.value]
    assert "**row** 14" in error and "**column** month" in error
    assert "Inside sales in Jun 2026 is given twice (first in row 4)." in error
    assert error.endswith("The scenario is unchanged.")
    # the same error in Japanese, once the session speaks it
    at.button_group(key="lang").set_value("ja").run()
    [error] = [e.value for e in at.error if inert("bad.csv") in e.value]
    assert "インサイドセールスの2026年6月が2回あります(最初は4行目)。" in error
    assert error.endswith(translate("capacity.heads_file_unchanged", "ja"))


def test_a_sheet_for_a_division_without_a_team_names_the_teams(scenario_json):
    data = copy.deepcopy(scenario_json)
    del data["capacity"]["marketing"]
    at = open_app(locale="ja-JP", page=PAGE)
    at.session_state["scenario_json"] = data
    at.run()
    sheet = h.csv_bytes(_sheet(scenario_json, "マーケティング", [1] * 12), "utf-8-sig")
    at.file_uploader(key="cap.heads_file").upload("部門別.csv", sheet, "text/csv").run()
    assert at.session_state["scenario_json"] == data
    [error] = [e.value for e in at.error if inert("部門別.csv") in e.value]
    assert (
        "部門が分かりません。このシナリオの体制はインサイドセールスまたはフィールドセールスまたは"
        "カスタマーサクセスです。" in error
    )


def test_presenting_hides_the_team_inputs_and_the_sheet():
    at = open_app(page=PAGE)
    at.radio(key="cap.inside_sales.heads_kind").set_value("list").run()
    at.toggle(key="sidebar.present").set_value(True).run()
    assert not at.exception
    assert not [r for r in at.radio if r.key.endswith(".heads_kind")]
    assert not at.data_editor and not at.file_uploader


def test_a_month_by_month_team_is_saved_and_opens_from_a_shared_link(
    tmp_path, monkeypatch, scenario_json
):
    from streamlit.testing.v1 import AppTest

    from db.scenarios import ScenarioStore
    from tests.app.conftest import APP, TIMEOUT

    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    at = open_app(page=PAGE)
    at.radio(key="cap.customer_success.heads_kind").set_value("list").run()
    edit(at, "customer_success", {11: {"heads": 150.0}})
    saved = copy.deepcopy(at.session_state["scenario_json"])
    planned = [float(scenario_json["capacity"]["customer_success"]["heads"])] * 11 + [150.0]
    assert saved["capacity"]["customer_success"]["heads"] == planned
    ScenarioStore(tmp_path / "scenarios.duckdb").save("Teams", saved, author="a")
    link = AppTest.from_file(APP, default_timeout=TIMEOUT)
    link.context = {"locale": "ja-JP"}
    for k, v in {"page": "capacity", "scenario": "Teams", "v": "1"}.items():
        link.query_params[k] = v
    link.run()
    assert not link.exception, link.exception
    assert link.session_state["scenario_json"] == saved
    assert link.radio(key="cap.customer_success.heads_kind").value == "list"
    [table] = [e for e in link.data_editor if "heads" in e.value.columns]
    assert list(table.value["heads"]) == planned
    assert list(table.value["month"])[:2] == ["2026年4月", "2026年5月"]


def test_a_list_of_the_wrong_length_is_refused_and_can_become_a_number(scenario_json):
    data = copy.deepcopy(scenario_json)
    data["capacity"]["field_sales"]["heads"] = [100.0] * 11 + ["x"]
    at = open_app(page=PAGE)
    at.session_state["scenario_json"] = data
    at.run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("This scenario cannot be planned: Field sales")
    assert at.radio(key="cap.field_sales.heads_kind").value == "list"
    at.radio(key="cap.field_sales.heads_kind").set_value("number").run()
    assert not at.exception
    assert heads_of(at, "field_sales") == 100.0
    assert not [e for e in at.error if e.value.startswith("This scenario cannot be planned")]
