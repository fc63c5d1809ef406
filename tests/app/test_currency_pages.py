"""After a scenario is converted (issue 12): the CRM data's amounts keep the data's currency on
the pages that show them, small amounts are not rounded to nothing, a compare of scenarios in
two currencies does not mix them."""

from __future__ import annotations

import datetime as dt

import pytest

from db import actuals as dba
from db.scenarios import ScenarioStore
from tests.app.conftest import open_app
from ui import currency, state
from ui import format as fm
from ui.i18n import has

RATE = 0.0067
WHEN = dt.datetime(2026, 11, 30, 20, 0, tzinfo=dt.UTC)


# ----- small amounts ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "lang", "code", "text"),
    [
        (0.478, "en", "USD", "$0.478"),  # a converted cost per visitor is not $0
        (0.478, "ja", "USD", "0.478ドル"),
        (71.36, "en", "USD", "$71.4"),
        (9.5, "en", "EUR", "€9.5"),
        (-0.0213, "en", "USD", "-$0.021"),  # to a tenth of a cent
        (1234.56, "en", "USD", "$1,235"),  # from 100 up, whole units as before
        (40, "en", "JPY", "¥40"),  # yen have no smaller unit: whole yen
        (71.36, "en", "JPY", "¥71"),
        (71.36, "ja", "JPY", "71円"),
        (0.3, "en", "JPY", "¥0"),
    ],
)
def test_small_amounts_keep_three_significant_figures(x, lang, code, text):
    assert fm.money(x, lang, code) == text


def test_a_rounding_residue_is_still_zero_without_a_sign():
    assert fm.money(3e-9, "en", "USD", signed=True) == "$0"
    assert fm.money(-2e-4, "en", "EUR", signed=True) == "€0"  # a bridge's residual of nothing
    assert fm.money(-3e-9, "ja", "USD") == "0ドル"
    assert fm.money(0.02, "en", "USD", signed=True) == "+$0.02"


def test_the_axis_of_small_amounts_is_not_whole_units():
    small = "abs(datum.value) >= 100 ? ',.0f' : '.3~g'"
    assert small in fm.money_axis_expr("en", "USD") and small in fm.money_axis_expr("ja", "EUR")
    assert small not in fm.money_axis_expr("en", "JPY")


def test_the_dialog_shows_amounts_as_the_pages_do():
    for x, code in ((0.478, "USD"), (71.36, "JPY"), (1.2e6, "USD"), (5.3, "EUR")):
        for lang in ("en", "ja"):
            assert currency.amount_text(x, lang, code) == fm.money(x, lang, code)


# ----- the data's currency ----------------------------------------------------------------------
def jpy() -> dict:
    return {"currency": "JPY", "deal": {"size": 2_000_000}}


def test_a_scenario_never_changed_has_its_data_in_its_currency():
    assert currency.data_currency(jpy()) == "JPY" and currency.data_rate(jpy()) == 1.0
    assert currency.data_currency({"deal": {"size": 1}}) == "JPY"
    assert currency.data_currency({"currency": "EUR"}) == "EUR"


def test_a_conversion_leaves_the_data_in_the_currency_converted_from():
    usd = currency.change_currency(jpy(), "USD", RATE, WHEN)
    assert currency.data_currency(usd) == "JPY"
    assert currency.data_rate(usd) == pytest.approx(RATE)
    eur = currency.change_currency(usd, "EUR", 0.9, WHEN)
    assert currency.data_currency(eur) == "JPY"
    assert currency.data_rate(eur) == pytest.approx(RATE * 0.9)
    back = currency.change_currency(usd, "JPY", 1 / RATE, WHEN)
    assert currency.data_currency(back) == "JPY"
    assert currency.data_rate(back) == pytest.approx(1.0)


def test_a_relabel_before_any_conversion_relabels_the_data_and_after_one_does_not():
    relabelled = currency.change_currency(jpy(), "USD", None, WHEN)
    assert currency.data_currency(relabelled) == "USD"
    assert currency.data_rate(relabelled) == 1.0
    then = currency.change_currency(relabelled, "EUR", 0.9, WHEN)
    assert currency.data_currency(then) == "USD" and currency.data_rate(then) == 0.9
    after = currency.change_currency(currency.change_currency(jpy(), "USD", RATE, WHEN), "EUR",
                                     None, WHEN)  # fmt: skip
    assert currency.data_currency(after) == "JPY"
    assert currency.data_rate(after) == pytest.approx(RATE)  # the numbers kept: a factor of 1


def test_changes_that_do_not_lead_to_the_currency_give_no_rate():
    usd = currency.change_currency(jpy(), "USD", RATE, WHEN)
    usd["currency"] = "EUR"  # edited by hand since
    assert currency.data_currency(usd) == "JPY" and currency.data_rate(usd) is None
    broken = currency.change_currency(jpy(), "USD", RATE, WHEN)
    broken["notes"]["currency_changes"][0]["rate"] = "lots"
    assert currency.data_rate(broken) is None


def test_the_old_currency_help_is_gone():
    assert not has("sidebar.currency_help")  # the sidebar says it asks (sidebar.currency_asks)


# ----- the pages --------------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


def converted(locale: str = "en-US", page: str | None = None):
    """The app with its scenario converted to USD at :data:`RATE` (as the dialog does)."""
    at = open_app(locale)
    at.session_state["scenario_json"] = currency.change_currency(
        at.session_state["scenario_json"], "USD", RATE, WHEN
    )
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_sources_shows_the_datas_yen_after_a_conversion(home):
    jp = open_app(page="pages/sources.py")
    before = {m.label: m.value for m in jp.metric}
    at = converted(page="pages/sources.py")
    after = {m.label: m.value for m in at.metric}
    assert after == before and after["Spend"].startswith("¥")
    assert not any("$" in v for v in after.values())
    notes = [c.value for c in at.caption if "JPY" in c.value]
    assert notes and "USD" in notes[0], [c.value for c in at.caption]


def test_the_crm_data_page_shows_the_datas_yen_and_a_baseline_built_is_in_yen(home):
    """After a conversion to dollars the CRM data's amounts (the window's bookings, spend) are
    still yen, so the data page shows them in yen and says so; a baseline built from the data
    is a yen scenario (it was always labelled JPY, even from data relabelled as dollars)."""
    jp = open_app(page="pages/data.py")
    at = converted(page="pages/data.py")
    assert not at.exception, at.exception
    notes = [c.value for c in at.caption if "JPY" in c.value and "USD" in c.value]
    assert notes, [c.value for c in at.caption]
    assert not [c.value for c in jp.caption if "JPY" in c.value and "USD" in c.value]
    at.button(key="data.build").click().run()
    assert at.session_state["data.built"]["scenario"]["currency"] == "JPY"
    shown = [m.value for m in at.metric] + [
        str(v) for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel()
    ]  # the built baseline's deal size among them
    assert any("¥" in v for v in shown) and not any("$" in v for v in shown)
    # relabelled instead (the amounts were dollars all along): the data is in dollars too
    rel = open_app(page="pages/data.py")
    state_data = rel.session_state["scenario_json"]
    rel.session_state["scenario_json"] = currency.change_currency(state_data, "USD", None, WHEN)
    rel.run()
    rel.button(key="data.build").click().run()
    assert rel.session_state["data.built"]["scenario"]["currency"] == "USD"


def test_plan_vs_actual_shows_the_datas_yen_and_the_dollars_beside(home):
    jp = open_app(page="pages/actuals.py")
    before = {m.label: m.value for m in jp.metric}
    at = converted(page="pages/actuals.py")
    after = {m.label: m.value for m in at.metric}
    assert after == before, (before, after)
    assert after["Plan to date"].startswith("¥")
    table = at.dataframe[0].value
    assert table.iloc[-1]["Plan to date"].startswith("¥")
    # the headline figures also in the scenario's dollars, at the rate it was converted at
    dollars = [c.value.replace("\\", "") for c in at.caption if "USD" in c.value]
    assert dollars, [c.value for c in at.caption]
    plan = fm.parse_amount(before["Plan to date"])
    assert fm.money(plan * RATE, "en", "USD") in dollars[0]


def test_plan_vs_actual_in_japanese_after_a_conversion(home):
    at = converted("ja-JP", page="pages/actuals.py")
    values = [m.value for m in at.metric]
    assert values and not any("ドル" in v for v in values), values
    assert any("円" in v for v in values)
    note = next(c.value for c in at.caption if "ドル" in c.value)
    assert "。同じレート" in note  # Japanese sentences run on without a space


def test_a_plan_of_record_saved_in_dollars_is_compared_in_the_datas_yen(home):
    """A version saved after converting to USD: the page brings it back to yen at its recorded
    rate (the data is in yen), shows what the sample's yen plan shows, and a re-forecast saved
    from it is in dollars again, as its parent."""
    record = dba.sample_plan_of_record()
    store = ScenarioStore(state.home() / state.STORE_FILE)
    store.save("FY plan", currency.change_currency(record, "USD", RATE, WHEN), author="Ito")
    jp = open_app(page="pages/actuals.py")
    jp.select_slider[0].set_value(6).run()
    yen = {m.label: m.value for m in jp.metric}
    at = open_app(page="pages/actuals.py")
    at.selectbox(key="act.plan").set_value("FY plan").run()
    at.select_slider[0].set_value(6).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric} == yen
    assert any("1 JPY = 0.0067 USD" in c.value for c in at.caption)
    at.text_input(key="act.author").set_value("Sato").run()
    at.button(key="act.save").click().run()
    saved = store.record("FY plan", 2)["scenario"]
    assert saved["currency"] == "USD"
    assert currency.data_currency(saved) == "JPY"
    assert currency.data_rate(saved) == pytest.approx(RATE)
    rest_target = saved["target"].get("total") or sum(saved["target"]["monthly"])
    assert rest_target < 1e9  # dollars, not yen


def test_a_plan_of_record_in_another_currency_without_a_rate_is_not_compared(home):
    store = ScenarioStore(state.home() / state.STORE_FILE)
    store.save("In euros", {**dba.sample_plan_of_record(), "currency": "EUR"}, author="Ito")
    at = open_app(page="pages/actuals.py")
    at.selectbox(key="act.plan").set_value("In euros").run()
    assert not at.exception, at.exception
    assert not at.metric  # nothing compared
    assert "EUR" in at.warning[0].value and "JPY" in at.warning[0].value


# ----- comparing scenarios in two currencies ------------------------------------------------------
SIMPLE = {
    "schema": 1, "name": "Simple", "start": "2027-04", "months": 12, "currency": "JPY",
    "stages": [{"key": "lead", "owner": "marketing", "conversion": 0.3, "lag": 0},
               {"key": "won", "owner": "field_sales"}],
    "deal": {"size": 1_000_000}, "inflow": 1000,
    "target": {"metric": "bookings", "total": 300_000_000},
}  # fmt: skip


def _entry(label: str, data: dict):
    from model import parse_scenario, run_plan
    from ui import compare

    sc = parse_scenario(data)
    return compare.Entry(label, sc, run_plan(sc), 0.5)


def _yen_and_dollars():
    usd = currency.change_currency(SIMPLE, "USD", RATE, WHEN)
    return _entry("Yen", SIMPLE), _entry("Dollars", usd)


def test_compare_in_two_currencies_warns_and_does_not_bridge():
    from ui import compare
    from ui.common import Fmt

    a, b = _yen_and_dollars()
    F = Fmt("en", "USD")  # the session's scenario is in dollars
    warning = compare.currency_warning([a, b], "en")
    assert warning is not None and "JPY" in warning and "USD" in warning
    assert compare.currency_warning([a, a], "en") is None
    assert compare.bridge_table(a, b, F) is None  # no bars from yen to dollars
    table = compare.key_figures_table([a, b], F)
    assert table.loc["Bookings"].tolist() == ["¥300M", "$2.01M", "—"]  # each its own, no Δ
    assert table.loc["Wins"].tolist() == ["300", "300", "0"]  # counts still compare
    months = compare.monthly_frame([a, b], "bookings", F, money=True)
    dollars = fm.money(months["value"][1], "en", "USD")
    assert months["value_text"].tolist()[:2] == ["¥25M", dollars] and dollars.startswith("$")


def test_the_compare_tab_warns_of_two_currencies(home, scenario_json):
    store = ScenarioStore(state.home() / state.STORE_FILE)
    store.save("A", scenario_json, author="a")
    store.save("A", currency.change_currency(scenario_json, "USD", RATE, WHEN), author="a")
    at = open_app(page="pages/scenarios.py")
    at.multiselect(key="scn.compare").set_value(["A\x1f1", "A\x1f2"]).run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning if "different currencies" in w.value]
    assert warned and "JPY, USD" in warned[0], [w.value for w in at.warning]
    inputs = _frame(at, "Target · Annual total")  # each in its scenario's currency
    assert inputs.loc["Target · Annual total"].tolist() == ["¥8.5B", "$57M"]
    history = next(f.value for f in at.dataframe if "Old (v1)" in f.value.columns)
    target = history[history["Parameter"] == "Target · Annual total"].iloc[0]
    assert (target["Old (v1)"], target["New (v2)"]) == ("¥8.5B", "$57M")


def _frame(at, row: str):
    return next(f.value for f in at.dataframe if row in f.value.index)


def test_versions_in_dollars_compared_from_a_yen_session_read_in_dollars(home, scenario_json):
    store = ScenarioStore(state.home() / state.STORE_FILE)
    usd = currency.change_currency(scenario_json, "USD", RATE, WHEN)
    store.save("A", usd, author="a")
    store.save("A", {**usd, "target": {**usd["target"], "total": 60_000_000}}, author="a")
    at = open_app(page="pages/scenarios.py")  # the session's scenario is in yen
    at.multiselect(key="scn.compare").set_value(["A\x1f1", "A\x1f2"]).run()
    assert not at.exception, at.exception
    assert not [w for w in at.warning if "different currencies" in w.value]
    figures = _frame(at, "Wins")
    assert figures.loc["Target"].tolist() == ["$57M", "$60M", "+$3.05M"]
    inputs = _frame(at, "Target · Annual total")
    assert inputs.loc["Target · Annual total"].tolist() == ["$57M", "$60M"]
    bars = [c.value for c in at.caption]
    assert not any("¥" in c for c in bars), bars
    # the history's differences between the two: in their dollars too
    diff = next(d.value for d in at.dataframe if "Path" in d.value.columns)
    row = diff[diff["Path"] == "target.total"].iloc[0]
    assert (row["Old (v1)"], row["New (v2)"]) == ("$57M", "$60M"), diff


# ----- Japanese tiles at 1024 px ------------------------------------------------------------------
def _styles(at) -> str:
    return " ".join(e.proto.body for e in at.get("html"))


def test_japanese_tile_values_are_sized_to_fit_a_third_of_1024_px():
    """5,695万ドル (and 5,185万ユーロ) at 36 px is wider than a tile at 1024 px (189 and 225
    px in 177, measured in Chromium); at 2.7vw (28 px there) it fits. English keeps its size."""
    rule = "[data-testid='stMetricValue'] { font-size: clamp(1.5rem, 2.7vw, 2.25rem)"
    assert rule in _styles(open_app("ja-JP"))
    assert rule not in _styles(open_app("en-US"))
