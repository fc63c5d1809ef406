"""Small files shaped like real exports, and a database snapshot for no-change checks."""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb

TABLES = ("stage_history", "stage_counts", "subscriptions", "marketing_spend", "imports",
          "stage_design", "mapping_presets")  # fmt: skip


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Every row of every table (small test databases only)."""
    return {t: sorted(map(repr, con.execute(f"FROM {t}").fetchall())) for t in TABLES}


# the error classes whose codes are not import codes (db.errors.MESSAGES, not IMPORT_REASONS)
DATA_ERRORS = ("DataLayerError", "StageDesignError", "ScenarioStoreError", "DatabaseLockedError",
               "DatabaseDamagedError")  # fmt: skip


def _codes_in_db(data_errors: bool) -> dict[str, list[str]]:
    """The codes written in db/ (``code="..."`` in a call), with where they are written: those
    of calls to ``DATA_ERRORS`` classes, or those of every other call."""
    root = Path(__file__).resolve().parents[2]
    found: dict[str, list[str]] = {}
    for path in sorted((root / "db").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            callee = getattr(node.func, "id", getattr(node.func, "attr", None))
            if (callee in DATA_ERRORS) != data_errors:
                continue
            for kw in node.keywords:
                if kw.arg == "code":
                    for code in _constants(kw.value):
                        where = f"{path.relative_to(root)}:{node.lineno}"
                        found.setdefault(code, []).append(where)
    return found


def _constants(node: ast.expr) -> list[str]:
    """The strings an expression can be: a constant, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


@contextlib.contextmanager
def another_process(code: str) -> Iterator[None]:
    """Python ``code`` run by another process for the length of the block: the block starts once
    the code has run (holding a lock, a database open), and the process ends after it."""
    script = f"import sys\n{textwrap.dedent(code)}\nprint('ready', flush=True)\nsys.stdin.read()\n"
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.stdin.close()
        holder.wait(10)
        holder.stdout.close()


def import_error_codes_in_db() -> dict[str, list[str]]:
    """Every import error code written in db/ (``code="..."`` in a call: ``ImportDataError``
    itself or the helpers that pass the code on), with where it is written."""
    return _codes_in_db(data_errors=False)


def data_error_codes_in_db() -> dict[str, list[str]]:
    """Every other error code written in db/ (``code="..."`` in a call to one of
    ``DATA_ERRORS``), with where it is written."""
    return _codes_in_db(data_errors=True)


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SF_LEADS_EN = [
    ["Lead ID", "First Name", "Last Name", "Company / Account", "Lead Source", "Lead Status",
     "Lead Owner", "Industry", "Created Date", "Converted Date", "Last Modified Date"],
    ["00Q5g00000A1", "Taro", "Yamada", "Acme KK", "Web", "Closed - Converted", "Sato",
     "Technology", "2/26/2024", "3/15/2024", "3/15/2024"],
    ["00Q5g00000A2", "Hanako", "Suzuki", "Beta", "Seminar", "Closed - Not Converted", "Sato",
     "Retail", "3/1/2024", "", "4/2/2024"],
    ["00Q5g00000A3", "Ken", "Tanaka", "Gamma", "Web", "Unqualified", "Ito", "Retail",
     "3/5/2024", "", "3/6/2024"],
    ["00Q5g00000A4", "Yui", "Kato", "Delta", "Partner", "Nurturing", "Ito", "Finance",
     "3/20/2024", "", "5/1/2024"],
    ["00Q5g00000A5", "Jo", "Abe", "Eps", "Web", "Working - Contacted", "Sato", "Finance",
     "4/2/2024 9:30 AM", "", "4/3/2024"],
]  # fmt: skip

SF_LEADS_JA = [
    ["リード ID", "名", "姓", "会社名 / 取引先名", "リードソース", "リード状況", "リード所有者",
     "業種", "作成日", "取引開始日", "最終更新日"],
    ["00Q5g00000B1", "太郎", "髙橋", "㈱アクメ", "Ｗｅｂ", "取引開始済み", "佐藤", "製造",
     "2024/02/26", "２０２４/０３/１５", "2024/03/15"],
    ["00Q5g00000B2", "花子", "鈴木", "ベータ①", "展示会", "クローズ - 取引未開始", "佐藤", "小売",
     "2024/03/01", "", "2024/04/02"],
    ["00Q5g00000B3", "健", "田中", "ガンマ", "Web", "不適格", "伊藤", "小売", "2024年3月5日", "",
     "2024/03/06"],
    ["00Q5g00000B4", "結衣", "加藤", "デルタ", "ｾﾐﾅｰ", "ナーチャリング", "伊藤", "金融",
     "2024/03/20", "", "2024/05/01"],
    ["00Q5g00000B5", "丈", "阿部", "イプス", "Web", "対応中", "佐藤", "金融", "45384", "", ""],
]  # fmt: skip

SF_OPPS_EN = [
    ["Opportunity ID", "Opportunity Name", "Account Name", "Stage", "Amount", "Close Date",
     "Created Date", "Lead Source", "Opportunity Owner", "Type", "Probability (%)"],
    ["0065g00000X1", "Acme - Pro", "Acme", "Closed Won", "JPY 1,200,000", "5/31/2024",
     "3/15/2024", "Web", "Yamamoto", "New Business", "100"],
    ["0065g00000X2", "Beta - Std", "Beta", "Closed Lost", "600,000", "6/10/2024", "4/1/2024",
     "Seminar", "Nakamura", "New Business", "0"],
    ["0065g00000X3", "Gamma - Ent", "Gamma", "Negotiation/Review", "9,600,000", "7/31/2024",
     "5/2/2024", "Partner", "Yamamoto", "New Business", "80"],
]  # fmt: skip

SF_OPPS_JA = [
    ["商談 ID", "商談名", "取引先名", "フェーズ", "金額", "完了予定日", "作成日", "リードソース",
     "商談 所有者", "種別", "確度 (%)"],
    ["0065g00000Y1", "アクメ", "㈱アクメ", "成立", "¥1,200,000", "2024/05/31", "2024/03/15", "Web",
     "山本", "新規", "100"],
    ["0065g00000Y2", "ベータ", "ベータ", "不成立", "６０００００", "2024/06/10", "2024/04/01",
     "展示会", "中村", "新規", "0"],
]  # fmt: skip

HUBSPOT = [
    ["Record ID", "First Name", "Last Name", "Email", "Lifecycle Stage", "Create Date",
     "Became a Lead Date", "Became a Marketing Qualified Lead Date",
     "Became a Sales Qualified Lead Date", "Became an Opportunity Date",
     "Became a Customer Date", "Original Source", "Lead Status", "Contact owner"],
    ["101", "A", "B", "a@x.jp", "Customer", "2024-01-05 10:00", "2024-01-05 10:00",
     "2024-01-20 12:00", "2024-02-01 09:00", "2024-02-10 09:00", "2024-04-01 15:30",
     "Organic Search", "", "Sato"],
    ["102", "C", "D", "c@x.jp", "Lead", "2024-01-07 10:00", "2024-01-07 10:00", "", "", "", "",
     "Paid Search", "Unqualified", "Sato"],
    ["103", "E", "F", "e@x.jp", "Marketing Qualified Lead", "2024-02-07 10:00",
     "2024-02-07 10:00", "2024-02-09 10:00", "", "", "", "Social Media", "Bad Timing", "Ito"],
    ["104", "G", "H", "g@x.jp", "Customer", "2024-02-11 10:00", "2024-02-11 10:00", "", "", "",
     "2024-03-01 10:00", "Referrals", "", "Ito"],
    ["105", "I", "J", "i@x.jp", "Subscriber", "2024-02-12 10:00", "", "", "", "", "",
     "Direct Traffic", "", ""],
]  # fmt: skip

COUNTS_JA = [
    ["年月", "ステージ", "件数", "流入元"],
    ["2024-04", "訪問者", "12,000", "web"],
    ["2024-04", "リード", "300", "web"],
    ["2024/05", "訪問者", "１３，５００", "web"],
    ["2024/05", "リード", "320", "web"],
    ["2024-06-01", "商談", "80", "web"],
]
