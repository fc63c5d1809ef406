"""The Scenarios page in AppTest: save, versions, load, diff, compare, archive/restore, JSON
import, and shared links (query parameters) opening a saved scenario at a page and language."""

from __future__ import annotations

import copy
import fcntl
import json
import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from db.scenarios import ScenarioStore
from model import parse_scenario, run_plan
from ui import state

from .conftest import APP, TIMEOUT, open_app

PAGE = "pages/scenarios.py"


@pytest.fixture(autouse=True)
def planner_home(tmp_path, monkeypatch):
    """Every test gets its own scenarios.duckdb."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


def _store(home) -> ScenarioStore:
    return ScenarioStore(home / "scenarios.duckdb")


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def _messages(at: AppTest) -> tuple[list[str], list[str]]:
    return [s.value for s in at.success], [e.value for e in at.error]


def _frame(at: AppTest, *columns: str):
    """The first dataframe whose columns include ``columns``."""
    for df in at.dataframe:
        if all(c in list(df.value.columns) for c in columns):
            return df.value
    have = [list(d.value.columns) for d in at.dataframe]
    raise AssertionError(f"no dataframe with {columns}: {have}")


def _save(at: AppTest, name: str, note: str = "", author: str = "Sato") -> AppTest:
    at.text_input(key="scn.author").input(author)
    at.text_input(key="scn.save.name").input(name)
    at.text_input(key="scn.save.note").input(note)
    return _ok(at.button(key="scn.save.button").click().run())


def _edit(at: AppTest, change) -> AppTest:
    data = copy.deepcopy(at.session_state["scenario_json"])
    change(data)
    at.session_state["scenario_json"] = data
    return _ok(at.run())


def _lead_conversion(data: dict) -> float:
    lead = next(s for s in data["stages"] if s["key"] == "lead")
    c = lead["conversion"]
    return c["base"] if isinstance(c, dict) else c


def _set_lead_conversion(value: float):
    def change(data):
        lead = next(s for s in data["stages"] if s["key"] == "lead")
        if isinstance(lead["conversion"], dict):
            lead["conversion"]["base"] = value
        else:
            lead["conversion"] = value

    return change


def test_save_versions_reload_and_diff(planner_home):
    at = open_app(page=PAGE)
    assert at.title[0].value == "Scenarios"
    before = _lead_conversion(at.session_state["scenario_json"])
    _save(at, "FY27 base", note="as imported")
    ok, errors = _messages(at)
    assert ok == ["Saved “FY27 base” as version 1."] and not errors
    assert at.query_params["scenario"] == "FY27 base" and at.query_params["v"] == "1"
    assert at.session_state["scenario_json"]["name"] == "FY27 base"
    assert "scenario=FY27+base&v=1&lang=en" in at.code[0].value

    _edit(at, _set_lead_conversion(0.265))
    assert any("Edited since" in c.value for c in at.caption)
    _save(at, "FY27 base", note="better lead conversion", author="Suzuki")
    assert _messages(at)[0] == ["Saved “FY27 base” as version 2."]
    versions = _store(planner_home).versions("FY27 base")
    assert [(v["version"], v["author"], v["note"]) for v in versions] == [
        (1, "Sato", "as imported"),
        (2, "Suzuki", "better lead conversion"),
    ]
    table = _frame(at, "Version", "Author", "Note")
    assert table["Version"].tolist() == [2, 1]
    assert table["Author"].tolist() == ["Suzuki", "Sato"]

    # load version 1: it becomes the active scenario, and the URL follows
    at.selectbox(key="scn.hist.version.FY27 base").set_value(1)
    _ok(at.button(key="scn.load").click().run())
    assert _messages(at)[0] == ["Loaded “FY27 base” version 1: it is now the active scenario."]
    assert _lead_conversion(at.session_state["scenario_json"]) == pytest.approx(before)
    assert at.query_params["v"] == "1"
    assert at.sidebar.text[0].value == "FY27 base"

    # the diff of v1 and v2, readable
    diff = _frame(at, "Parameter", "Path", "Old (v1)", "New (v2)")
    row = diff[diff["Path"] == "stages[lead].conversion.base"]
    assert row["Parameter"].tolist() == ["Leads · Conversion · Target"]
    assert row["New (v2)"].tolist() == ["26.50%"]
    assert row["Old (v1)"].tolist() == [f"{100 * before:.2f}%"]
    assert len(diff) == 1


def test_save_needs_a_name_and_an_author():
    at = open_app(page=PAGE)
    at.text_input(key="scn.save.name").input("X")
    _ok(at.button(key="scn.save.button").click().run())
    assert _messages(at)[1] == ["Enter your name first (it is recorded with the change)."]
    at.text_input(key="scn.author").input("Ito")
    at.text_input(key="scn.save.name").input("   ")
    _ok(at.button(key="scn.save.button").click().run())
    assert _messages(at)[1] == ["Give the scenario a name to save it."]


def test_compare_two_scenarios_side_by_side(planner_home, scenario_json):
    store = _store(planner_home)
    low = copy.deepcopy(scenario_json)
    high = copy.deepcopy(scenario_json)
    high["target"]["total"] = low["target"]["total"] * 1.2
    store.save("Plan A", low, author="a")
    store.save("Plan B", high, author="b")
    at = open_app(page=PAGE)
    at.multiselect(key="scn.compare").set_value(["Plan A\x1f1", "Plan B\x1f1"])
    _ok(at.run())
    figures = _frame(at, "Plan A · v1", "Plan B · v1", "Δ Plan B · v1")
    plan_a, plan_b = (run_plan(parse_scenario(s)) for s in (low, high))
    assert figures.loc["Target", "Plan A · v1"] == "¥8.5B"
    assert figures.loc["Target", "Plan B · v1"] == "¥10.2B"
    assert figures.loc["Target", "Δ Plan B · v1"] == "+¥1.7B"
    req = "Visitors required per month"
    assert figures.loc[req, "Plan A · v1"] == f"{plan_a.required_inflow_per_month:,.0f}"
    assert figures.loc[req, "Plan B · v1"] == f"{plan_b.required_inflow_per_month:,.0f}"
    assert figures.loc["Wins", "Plan B · v1"] == f"{round(plan_b.totals['wins']):,}"  # whole
    # the two probabilities on their own rows, never one "probability" (spec section 6)
    assert figures.loc["Plan's confidence", "Plan A · v1"].endswith("%")
    assert figures.loc["Chance at today's inflow", "Plan A · v1"].endswith("%")
    assert set(figures.index) >= {"Leads required per month", "Bookings", "Revenue"}
    # the inputs that differ, in words and units: only the target here (the names are not
    # inputs); "-¥0" no more for a difference that rounds to nothing
    inputs = next(d.value for d in at.dataframe if "Target · Annual total" in d.value.index)
    assert inputs.to_dict("index") == {
        "Target · Annual total": {"Plan A · v1": "¥8.5B", "Plan B · v1": "¥10.2B"}
    }
    assert not any("-¥0" in str(v) for v in figures.to_numpy().ravel())
    divisions = next(
        d.value for d in at.dataframe if any("Field sales" in str(i) for i in d.value.index)
    )
    won = plan_b.arrivals[-1].mean()
    assert divisions.loc["Field sales · Won deals", "Plan B · v1"] == f"{won:,.0f}"
    # three overlaid charts: revenue, bookings, leads
    bold = [m.value for m in at.markdown if m.value.startswith("**")]
    i = bold.index("**Revenue**")
    assert bold[i : i + 3] == ["**Revenue**", "**Bookings**", "**Leads (arrivals)**"]


def test_compare_needs_two(planner_home, scenario_json):
    _store(planner_home).save("Only", scenario_json, author="a")
    at = open_app(page=PAGE)
    at.multiselect(key="scn.compare").set_value(["__current__"])
    _ok(at.run())
    assert any("Pick two to four" in i.value for i in at.info)


def test_archive_hides_and_restore_brings_back(planner_home, scenario_json):
    store = _store(planner_home)
    store.save("Old plan", scenario_json, author="a")
    store.save("Keep", scenario_json, author="a")
    at = open_app(page=PAGE)
    at.text_input(key="scn.author").input("Ito")
    at.selectbox(key="scn.hist.name").set_value("Old plan")
    _ok(at.button(key="scn.archive").click().run())
    assert _messages(at)[0][0].startswith("Archived “Old plan”")
    assert _frame(at, "Scenario", "Latest version")["Scenario"].tolist() == ["Keep"]
    assert store.archived() == {"Old plan"}

    _ok(at.toggle(key="scn.show_archived").set_value(True).run())
    listing = _frame(at, "Scenario", "Status")
    assert listing["Status"].tolist() == ["", "archived"] or listing["Status"].tolist() == [
        "archived",
        "",
    ]
    at.selectbox(key="scn.hist.name").set_value("Old plan")
    _ok(at.run())
    _ok(at.button(key="scn.restore").click().run())
    assert _messages(at)[0] == ["Restored “Old plan”."]
    _ok(at.toggle(key="scn.show_archived").set_value(False).run())
    assert sorted(_frame(at, "Scenario", "Latest version")["Scenario"]) == ["Keep", "Old plan"]
    assert store.archived() == set() and len(store.versions("Old plan")) == 1


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.text_input(key="scn.author").input("Kato")
    at.file_uploader(key="scn.import.file").set_value((name, content, "application/json"))
    _ok(at.run())
    return _ok(at.button(key="scn.import.button").click().run())


def test_import_a_valid_export_and_a_bare_scenario(planner_home, scenario_json):
    store = _store(planner_home)
    store.save("Shared", scenario_json, author="a", note="from the team")
    at = open_app(page=PAGE)
    _upload(at, "shared.json", store.export_json("Shared", 1).encode())
    assert _messages(at) == (
        ["Imported “Shared” as version 2; it is now the active scenario."],
        [],
    )
    assert store.versions("Shared")[-1]["author"] == "Kato"
    assert at.session_state["active_ref"] == ("Shared", 2)

    bare = copy.deepcopy(scenario_json)
    bare["name"] = "=HYPERLINK(1)"
    at.text_input(key="scn.import.name").input("From file")
    _upload(at, "bare.json", json.dumps(bare).encode("utf-8-sig"))
    assert _messages(at)[0] == ["Imported “From file” as version 1; it is now the active scenario."]
    assert store.load("From file")["name"] == "=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "Not imported: not JSON (line 1, column 2"),
        (b"\xff\xfe\x00garbage", "Not imported: the file is not UTF-8 text"),
        (b'{"name": "Bad", "stages": []}', "Not imported: invalid scenario"),
        (b"[1, 2, 3]", "Not imported: "),
    ],
)
def test_import_rejects_invalid_json_with_a_message(planner_home, content, expected):
    at = open_app(page=PAGE)
    _upload(at, "bad.json", content)
    ok, errors = _messages(at)
    assert not ok and len(errors) == 1 and errors[0].startswith(expected), errors
    assert _store(planner_home).list() == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "JSONとして読み取れません(1行目、2文字目: Expecting property name "
                       "enclosed in double quotes)。"),
        (b"[1, 2, 3]", "シナリオの名前が空です。名前を付けてください。"),
        (b'{"name": "Bad", "stages": []}', "シナリオの内容に誤りがあります。開始月: 計画の最初の"
                                           "月をYYYY\\-MM形式で指定してください。"),
    ],
)  # fmt: skip
def test_import_rejects_invalid_json_in_japanese(planner_home, content, expected):
    at = open_app(locale="ja-JP", page=PAGE)
    _upload(at, "bad.json", content)
    ok, errors = _messages(at)
    assert not ok and len(errors) == 1, errors
    assert errors[0].startswith("インポートできませんでした: " + expected), errors
    for english in ("not JSON", "needs a non-empty name", "invalid scenario", "is required"):
        assert english not in errors[0], errors


def test_a_name_the_store_refuses_says_why_in_japanese(planner_home):
    at = open_app(locale="ja-JP", page=PAGE)
    _save(at, "FY27\tplan")
    assert _messages(at) == (
        [],
        ["保存できませんでした: シナリオ「FY27\tplan」: シナリオの名前は120文字以内で、タブや"
         "改行などの制御文字を含めないでください。"],
    )  # fmt: skip
    assert _store(planner_home).list() == []


def test_a_locked_store_says_so_in_japanese(planner_home, monkeypatch):
    """Another process holds the store's lock file: the page says so in Japanese (after a
    short wait instead of the app's 30 s)."""
    path = planner_home / "scenarios.duckdb"
    monkeypatch.setattr(state, "scenario_store", lambda: ScenarioStore(path, lock_timeout=0.2))
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another open file: conflicts as another process would
        at = open_app(locale="ja-JP", page=PAGE)
    finally:
        os.close(fd)
    assert len(at.error) == 1, [e.value for e in at.error]
    msg = at.error[0].value
    assert msg.startswith("保存したシナリオを読めません: データベース "), msg
    assert "scenarios\\.duckdb は別のプロセスが使用中です(書き込めるのは同時に1つのプロセス" in msg
    assert "(詳細: another process held " in msg and "in use by another process" not in msg


def _open_link(params: dict[str, str], locale: str = "en-US") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.context = {"locale": locale}
    for k, v in params.items():
        at.query_params[k] = v
    return _ok(at.run())


def test_a_shared_link_opens_the_scenario_at_its_page_and_language(planner_home, scenario_json):
    store = _store(planner_home)
    v1 = copy.deepcopy(scenario_json)
    v1["name"] = "Team plan"
    v2 = copy.deepcopy(v1)
    v2["target"]["total"] = 9_000_000_000.0
    store.save("Team plan", v1, author="a")
    store.save("Team plan", v2, author="a")

    at = _open_link({"page": "scenarios", "scenario": "Team plan", "v": "1", "lang": "ja"})
    assert at.title[0].value == "シナリオ"
    assert at.session_state["lang"] == "ja"
    assert at.session_state["scenario_json"] == v1
    assert at.session_state["active_ref"] == ("Team plan", 1)
    assert not at.sidebar.warning

    at = _open_link({"page": "plan", "scenario": "Team plan", "v": "2", "lang": "en"}, "ja-JP")
    assert at.title[0].value == "Plan (back-calculation)"
    assert at.session_state["scenario_json"]["target"]["total"] == 9_000_000_000.0
    assert at.query_params["v"] == "2" and at.query_params["page"] == "plan"

    at = _open_link({"scenario": "Team plan"})  # no version: the latest
    assert at.session_state["active_ref"] == ("Team plan", 2)
    assert at.title[0].value == "Overview"


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"scenario": "Nobody saved this", "v": "1"}, "not saved here: “Nobody saved this”"),
        ({"scenario": "Team plan", "v": "7"}, "version 7"),
        ({"scenario": "Team plan", "v": "-1"}, "invalid values (v)"),
        ({"lang": "fr", "page": "../app"}, "invalid values (page, lang)"),
    ],
)
def test_a_bad_shared_link_shows_a_message_not_a_crash(
    planner_home, scenario_json, params, warning
):
    _store(planner_home).save("Team plan", scenario_json, author="a")
    at = _open_link(params)
    assert at.title[0].value == "Overview"
    assert [w.value for w in at.sidebar.warning][0].find(warning) >= 0, at.sidebar.warning
    assert at.session_state["scenario_json"] == scenario_json
    assert at.session_state["lang"] == "en"


def test_japanese_page_has_no_untranslated_text(planner_home, scenario_json):
    store = _store(planner_home)
    store.save("A", scenario_json, author="a")
    store.save("A", scenario_json, author="a")
    at = open_app(locale="ja-JP", page=PAGE)
    at.multiselect(key="scn.compare").set_value(["A\x1f1", "A\x1f2"])
    _ok(at.run())
    assert at.title[0].value == "シナリオ"
    labels = [w.label for w in at.text_input] + [b.label for b in at.button]
    assert "あなたの名前" in labels and "新しいバージョンとして保存" in labels
    assert any(s.value == "主要な数値" for s in at.subheader)
    figures = _frame(at, "A · v1", "A · v2")
    assert "目標" in figures.index and "受注金額" in figures.index


def test_compare_says_in_japanese_why_a_scenario_cannot_be_planned(planner_home, scenario_json):
    """A saved scenario whose target no inflow can reach (a conversion of 0 on the path) is
    listed with the model's reason in the user's words, not the model's English."""
    store = _store(planner_home)
    dead = copy.deepcopy(scenario_json)
    dead["stages"][1]["conversion"] = 0.0
    store.save("Plan A", scenario_json, author="a")
    store.save("Plan Z", dead, author="a")
    at = open_app(page=PAGE)
    at.button_group(key="lang").set_value("ja").run()
    at.multiselect(key="scn.compare").set_value(["Plan A\x1f1", "Plan Z\x1f1"])
    _ok(at.run())
    shown = [e.value for e in at.error]
    (problem,) = [m for m in shown if "Plan Z" in m]
    assert "cannot" not in problem and "stages[" not in problem
    assert problem.startswith(
        "除外しました: Plan Z · v1: このシナリオでは計画を立てられません: 目標: "
    )
    assert "転換率0%" in problem


def test_two_editors_of_one_version_neither_overwrites_the_other(planner_home):
    """A and B both open version 1; A saves version 2. B's save is refused with who saved what
    since and how B's scenario differs from it; B may save anyway (version 3) or open theirs."""
    a = open_app(page=PAGE)
    _save(a, "Shared plan", author="Sato")
    b = _ok(_open_link({"scenario": "Shared plan", "v": "1", "page": "scenarios"}))
    _edit(a, _set_lead_conversion(0.26))
    _save(a, "Shared plan", note="A's change", author="Sato")
    assert _messages(a)[0] == ["Saved “Shared plan” as version 2."]

    _edit(b, _set_lead_conversion(0.255))
    _save(b, "Shared plan", note="B's change", author="Suzuki")
    store = _store(planner_home)
    assert [v["version"] for v in store.versions("Shared plan")] == [1, 2]  # nothing saved
    (warning,) = [w.value for w in b.warning]
    assert warning.startswith("Not saved: “Shared plan” has changed since you opened version 1.")
    assert "Sato saved version 2 at" in warning
    assert re.search(r"saved version 2 at \d{4}-\d\d-\d\d \d\d:\d\d( UTC)?\.", warning)  # no ISO
    diff = _frame(b, "Parameter", "Theirs (v2)", "Yours")
    row = diff[diff["Path"] == "stages[lead].conversion.base"]
    assert row["Theirs (v2)"].tolist() == ["26.00%"] and row["Yours"].tolist() == ["25.50%"]
    assert b.button(key="scn.stale.save").label == "Save anyway as version 3"

    _ok(b.button(key="scn.stale.save").click().run())
    assert _messages(b)[0] == ["Saved “Shared plan” as version 3."]
    assert [v["note"] for v in store.versions("Shared plan")] == ["", "A's change", "B's change"]
    assert _lead_conversion(store.load("Shared plan", 3)) == pytest.approx(0.255)
    assert _lead_conversion(store.load("Shared plan", 2)) == pytest.approx(0.26)
    assert not b.warning and at_ref(b) == ("Shared plan", 3)

    # A, still on version 2, is now the one behind: A opens B's version instead
    _edit(a, _set_lead_conversion(0.265))
    _save(a, "Shared plan", author="Sato")
    assert [v["version"] for v in store.versions("Shared plan")] == [1, 2, 3]
    _ok(a.button(key="scn.stale.open").click().run())
    assert _messages(a)[0] == ["Loaded “Shared plan” version 3: it is now the active scenario."]
    assert _lead_conversion(a.session_state["scenario_json"]) == pytest.approx(0.255)
    assert not a.warning


def test_saving_under_a_name_someone_else_saved_asks_first(planner_home):
    a = open_app(page=PAGE)
    _save(a, "Q3 plan", author="Sato")
    c = open_app("ja-JP", page=PAGE)  # a new session, on the sample: it never opened "Q3 plan"
    _save(c, "Q3 plan", author="Tanaka")
    assert [v["version"] for v in _store(planner_home).versions("Q3 plan")] == [1]
    (warning,) = [w.value for w in c.warning]
    assert warning.startswith("保存していません:「Q3 plan」という名前のシナリオはすでにあり")
    assert "Satoさん" in warning
    assert c.caption and any("バージョン1と同じです" in x.value for x in c.caption)
    _ok(c.button(key="scn.stale.cancel").click().run())
    assert not c.warning and len(_store(planner_home).versions("Q3 plan")) == 1


def at_ref(at: AppTest):
    return at.session_state["active_ref"] if "active_ref" in at.session_state else None


def test_compare_two_scenarios_shows_what_changed_as_a_bridge(planner_home, scenario_json):
    """Scenario A → B as spec section 9's exact bridge: the bars of the levers that changed
    carry the difference, the others are zero, and everything adds up to B − A."""
    import pyarrow as pa

    store = _store(planner_home)
    b = copy.deepcopy(scenario_json)
    b["stages"][1]["conversion"]["base"] = 0.265  # leads → opportunities, inside its range
    b["deal"]["size"]["base"] = 2_200_000.0
    store.save("Plan A", scenario_json, author="a")
    store.save("Plan B", b, author="b")
    at = open_app(page=PAGE)
    at.multiselect(key="scn.compare").set_value(["Plan A\x1f1", "Plan B\x1f1"])
    _ok(at.run())
    assert "What changed: Plan A · v1 → Plan B · v1" in [s.value for s in at.subheader]
    frames = [
        pa.ipc.open_stream(d.data.data).read_all().to_pandas()
        for c in at.get("vega_lite_chart")
        for d in c.proto.datasets
    ]
    (frame,) = [f for f in frames if "colour" in f.columns]  # the waterfall's bars
    value = dict(zip(frame["key"], frame["value"], strict=True))
    plan_a, plan_b = (run_plan(parse_scenario(s)) for s in (scenario_json, b))
    assert value["plan"] == pytest.approx(plan_a.totals["bookings"], rel=1e-9)
    assert value["actual"] == pytest.approx(plan_b.totals["bookings"], rel=1e-9)
    assert value["rates:visitor"] == 0 and value["lags"] == 0
    assert value["rates:lead"] != 0 and value["deal_size"] > 0
    moves = sum(v for k, v in value.items() if k not in ("plan", "actual"))
    assert value["plan"] + moves == pytest.approx(value["actual"], rel=1e-9)
    labels = dict(zip(frame["key"], frame["label"], strict=True))
    assert labels["rates:lead"] == "Rates Leads → Opportunities · Inside sales"
