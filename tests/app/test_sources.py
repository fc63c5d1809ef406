"""The sources page (AppTest): spend, leads, wins, bookings and ROI per source as db computes
them, ranked by the chosen figure; no spend data says so."""

from __future__ import annotations

import pytest

from db import metrics
from db.baseline import default_window
from db.sample import open_sample_database
from tests.app.conftest import metric, open_app
from tests.db.helpers import SF_LEADS_JA, another_process, csv_bytes
from ui import format as fm
from ui import state

PAGE = "pages/sources.py"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


def test_sources_of_the_sample_with_spend_and_roi():
    at = open_app(page=PAGE)
    assert not at.exception, at.exception
    ref = open_sample_database()
    lo, hi = default_window(ref)
    fb = metrics.source_feedback(ref, lo, hi).sort_values("bookings", ascending=False)
    table = at.dataframe[0].value
    named = {"organic_search": "Organic search", "paid_search": "Paid search",
             "webinar": "Webinars", "exhibition": "Exhibitions", "referral": "Referrals",
             "partner": "Partners"}  # fmt: skip
    assert table["Source"].tolist() == [named[s] for s in fb["source"]]  # ranked by bookings
    assert table["Spend"].tolist() == pytest.approx(fb["spend"].tolist(), abs=0.5)
    # the money columns say their currency (bare 22,640,000 left the unit to guess)
    import json

    config = json.loads(at.dataframe[0].proto.columns)
    for col in ("Spend", "Bookings", "Cost per lead", "Cost per win"):
        assert config[col]["type_config"]["format"] == "yen", (col, config.get(col))
    assert table["Leads"].tolist() == fb["items"].astype(float).tolist()
    assert table["Wins"].tolist() == fb["won"].astype(float).tolist()
    roi = (fb["bookings"] - fb["spend"]) / fb["spend"]
    assert table["ROI"].tolist() == pytest.approx((roi * 100).tolist())
    cost_per_win = (fb["spend"] / fb["won"]).tolist()
    assert table["Cost per win"].tolist() == pytest.approx(cost_per_win, abs=0.5)
    spend = fb["spend"].sum()
    assert metric(at, "Spend").value == fm.money(spend, "en")
    assert metric(at, "ROI").value == fm.percent((fb["bookings"].sum() - spend) / spend, "en", 0)
    at.selectbox(key="src.sort.en").set_value("roi").run()
    assert at.dataframe[0].value["Source"].tolist() == [
        named[s] for s in fb.assign(roi=roi).sort_values("roi", ascending=False)["source"]
    ]
    ref.close()


def test_sources_without_spend_say_so_in_japanese():
    at = open_app(locale="ja-JP", page="pages/data.py")
    at.file_uploader(key="data.upload").set_value(
        [("leads.csv", csv_bytes(SF_LEADS_JA, "cp932"), "text/csv")]
    ).run()
    at.button(key="data.import").click().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert any("費用のファイル" in i.value for i in at.info)
    assert metric(at, "ROI").value == "—"


def test_a_funnel_database_held_by_another_process_says_so_in_japanese(home):
    held = state.datasets().create("held")
    path = held.path
    with another_process(f"import duckdb\ncon = duckdb.connect({str(path)!r})"):
        at = open_app(locale="ja-JP", page=PAGE)
        at.session_state[state.DATASET] = held.id
        at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        f"ファネルのデータベース {fm.inert(path)} は別のプロセスが使用中です(書き込めるのは1つだけ"
        "です)。他のアプリやコマンドを閉じてから、このページを再読み込みしてください。"
    ]


def test_the_usual_sources_are_named_in_japanese():
    """The sample's channels read as the CRM's keys (organic_search) in the Japanese UI."""
    at = open_app(locale="ja-JP", page=PAGE)
    sources = at.dataframe[0].value.iloc[:, 0].tolist()
    assert set(sources) == {"自然検索", "検索広告", "ウェビナー", "展示会", "紹介", "パートナー"}
