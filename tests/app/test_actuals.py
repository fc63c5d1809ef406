"""The Plan vs actual page (spec v2 section 9) on the sample company: its figures are the
model's (the bridge's effects, which add up to the gap with the residual; the re-forecast's
outlook, the chance of the target, the recovery), in English and Japanese, and saving the
re-forecast makes a version whose parent is the plan of record."""

from __future__ import annotations

import math

import pytest

from db import actuals as dba
from db.sample import open_sample_database
from db.scenarios import ScenarioStore
from model import bridge as mb
from model import parse_scenario, run_plan
from tests.app.conftest import open_app
from ui import format as fm
from ui import state

PAGE = "pages/actuals.py"
RECORD = dba.sample_plan_of_record()
NAME = RECORD["name"]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def model():
    """The model's figures for the sample's plan of record, 12 and 6 months closed."""
    con = open_sample_database()
    plan = parse_scenario(RECORD)
    run = run_plan(plan)
    out = {}
    for k in (12, 6):
        a = dba.actuals(con, RECORD, k)
        out[k] = {"a": a, "bridge": mb.bridge(plan, a.scenario(plan), k, inflow=run.inflow)}
    a6 = out[6]["a"]
    out[6]["rest"] = mb.reforecast(plan, a6.state())
    out[6]["chance"] = mb.chance_of_target(plan, a6.state())
    out[6]["recovery"] = mb.recovery(plan, a6.state())
    con.close()
    return out


def page(locale: str = "en-US", months: int | None = None):
    at = open_app(locale, page=PAGE)
    if months is not None:
        at.select_slider[0].set_value(months).run()
        assert not at.exception, at.exception
    return at


def metric_value(at, label: str):
    (m,) = [m for m in at.metric if m.label == label]
    return m


# the page's tables in order: by stage, month by month, the bridge, the rates, the recovery
TABLES = {"act.table": 0, "act.month_table": 1, "act.bridge_table": 2, "act.rates": 3,
          "act.recovery_table": 4}  # fmt: skip


def table(at, key: str):
    return at.dataframe[TABLES[key]].value


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ja-JP", "ja")])
def test_the_bridge_is_the_models_and_adds_up_to_the_gap(model, locale, lang):
    """The default: every month with data (the whole FY2025). Each bar's figure is the model's
    Shapley effect, and plan + effects + residual = actual."""
    at = page(locale)
    b, a = model[12]["bridge"], model[12]["a"]
    actual = a.totals()["bookings"]
    assert at.select_slider[0].value == 12
    money = lambda x, signed=False: fm.money(x, lang, "JPY", signed)  # noqa: E731
    title = {"en": ("Plan to date", "Actual to date"), "ja": ("計画(累計)", "実績(累計)")}[lang]
    assert metric_value(at, title[0]).value == money(b.plan)
    assert metric_value(at, title[1]).value == money(actual)
    bars = table(at, "act.bridge_table")
    shown = bars.iloc[:, 1].tolist()
    assert shown == [money(b.plan), *(money(e, True) for e in b.effects),
                     money(b.residual(actual), True), money(actual)]  # fmt: skip
    assert len(bars) == len(b.factors) + 3
    total = b.plan + math.fsum(b.effects) + b.residual(actual)
    assert math.isclose(total, actual, rel_tol=1e-12)
    assert math.isclose(math.fsum(b.effects), b.model - b.plan, rel_tol=1e-9)
    # each bar names its division (the lags: every division)
    labels = bars.iloc[:, 0].tolist()
    who = {"en": ["Marketing", "Marketing", "Inside sales", "Field sales", "every division",
                  "Field sales"],
           "ja": ["マーケティング", "マーケティング", "インサイドセールス", "フィールドセールス",
                  "全部門", "フィールドセールス"]}[lang]  # fmt: skip
    for label, division in zip(labels[1:-2], who, strict=True):
        assert label.endswith(f" · {division}"), label
    # a stage's rates read as words in either language ("率 訪問者→リード" read like a typo)
    rates = {
        "en": "Rates Visitors → Leads · Marketing",
        "ja": "訪問者→リードの各率 · マーケティング",
    }
    assert labels[2] == rates[lang]
    # the sample plan is named in the page's language (its JSON name is English)
    sample = {"en": "Sample: FY2025 plan of record", "ja": "サンプル:FY2025 確定計画"}[lang]
    captions = [c.value.replace("\\", "") for c in at.caption]  # inert escapes the colon
    assert any(f"“{sample}”" in c or f"「{sample}」" in c for c in captions), captions
    # the year is closed: no re-forecast, and the page says where it ended
    assert at.info and money(actual) in at.info[0].value
    assert not at.exception


def test_the_stage_table_is_plan_against_actual_to_date(model):
    at = page()
    a = model[12]["a"]
    run = run_plan(parse_scenario(RECORD))
    rows = table(at, "act.table")
    assert rows["Stage"].tolist() == ["Visitors", "Leads", "Opportunities", "Won deals", "Bookings"]
    assert rows["Division"].tolist()[:3] == ["Marketing", "Marketing", "Inside sales"]
    for i, key in enumerate(["visitor", "lead", "opportunity", "won"]):
        planned, actual = run.arrivals[i].sum(), sum(a.arrivals[key])
        assert rows["Plan to date"][i] == fm.count(planned, "en")
        assert rows["Actual to date"][i] == fm.count(actual, "en")
        assert rows["Delivered"][i] == fm.percent(actual / planned, "en")
    # the rows behind plan are shaded: Won deals is behind (3,197 of 3,341)
    assert rows["Delivered"][3].startswith("95.")


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ja-JP", "ja")])
def test_six_months_closed_reforecast_chance_and_recovery(model, locale, lang):
    at = page(locale, months=6)
    m = model[6]
    b, a, rest, rec = m["bridge"], m["a"], m["rest"], m["recovery"]
    money = lambda x, signed=False: fm.money(x, lang, "JPY", signed)  # noqa: E731
    labels = {"en": ("Re-forecast of the rest", "Outlook for the year",
                     "Chance of meeting the target"),
              "ja": ("残りの着地見込み", "年度の着地見込み", "目標達成の確率")}[lang]  # fmt: skip
    assert metric_value(at, labels[0]).value == money(rest.rest.totals["bookings"])
    outlook = metric_value(at, labels[1])
    assert outlook.value == money(rest.outlook["bookings"])
    # the delta starts with its sign, so Streamlit's arrow points the right way in Japanese too
    assert outlook.delta.startswith(
        money(rest.outlook["bookings"] - RECORD["target"]["total"], True)
    )
    gap = a.totals()["bookings"] - b.plan
    actual_tile = {"en": "Actual to date", "ja": "実績(累計)"}[lang]
    assert metric_value(at, actual_tile).delta.startswith(money(gap, True))
    assert metric_value(at, labels[2]).value == fm.percent(m["chance"], lang, 0)
    assert math.isclose(rest.outlook["bookings"], a.totals()["bookings"]
                        + rest.rest.totals["bookings"], rel_tol=1e-12)  # fmt: skip
    shown = table(at, "act.bridge_table").iloc[:, 1].tolist()
    assert shown[1:-2] == [money(e, True) for e in b.effects]
    recovery = table(at, "act.recovery_table")
    assert recovery.iloc[-1, 3] == money(rec.bookings.sum())
    assert recovery.iloc[0, 3] == fm.count(rec.inflow.sum(), lang)
    left = RECORD["target"]["total"] - a.totals()["bookings"]
    assert math.isclose(rec.bookings.sum(), left, rel_tol=1e-6)
    assert not at.exception


def test_saving_the_reforecast_makes_a_version_whose_parent_is_the_plan_of_record(model):
    at = page(months=6)
    at.button(key="act.save").click().run()
    assert at.error and "name" in at.error[0].value  # who saves must be known
    at.text_input(key="act.author").set_value("Sato").run()
    at.button(key="act.save").click().run()
    assert not at.exception, at.exception
    assert "Saved as version 2" in at.success[0].value and "version 1" in at.success[0].value
    store = ScenarioStore(state.home() / state.STORE_FILE)
    assert [v["version"] for v in store.versions(NAME)] == [1, 2]
    assert store.load(NAME, 1) == RECORD  # the plan of record itself, the parent
    saved = store.record(NAME, 2)
    assert saved["author"] == "Sato" and saved["note"] == "Re-forecast after 2025-09"
    body = saved["scenario"]
    a = model[6]["a"]
    assert (body["start"], body["months"]) == ("2025-10", 6)
    assert body["opening"] == {k: v for k, v in a.stock.items()}
    assert math.isclose(body["target"]["total"], RECORD["target"]["total"]
                        - a.totals()["bookings"], rel_tol=1e-12)  # fmt: skip
    assert body["notes"]["reforecast"]["plan_of_record"] == {"name": NAME, "version": None}
    assert body["notes"]["reforecast"]["months_closed"] == 6
    # the forward run of the saved version is the page's re-forecast
    forward = {**body, "target": None}
    forward.pop("target")
    rest = model[6]["rest"].rest
    assert math.isclose(run_plan(parse_scenario(forward)).totals["bookings"],
                        rest.totals["bookings"], rel_tol=1e-9)  # fmt: skip


def test_a_saved_plan_of_record_whose_name_moved_on_asks_before_saving():
    """Tracking version 1 of a saved plan while someone saved version 2: the re-forecast's
    parent is no longer the latest, so nothing is saved until the user says so."""
    store = ScenarioStore(state.home() / state.STORE_FILE)
    store.save("FY plan", RECORD, author="Ito")
    store.save("FY plan", {**RECORD, "inflow": 1.0}, author="Kato", parent=1)
    at = page()
    at.selectbox(key="act.plan").set_value("FY plan").run()
    at.selectbox(key="act.version.FY plan").set_value(1).run()
    at.select_slider[0].set_value(9).run()
    assert not at.exception, at.exception
    at.text_input(key="act.author").set_value("Sato").run()
    at.button(key="act.save").click().run()
    assert "version 2" in at.warning[-1].value and not at.success
    assert [v["version"] for v in store.versions("FY plan")] == [1, 2]
    at.button(key="act.stale.save").click().run()
    assert "Saved as version 3" in at.success[0].value
    assert store.record("FY plan", 3)["scenario"]["start"] == "2026-01"


# ----- downloads --------------------------------------------------------------------------------
def test_the_downloads_hold_the_pages_tables_as_numbers(model):
    """The workbook and the CSV zip carry plan against actual (to date and by month), the
    bridge and the recovery as numbers, the model's; a stage label that looks like a formula
    stays text."""
    import io
    import zipfile

    import openpyxl

    from ui import actuals as ua
    from ui import exports

    plan = parse_scenario(RECORD)
    run = run_plan(plan)
    m = model[6]
    a, b = m["a"], m["bridge"]
    planned = ua.plan_to_date(run, 6)
    actual = {**a.arrivals, "bookings": a.bookings}
    rows = ua.comparison_rows(plan, planned, actual)
    bars = ua.bridge_rows(plan, b, a.totals()["bookings"])
    recovery = ua.recovery_rows(plan, run, m["recovery"], 6)
    frames = ua.export_frames(
        rows, plan.month_labels[:6], planned, actual, bars, [r.key for r in bars], recovery,
        title=str, stage=lambda k: "=HYPERLINK(1)" if k == "lead" else k,
        division=lambda d: d or "",
    )  # fmt: skip
    assert list(frames) == list(ua.EXPORTS)
    assert frames["bridge"]["effect"].tolist()[1:-2] == list(b.effects)
    assert frames["plan_vs_actual"]["actual"].iloc[-1] == a.totals()["bookings"]
    assert len(frames["monthly"]) == 6 * len(rows)
    assert frames["recovery"]["recovery"].iloc[-1] == m["recovery"].bookings.sum()
    book = openpyxl.load_workbook(io.BytesIO(ua.workbook_bytes(frames, {k: k for k in frames})))
    assert book.sheetnames == list(ua.EXPORTS)
    sheet = book["bridge"]
    assert [c.value for c in sheet[1]] == ["bar", "effect", "start", "end"]
    assert sheet.cell(2, 2).value == b.plan  # a number, not text
    stages = [c.value for c in book["plan_vs_actual"]["B"]]
    assert "'=HYPERLINK(1)" in stages and "=HYPERLINK(1)" not in stages
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(frames, "x"))) as z:
        assert sorted(z.namelist()) == sorted(f"x-{k}.csv" for k in ua.EXPORTS)
        assert b"'=HYPERLINK(1)" in z.read("x-plan_vs_actual.csv")


def test_the_page_offers_both_downloads():
    at = page(months=6)
    assert [d.label for d in at.get("download_button")] == [
        "Download the tables (Excel)", "Download the tables (CSV)"]  # fmt: skip


def test_the_reforecast_on_the_actual_rates(model):
    """'Re-forecast on the actual rates': the rest runs with the rates, lead times and deal
    size of the months closed (the model's reforecast with the actual scenario)."""
    at = page(months=6)
    at.radio(key="act.basis").set_value("actual").run()
    assert not at.exception, at.exception
    plan = parse_scenario(RECORD)
    a = model[6]["a"]
    rest = mb.reforecast(plan, a.state(), a.scenario(plan))
    assert metric_value(at, "Re-forecast of the rest").value == fm.money(
        rest.rest.totals["bookings"], "en"
    )
    assert rest.rest.totals["bookings"] != model[6]["rest"].rest.totals["bookings"]


def test_a_recovery_out_of_reach_of_the_inflow_says_so(model):
    """Nine months in, the recovery asks for about nine times the planned visitors: the page
    warns that the inflow alone can hardly do it; six months in it only states the ratio."""
    plan = parse_scenario(RECORD)
    run = run_plan(plan)
    at = page(months=9)
    con = open_sample_database()
    try:
        a9 = dba.actuals(con, RECORD, 9)
    finally:
        con.close()
    ratio = mb.recovery(plan, a9.state()).inflow.sum() / run.inflow[9:].sum()
    assert ratio > 2
    assert any(fm.count(ratio, "en", digits=1) + " times the Visitors" in w.value
               for w in at.warning)  # fmt: skip
    at6 = page(months=6)
    assert not at6.warning
    ratio6 = model[6]["recovery"].inflow.sum() / run.inflow[6:].sum()
    assert any(fm.count(ratio6, "en", digits=1) + " times" in c.value for c in at6.caption)


def test_the_rates_table_sets_the_actual_rates_beside_the_plans(model):
    at = page(months=6)
    a = model[6]["a"]
    rates = table(at, "act.rates")
    assert len(rates) == 3 * 4 + 1
    lead = rates[(rates["Stage"] == "Leads") & (rates["Parameter"] == "Conversion")].iloc[0]
    assert lead["Actual"] == fm.percent(a.stages["lead"]["conversion"], "en", 2)
    assert lead["Plan"] == fm.percent(RECORD["stages"][1]["conversion"]["base"], "en", 2)
    assert rates.iloc[-1]["Actual"] == fm.money(a.deal_size, "en")
    visitors = rates[rates["Stage"] == "Visitors"].iloc[0]["Rests on"]
    assert visitors.startswith("monthly counts only")
    opp = rates[rates["Stage"] == "Opportunities"].iloc[0]["Rests on"]
    assert f"{a.evidence['opportunity']['censored']:,} still open" in opp
