"""The CRM data page (AppTest): uploads through every preset, broken files with their message and
the database unchanged, the quality report and AsIs metrics as db computes them, saving a mapping,
resetting to the sample, and an Olist baseline made the active scenario."""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import streamlit as st

from db import funnel, metrics
from db.baseline import build_baseline, default_window
from db.datasets import SAMPLE
from db.errors import IMPORT_REASONS
from db.imports import import_files, read_file, save_mapping
from db.quality import quality_report
from db.sample import open_sample_database
from db.schema import create_schema
from model import parse_scenario, run_plan
from tests.app.conftest import metric, open_app
from tests.db.helpers import (
    COUNTS_JA,
    HUBSPOT,
    SF_LEADS_EN,
    SF_LEADS_JA,
    SF_OPPS_JA,
    csv_bytes,
    xlsx_bytes,
)
from ui import format as fm
from ui import state
from ui.common import source_name
from ui.i18n import translate as tr

TABLES = ("stage_history", "stage_counts", "subscriptions", "marketing_spend", "imports",
          "stage_design", "mapping_presets")  # fmt: skip
PAGE = "pages/data.py"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Every test has its own funnel database (PLANNER_HOME), never the repository's."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


def db_con(dataset: str | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on a dataset's database (the same connection the page uses): ``dataset``, else
    the newest imported one, else the sample."""
    if dataset is None:
        own = state.datasets().list()
        dataset = own[-1].id if own else SAMPLE
    return state._funnel_database(state.dataset_key(dataset)).cursor()


def target_box(at):
    """The import's "Import into" choice (a widget per language, one choice)."""
    sig, language = at.session_state["data.signature"], at.session_state["lang"]
    return at.selectbox(key=f"data.target.{sig}.{language}")


def mappings_con() -> duckdb.DuckDBPyConnection:
    """A cursor on the server's saved mappings (shared by every dataset)."""
    return state._funnel_database(str(state.home() / state.MAPPINGS_FILE)).cursor()


def counts() -> dict[str, int]:
    con = db_con()
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def upload(at, files: list[tuple[str, bytes]]):
    at.file_uploader(key="data.upload").set_value(
        [(name, data, "application/octet-stream") for name, data in files]
    ).run()
    assert not at.exception, at.exception[0].stack_trace
    return at


def do_import(at):
    at.button(key="data.import").click().run()
    assert not at.exception, at.exception
    return at


def frame(at, column: str) -> pd.DataFrame:
    """The first table on the page with ``column`` (AppTest does not expose a table's key)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a column {column!r}")


def texts(at) -> str:
    return "\n".join(
        [e.value for e in at.error] + [e.value for e in at.success] + [e.value for e in at.warning]
    )


def parquet_bytes(rows: list[list[str]]) -> bytes:
    table = pa.table({h: [r[i] or None for r in rows[1:]] for i, h in enumerate(rows[0])})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


# ----- the sample database: quality and metrics as db computes them -----------------------------
def test_sample_database_quality_and_metrics_shown_as_db_computes_them():
    at = open_app(page=PAGE)
    ref = open_sample_database()
    assert "Sample data" in at.markdown[0].value or any(
        "Sample data" in m.value for m in at.markdown
    )
    # quality: one row per check with db's counts
    q = frame(at, "Found")
    expect = {f.check: f.count for f in quality_report(ref)}
    assert q["Found"].tolist() == list(expect.values())
    assert expect["stale_open"] > 0 and "Open items older than 180 days" in q["Check"].tolist()
    # metrics for the default window (the last 12 months of lead arrivals)
    lo, hi = default_window(ref)
    assert at.select_slider(key="data.window").value == (f"{lo:%Y-%m}", f"{hi:%Y-%m}")
    summary = metrics.stage_summary(ref, lo, hi)
    table = frame(at, "Entered")
    assert table["Entered"].tolist() == summary["entered"].astype(float).tolist()
    assert table["Conversion"].tolist() == pytest.approx((summary["conversion"] * 100).tolist())
    assert table["Lead time (months)"].tolist() == pytest.approx(summary["lag_months"].tolist())
    fb = metrics.source_feedback(ref, lo, hi)
    src = frame(at, "Days to win (median)")
    assert src["Source"].tolist() == [source_name(s) for s in fb["source"]]  # in words
    assert src["Win rate"].tolist() == pytest.approx((fb["win_rate"] * 100).tolist())
    assert src["Bookings"].tolist() == pytest.approx(fb["bookings"].tolist(), abs=0.5)
    # a narrower window changes the figures
    at.select_slider(key="data.window").set_value((f"{hi:%Y}-01", f"{hi:%Y-%m}")).run()
    narrow = metrics.stage_summary(ref, f"{hi:%Y}-01", hi)
    table = frame(at, "Entered")
    assert table["Entered"].tolist() == narrow["entered"].astype(float).tolist()
    ref.close()


# ----- uploads through every preset -------------------------------------------------------------
PRESET_FILES = {
    "salesforce_leads": [("leads_ja.csv", csv_bytes(SF_LEADS_JA, "cp932"))],
    "salesforce_opportunities": [("opportunities.xlsx", xlsx_bytes(SF_OPPS_JA))],
    "hubspot_contacts": [("hubspot.parquet", parquet_bytes(HUBSPOT))],
    "monthly_counts": [("counts.csv", csv_bytes(COUNTS_JA, "utf-8-sig"))],
    "olist": [
        ("mql_leads.csv", csv_bytes([["mql_id", "first_contact_date", "landing_page_id", "origin"],
                                     ["m1", "26-02-2018", "p1", "paid_search"],
                                     ["m2", "01-03-2018", "p1", "organic_search"],
                                     ["m3", "15-03-2018", "p2", ""]])),
        ("closed_deals.csv", csv_bytes([["mql_id", "seller_id", "sdr_id", "sr_id", "won_date",
                                         "business_segment"],
                                        ["m2", "s1", "d1", "r1", "20-03-2018 10:00", "pet"]])),
    ],
}  # fmt: skip
EXPECT_ROWS = {"salesforce_leads": 6, "salesforce_opportunities": 3, "hubspot_contacts": 10,
               "monthly_counts": 5, "olist": 4}  # fmt: skip
EXPECT_ENCODING = {"salesforce_leads": "cp932", "monthly_counts": "utf-8-sig", "olist": "utf-8"}


@pytest.mark.parametrize("preset", list(PRESET_FILES))
def test_upload_each_preset_imports_its_rows(preset):
    at = open_app(page=PAGE)
    upload(at, PRESET_FILES[preset])
    assert at.selectbox(key="data.mapping.en").value == preset  # chosen from the file's columns
    facts = " ".join(c.value for c in at.caption)
    if preset in EXPECT_ENCODING:
        assert f"encoding: {EXPECT_ENCODING[preset]}" in facts
    if preset == "olist":
        assert "dates: day first (26-02-2018)" in facts
    sig = at.session_state["data.signature"]
    assert target_box(at).value == "__new__"  # a dataset of its own
    stem = PRESET_FILES[preset][0][0].rsplit(".", 1)[0]
    assert at.text_input(key=f"data.new_name.{sig}").value == stem  # named after the file
    do_import(at)
    assert not at.error, texts(at)
    ok = at.success[0].value
    n = EXPECT_ROWS[preset]
    assert f"Imported {n} rows" in ok, ok
    for name, _ in PRESET_FILES[preset]:
        assert name.replace(".", "\\.").replace("_", "\\_") in ok
    con = db_con()
    target = "stage_counts" if preset == "monthly_counts" else "stage_history"
    assert con.execute(f"SELECT count(*) FROM {target}").fetchone()[0] == n
    # the session is on the new dataset, which holds the import alone; the sample is untouched
    assert (
        at.session_state["dataset"] != SAMPLE
        and state.dataset_name(at.session_state["dataset"]) == stem
    )
    assert funnel.data_origin(con)[0] == "imported"
    assert funnel.row_counts(db_con(SAMPLE))["stage_history"] > 100_000
    assert con.execute("SELECT count(*) FROM marketing_spend").fetchone()[0] == 0
    # the page goes on to the quality report and the metrics of the new data
    assert frame(at, "Found")["Found"].dtype.kind in "iu"
    assert "Imported CRM data" in at.markdown[0].value


def test_adding_an_import_keeps_the_data_already_there():
    at = open_app(page=PAGE)
    upload(at, PRESET_FILES["salesforce_leads"])
    do_import(at)
    at.file_uploader(key="data.upload").set_value(None).run()
    upload(at, [("opps.csv", csv_bytes(SF_OPPS_JA))])
    sig, dataset = at.session_state["data.signature"], at.session_state["dataset"]
    assert target_box(at).value == dataset  # the session's dataset
    replace = at.checkbox(key=f"data.replace.{sig}.{dataset}")
    assert not replace.value  # imported data is added to by default
    do_import(at)
    assert "Imported 3 rows" in at.success[0].value
    assert db_con().execute("SELECT count(*) FROM stage_history").fetchone()[0] == 9


# ----- broken files -------------------------------------------------------------------------------
def _with(rows, row, col, value):
    out = [list(r) for r in rows]
    out[row][out[0].index(col)] = value
    return out


BROKEN = {
    "encoding": (
        [("latin1.csv", "Lead ID,Lead Source\n1,Caf\xe9 Paris\n".encode("latin-1"))],
        ["latin1.csv", "row 2", "not utf-8 or cp932 text"],
    ),
    "missing_column": (
        [("leads.csv", csv_bytes([r[1:] for r in SF_LEADS_EN]))],
        ["leads.csv", "The file has no column for Item ID (looked for “Lead ID” or"],
    ),
    "bad_date": (
        [("leads.csv", csv_bytes(_with(SF_LEADS_EN, 3, "Created Date", "31/31/2024")))],
        ["leads.csv", "row 4", "Created Date", "Not a date", "31/31/2024"],
    ),
    "unknown_status": (
        [("leads.csv", csv_bytes(_with(SF_LEADS_EN, 2, "Lead Status", "Maybe later")))],
        ["leads.csv", "row 3", "Lead Status", "Unknown Status value", "Maybe later"],
    ),
    "negative_amount": (
        [("opps.xlsx", xlsx_bytes(_with(SF_OPPS_JA, 1, "金額", "▲5,000")))],
        ["opps.xlsx", "row 2", "金額", "Must not be negative"],
    ),
    "not_a_workbook": (
        [("report.xlsx", b"this is not a zip")],
        ["report.xlsx", "Not an Excel .xlsx workbook"],
    ),
}


def test_broken_files_show_their_message_and_leave_the_database_unchanged():
    """Each broken file in turn (one session): the error names the file, row, column and why,
    and no table changes."""
    at = open_app(page=PAGE)
    before = counts()
    for case, (files, expect) in BROKEN.items():
        upload(at, files)
        if any(b.key == "data.import" for b in at.button):
            do_import(at)
        assert len(at.error) == 1, f"no error shown for {case}"
        msg = at.error[0].value
        plain = msg.replace("\\", "").replace("**", "")
        for part in expect:
            assert part.replace("\\", "") in plain, (case, part, msg)
        assert "The database is unchanged." in msg
        assert counts() == before, case
        assert state.datasets().list() == [], case  # no empty dataset is left behind
    assert funnel.data_origin(db_con())[0] == "sample"


JA_REASONS = {  # case: (code, the reason on the Japanese page, markdown as shown)
    "encoding": ("bad_encoding", "このファイルはutf\\-8またはcp932のテキストとして読めません"
                 "(25バイト目に読めないバイト0xe9があります)。上の「文字コード」でファイルの"
                 "文字コードを選んでください。"),
    "missing_column": ("missing_column", "「項目ID」にあたる列がファイルにありません(探した列名:"
                       " 「Lead ID」または「リード ID」または「リードID」)。"),
    "bad_date": ("not_a_date", "日付として読めません(例: 2024-04-01、2024/4/1、2024年4月1日)。"),
    "unknown_status": ("unknown_value", "「状況」の値として認識できません。マッピングに、この値を"
                       "converted, disqualified, lead, lost, open, opportunity, recycled, won"
                       "のどれとして扱うかの指定がありません。"),
    "negative_amount": ("negative", "マイナスの値は取り込めません。"),
    "not_a_workbook": ("not_xlsx", "Excelの.xlsxブックではありません(zip形式になっていません)。"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(JA_REASONS))
def test_error_message_in_japanese(case):
    """The reason is the catalog's Japanese text for the error's code, laid out with the file
    in Japanese; neither db's English sentence nor the English catalog text shows."""
    files, _ = BROKEN[case]
    code, reason = JA_REASONS[case]
    at = open_app(locale="ja-JP", page=PAGE)
    upload(at, files)
    if any(b.key == "data.import" for b in at.button):
        do_import(at)
    assert len(at.error) == 1, case
    msg = at.error[0].value
    assert f"**理由:** {reason}" in msg, msg
    assert "**ファイル** " + files[0][0].replace(".", "\\.") in msg
    assert "データベースは変更されていません。" in msg
    english = [IMPORT_REASONS[code], tr(f"data.err.code.{code}", "en")]
    for text in english:  # their words up to the first placeholder or bracket
        head = re.split(r"[{(“]", text)[0].strip().lower()
        assert len(head) >= 6 and head not in msg.lower(), (head, msg)


def test_japanese_error_layout_names_the_row_and_column_and_follows_the_language():
    files, _ = BROKEN["bad_date"]
    at = open_app(locale="ja-JP", page=PAGE)
    upload(at, files)
    do_import(at)
    msg = at.error[0].value
    assert "**ファイル** leads\\.csv · **行** 4 · **列** Created Date" in msg
    assert "**値:** 31/31/2024" in msg
    # the error is kept as data: switching the language shows it in English
    at.button_group(key="lang").set_value("en").run()
    msg = at.error[0].value
    assert "**File** leads\\.csv · **row** 4 · **column** Created Date" in msg
    assert "**Why:** Not a date (for example 2024-04-01 or 2024/4/1)." in msg


def test_an_error_code_the_catalogs_do_not_know_shows_the_english_reason():
    at = open_app(locale="ja-JP", page=PAGE)
    at.session_state["data.outcome"] = (
        "error",
        {
            "file": "x.csv",
            "row": None,
            "column": None,
            "value": None,
            "more": 0,
            "code": "made_up_problem",
            "params": {"n": 1},
            "reason": "something unforeseen",
        },
    )
    at.run()
    msg = at.error[0].value
    assert "**理由:** something unforeseen" in msg and "**ファイル** x\\.csv" in msg


# ----- import warnings, in Japanese ------------------------------------------------------------
ORPHAN_DEALS = [
    PRESET_FILES["olist"][0],
    ("closed_deals.csv", csv_bytes([["mql_id", "seller_id", "sdr_id", "sr_id", "won_date",
                                     "business_segment"],
                                    ["m2", "s1", "d1", "r1", "20-03-2018 10:00", "pet"],
                                    ["m8", "s1", "d1", "r1", "21-03-2018 10:00", "pet"],
                                    ["m9", "s1", "d1", "r1", "22-03-2018 10:00", "toys"]])),
]  # fmt: skip
JA_WARNINGS = {
    "olist": (ORPHAN_DEALS, "closed\\_deals\\.csvの2行は、mql\\_leads\\.csvに対応する行がないため"
              "取り込みませんでした。"),
    "hubspot": (PRESET_FILES["hubspot_contacts"], "1行はステージの日付が入っていないため、"
                "取り込みませんでした。"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(JA_WARNINGS))
def test_import_warnings_in_japanese_follow_the_language(case):
    """A real import that completes with a warning says it in Japanese, with no English left
    (neither db's sentence nor the English catalog text), and in English after a switch."""
    files, expected = JA_WARNINGS[case]
    at = open_app(locale="ja-JP", page=PAGE)
    upload(at, files)
    do_import(at)
    assert not at.error, texts(at)
    assert [w.value for w in at.warning] == [expected]
    ja = texts(at)
    for english in ("row(s)", "match no row", "no stage date", "skipped", "left out"):
        assert english not in ja, (english, ja)
    at.button_group(key="lang").set_value("en").run()
    (en,) = [w.value for w in at.warning]
    assert "row(s)" in en and "取り込み" not in en, en


# ----- the data layer's other errors, in Japanese -----------------------------------------------
def _leads_imported_ja():
    at = open_app(locale="ja-JP", page=PAGE)
    upload(at, PRESET_FILES["salesforce_leads"])
    do_import(at)
    assert not at.error, texts(at)
    return at


def test_an_import_that_does_not_fit_the_stage_design_says_why_in_japanese():
    """HubSpot's stages added to the Salesforce leads' design (lead, opportunity, won): the
    database refuses it (stages_do_not_fit), in Japanese, and is unchanged."""
    at = _leads_imported_ja()
    at.file_uploader(key="data.upload").set_value(None).run()
    before = counts()
    upload(at, [("hubspot.csv", csv_bytes(HUBSPOT))])
    assert at.selectbox(key="data.mapping.ja").value == "hubspot_contacts"
    do_import(at)
    msg = at.error[0].value
    assert (
        "**理由:** ファイルのステージ(リード → mql → sql → 商談 → 受注)が、データベースの"
        "ステージ構成(リード → 商談 → 受注)と合いません。データを置き換えるか、マッピングを"
        "変更してください。"
    ) in msg, msg
    assert "データベースは変更されていません。" in msg
    assert "do not fit" not in msg and counts() == before
    at.button_group(key="lang").set_value("en").run()  # kept as data: it follows the language
    assert "**Why:** the file's stages (Leads → mql → sql → Opportunities → Won deals) do not" in (
        at.error[0].value
    )


def test_a_mapping_with_one_stage_is_refused_in_japanese():
    """A saved mapping whose stage design has one stage: StageDesignError, in Japanese."""
    at = open_app(locale="ja-JP", page=PAGE)
    one_stage = {"kind": "history", "stages": ["visitor"], "columns": {"item_id": "id",
                 "stage": "stage", "entered_at": "entered", "outcome": "outcome"}}  # fmt: skip
    save_mapping(mappings_con(), "one stage", one_stage)
    rows = [["id", "stage", "entered", "outcome"], ["a", "visitor", "2024-01-05", "open"]]
    upload(at, [("history.csv", csv_bytes(rows))])
    assert at.selectbox(key="data.mapping.ja").value == "one stage"
    do_import(at)
    msg = at.error[0].value
    assert "**理由:** ステージは2つ以上必要です。" in msg, msg
    assert "データベースは変更されていません。" in msg


def test_saving_a_mapping_under_a_preset_name_says_why_in_japanese():
    at = open_app(locale="ja-JP", page=PAGE)
    upload(at, PRESET_FILES["salesforce_leads"])
    at.text_input(key="data.mapping_name").input("olist").run()
    at.button(key="data.save_mapping").click().run()
    assert [e.value for e in at.error] == [
        "マッピングを保存できませんでした: 「olist」は標準のプリセットの名前です。別の名前を"
        "付けてください。"
    ]


def test_a_baseline_that_cannot_be_built_says_why_in_japanese():
    """Six Salesforce leads: none that became an opportunity has an outcome yet."""
    at = _leads_imported_ja()
    assert at.select_slider(key="data.window").value == ("2024-02", "2024-04")
    at.button(key="data.build").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "ベースラインを作れません: 2024年2月〜2024年4月に「商談」に入った案件で、結果(次の"
        "ステージへの移行・失注など)が出たものがまだありません。期間を広げるか、このステージの"
        "履歴を取り込んでください。"
    ]
    assert "data.built" not in at.session_state


# ----- mappings ---------------------------------------------------------------------------------
def test_mapped_columns_and_saved_mapping():
    """A file with headers no preset knows: map the columns by hand, import, save the mapping,
    and find it in the list of presets."""
    rows = [["ID", "Origin", "Won on", "Lead on", "Opp on"],
            ["a1", "web", "", "2024-01-05", ""],
            ["a2", "web", "2024-03-01", "2024-01-09", "2024-02-01"]]  # fmt: skip
    at = open_app(page=PAGE)
    upload(at, [("custom.csv", csv_bytes(rows))])
    at.selectbox(key="data.mapping.en").set_value("salesforce_leads").run()
    sig, m = at.session_state["data.signature"], "salesforce_leads"
    assert at.warning and "Item ID" in at.warning[0].value  # required, not found
    at.selectbox(key=f"data.col.{sig}.{m}.item_id").set_value("ID")
    at.selectbox(key=f"data.col.{sig}.{m}.source").set_value("Origin")
    at.selectbox(key=f"data.date.{sig}.{m}.lead").set_value("Lead on")
    at.selectbox(key=f"data.date.{sig}.{m}.opportunity").set_value("Opp on")
    at.selectbox(key=f"data.date.{sig}.{m}.won").set_value("Won on").run()
    assert not at.warning
    at.text_input(key="data.mapping_name").input("My CRM").run()
    at.button(key="data.save_mapping").click().run()
    assert "Saved the mapping “My CRM”" in at.success[0].value
    assert "My CRM" in at.selectbox(key="data.mapping.en").options[-1]
    do_import(at)
    assert "Imported 4 rows" in at.success[0].value
    con = db_con()
    saved = (
        mappings_con()
        .execute("SELECT body FROM mapping_presets WHERE name = 'My CRM'")
        .fetchone()[0]
    )
    assert '"item_id": "ID"' in saved
    won = con.execute("SELECT item_id FROM stage_history WHERE stage = 'won'").fetchall()
    assert won == [("a2",)]


# ----- Olist: baseline, backtest, active scenario ------------------------------------------------
@pytest.mark.shared
def test_olist_baseline_becomes_the_active_scenario(olist_dir):
    leads = olist_dir / "olist_marketing_qualified_leads_dataset.csv"
    deals = olist_dir / "olist_closed_deals_dataset.csv"
    at = open_app(page=PAGE)
    at.switch_page("pages/overview.py").run()
    wins_before = metric(at, "Wins").value if any(m.label == "Wins" for m in at.metric) else None
    at.switch_page(PAGE).run()
    upload(at, [(p.name, p.read_bytes()) for p in (leads, deals)])
    assert at.selectbox(key="data.mapping.en").value == "olist"
    do_import(at)
    assert "Imported 8,842 rows" in at.success[0].value
    # the quality report finds the deal dated before its lead (db/tests/test_olist)
    q = frame(at, "Found").set_index("Check")["Found"]
    assert q["Dates out of order"] == 1
    assert at.select_slider(key="data.window").value == ("2017-06", "2018-05")
    at.button(key="data.build").click().run()
    assert not at.exception, at.exception
    # the same baseline as db builds from the same data
    ref = duckdb.connect()
    create_schema(ref)
    import_files(ref, {"leads": read_file(leads), "deals": read_file(deals)}, "olist")
    expect = build_baseline(ref, "2017-06", "2018-05", horizon=12, target_uplift=0.2)
    built = at.session_state["data.built"]["scenario"]
    assert built["stages"] == expect["stages"] and built["inflow"] == expect["inflow"]
    assert "target" not in built  # no amounts in Olist: no bookings target
    # what the rate rests on: 7,158 lost leads without a date, the lag from the 841 won ones
    rests = frame(at, "Stale after (mo.)")
    assert rests[["Used", "Resolved", "No date", "Open"]].iloc[0].tolist() == [7999, 841, 7158, 0]
    assert any(w.value.endswith(": 7,158 resolved items have no date. They count in the shares; "
                                "the lead time rests on the dated ones alone.")
               for w in at.warning)  # fmt: skip
    assert any("1 item(s) resolved before they entered are left out" in c.value
               for c in at.caption)  # fmt: skip
    assert "Won deals: Nov 2017 planned 38 against none actual." in " ".join(
        w.value for w in at.warning
    )
    assert any("no deal amounts" in w.value for w in at.warning)
    # backtest table: actual arrivals per stage over the window
    bt = frame(at, "Error (WAPE)")
    arr = metrics.arrivals(ref, "2017-06", "2018-05")
    assert bt["Actual"].tolist() == [
        float(arr.loc[arr["stage"] == s, "arrivals"].sum()) for s in ("mql", "won")
    ]
    at.button(key="data.use").click().run()
    assert at.session_state["data_source"] == "imported"
    assert "This baseline is the active scenario" in at.success[-1].value
    source = at.sidebar.selectbox[0]
    assert source.label == "Data source" and "olist" in source.format_func(source.value)
    # the overview now plans from the Olist baseline
    at.switch_page("pages/overview.py").run()
    assert not at.exception, at.exception
    plan = run_plan(parse_scenario(built))
    wins = metric(at, "Wins").value
    assert wins == fm.count(plan.totals["wins"], "en")  # whole
    assert wins != wins_before
    required = metric(at, "MQLs required per month").value
    assert required == fm.count(plan.required_inflow_per_month, "en")
    ref.close()


def test_page_in_japanese_has_no_english_headers():
    at = open_app(locale="ja-JP", page=PAGE)
    heads = [h.value for h in at.header]
    assert heads == ["取り込み", "データ品質", "AsIsの指標", "ベースラインのシナリオ"]
    assert frame(at, "件数").columns.tolist() == ["チェック", "件数", "状態"]
    assert "転換率" in frame(at, "流入").columns


def test_the_uploader_says_its_types_and_limit_in_japanese():
    """Streamlit (1.67) keeps its uploader box's texts in English ("Drag and drop files here",
    "Browse files"): the label names the accepted types and the limit, the help the box."""
    at = open_app(locale="ja-JP", page=PAGE)
    up = at.file_uploader(key="data.upload")
    mb = int(st.get_option("server.maxUploadSize"))
    types = "CSV・TSV・TXT・Excel .xlsx・Parquet"
    assert up.label == f"CRMのエクスポートファイル({types}、1つ{mb}MBまで)"
    assert "「Browse files」" in up.help and f"1ファイル{mb}MB" in up.help
    assert sorted(up.allowed_type) == [".csv", ".parquet", ".tsv", ".txt", ".xlsx"]


# ----- the baseline's provenance and the backtest's verdict (spec v2 section 7) ------------------
def test_sample_baseline_shows_what_each_rate_rests_on_and_the_backtests_verdict():
    at = open_app(page=PAGE)
    at.button(key="data.build").click().run()
    assert not at.exception, at.exception
    built = at.session_state["data.built"]["scenario"]
    ref = open_sample_database()
    expect = build_baseline(ref, "2025-04", "2026-03", horizon=12, target_uplift=0.2)
    assert built["stages"] == expect["stages"] and built["opening"] == expect["opening"]
    assert built["notes"]["baseline"]["backtest"] == expect["notes"]["baseline"]["backtest"]
    params = frame(at, "Stale after (mo.)").set_index("Stage")
    notes = expect["notes"]["baseline"]["stages"]
    assert params.loc["Opportunities", "Used"] == notes["opportunity"]["used"] == 12599
    assert params.loc["Opportunities", "Open"] == notes["opportunity"]["censored"]
    assert params.loc["Opportunities", "Stale, set aside"] == notes["opportunity"]["stale"] == 10
    assert params.loc["Leads", "Stale after (mo.)"] == notes["lead"]["stale_after"] == 4
    # the won stage misses its third month by more than sampling error: not trusted, and why
    verdict = [w.value for w in at.warning if "Not trusted" in w.value]
    assert len(verdict) == 1, [w.value for w in at.warning]
    assert verdict[0].endswith(
        "- Won deals: Jun 2025 planned 434 against 242 actual (+79.5%; "
        "sampling error allows ±25.7%)."
    ), verdict[0]
    bt = frame(at, "Verdict").set_index("Stage")
    assert bt["Verdict"].tolist() == ["Input (actual inflow)", "Trusted", "Trusted",
                                      "Not trusted"]  # fmt: skip
    assert bt.loc["Won deals", "Worst month"] == fm.month_short("2025-06", "en")
    ref.close()


def test_stale_limit_and_stale_as_lost_from_the_page_in_japanese():
    at = open_app(locale="ja-JP", page=PAGE)
    assert at.number_input(key="data.stale_after.opportunity").value is None  # auto
    at.number_input(key="data.stale_after.opportunity").set_value(2)
    at.checkbox(key="data.stale_as_lost").check()
    at.button(key="data.build").click().run()
    assert not at.exception, at.exception
    built = at.session_state["data.built"]["scenario"]
    ref = open_sample_database()
    expect = build_baseline(ref, "2025-04", "2026-03", horizon=12, target_uplift=0.2,
                            stale_after={"opportunity": 2}, stale_as_lost=True)  # fmt: skip
    assert built["stages"] == expect["stages"] and built["opening"] == expect["opening"]
    notes = built["notes"]["baseline"]
    assert notes["stale_as_lost"] is True and notes["stages"]["opportunity"]["stale_after"] == 2
    assert notes["stages"]["lead"]["stale_after"] == 4  # the others keep their default
    params = frame(at, "使った件数").set_index("ステージ")
    assert params.loc["商談", "放置・失注扱い"] == notes["stages"]["opportunity"]["stale"] > 100
    assert any("放置の項目(基準より長く未解決)は失注として数えます" in c.value for c in at.caption)
    # a lag under 2 months spreads the opening stock over 2 months: the backtest holds
    assert built["stages"][2]["lag"] < 2
    assert any("信頼できます" in m.value for m in at.success), [m.value for m in at.success]
    assert frame(at, "判定")["判定"].tolist() == ["入力(実際の流入)"] + ["信頼できる"] * 3
    ref.close()
