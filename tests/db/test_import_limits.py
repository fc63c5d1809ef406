"""The limits of an import (rows, columns, cells, bytes) are checked before the heavy work, with a
clear error, and hold under a memory cap: each probe runs ``python -m db import`` in a process
whose address space ``prlimit --as`` caps at ``MEMORY_CAP`` (the interpreter with DuckDB and
Arrow loaded needs about 1.6 GB of address space before it reads anything). Before the limits,
a 10 KB workbook (a 1,000-cell header and one cell on Excel's last row) took 5.3 GB.

Also here: numbers that are not numbers, repeated IDs, dates outside a plausible window."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from db.errors import ImportDataError
from db.imports import import_files, preset, read_file
from db.imports import readers as readers_module
from db.imports.normalize import normalize_values
from db.schema import create_schema
from tests.db import helpers as h

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 2_000_000_000  # bytes of address space
COUNTS = {"kind": "counts", "columns": {"month": "month", "stage": "stage", "count": "count"}}

needs_prlimit = pytest.mark.skipif(
    shutil.which("prlimit") is None, reason="prlimit (util-linux) is not installed"
)


def xlsx_with_last_row(width: int, last: list[object], first: list[object] | None = None) -> bytes:
    """A workbook whose header is ``month, stage, count`` and ``width - 3`` more columns, with
    ``first`` on row 2 (optional) and ``last`` on Excel's last row (1,048,576): about 10 KB."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["month", "stage", "count", *[f"c{i}" for i in range(width - 3)]])
    if first:
        ws.append(first)
    for col, value in enumerate(last, start=1):
        ws.cell(row=readers_module.EXCEL_LAST_ROW, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def capped_import(tmp_path: Path, data: bytes, name: str) -> subprocess.CompletedProcess:
    """``python -m db --db <tmp> import <file> --mapping <counts>`` under the memory cap."""
    path = tmp_path / name
    path.write_bytes(data)
    mapping = tmp_path / "counts.json"
    mapping.write_text(json.dumps(COUNTS))
    db = str(tmp_path / "funnel.duckdb")
    cmd = ["prlimit", f"--as={MEMORY_CAP}", sys.executable, "-m", "db", "--db", db, "import",
           str(path), "--mapping", str(mapping)]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def imported_rows(tmp_path: Path) -> int:
    path = tmp_path / "funnel.duckdb"
    if not path.exists():
        return 0
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM stage_counts").fetchone()[0]
    finally:
        con.close()


def assert_clear_error(run: subprocess.CompletedProcess, words: str) -> None:
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr[-2000:]
    assert words in lines[0], lines[0]
    assert "MemoryError" not in run.stderr and "Traceback" not in run.stderr


# ----- under a memory cap -------------------------------------------------------------------------
@needs_prlimit
def test_a_small_workbook_with_a_wide_header_and_a_cell_on_the_last_row_is_refused(tmp_path):
    data = xlsx_with_last_row(1000, ["2024-04", "lead", 1])
    assert len(data) < 20_000
    run = capped_import(tmp_path, data, "bomb.xlsx")
    assert_clear_error(run, "too many columns (1,000; at most 500)")
    assert imported_rows(tmp_path) == 0


@needs_prlimit
def test_a_sheet_formatted_down_to_the_last_row_imports_its_two_rows_under_the_cap(tmp_path):
    """The million blank rows between are skipped without being kept; the last row keeps its
    number."""
    data = xlsx_with_last_row(400, ["2024-05", "lead", 2], first=["2024-04", "lead", 1])
    run = capped_import(tmp_path, data, "wide.xlsx")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "imported 2 row(s) into stage_counts" in run.stdout
    assert imported_rows(tmp_path) == 2


@needs_prlimit
def test_a_csv_of_too_many_lines_is_refused_before_it_is_parsed(tmp_path):
    n = readers_module.MAX_ROWS + 1
    data = b"month,stage,count\n" + b"2024-04,lead,1\n" * n
    run = capped_import(tmp_path, data, "long.csv")
    assert_clear_error(run, f"too many rows ({n:,} or more; at most 2,000,000)")
    assert imported_rows(tmp_path) == 0


@needs_prlimit
def test_a_csv_of_too_many_cells_is_refused_before_it_is_parsed(tmp_path):
    width, rows = readers_module.MAX_COLUMNS, readers_module.MAX_CELLS // 500 + 1
    header = ",".join(["month", "stage", "count", *[f"c{i}" for i in range(width - 3)]])
    data = header.encode() + b"\n" + (b"2024-04,lead,1" + b"," * (width - 3) + b"\n") * rows
    run = capped_import(tmp_path, data, "wide.csv")
    assert_clear_error(run, f"too many cells, rows x columns ({rows * width:,} or more")
    assert imported_rows(tmp_path) == 0


@needs_prlimit
def test_a_parquet_file_of_too_many_rows_is_refused_by_its_footer(tmp_path):
    n = readers_module.MAX_ROWS + 1
    buf = io.BytesIO()
    pq.write_table(pa.table({"month": pa.array(["2024-04"] * n), "stage": ["lead"] * n,
                             "count": pa.array([1] * n)}), buf)  # fmt: skip
    run = capped_import(tmp_path, buf.getvalue(), "long.parquet")
    assert_clear_error(run, f"too many rows ({n:,} or more; at most 2,000,000)")
    assert imported_rows(tmp_path) == 0


# ----- the limits, one by one (made small) --------------------------------------------------------
def test_an_excel_sheet_stops_being_read_at_the_cell_limit(monkeypatch):
    monkeypatch.setattr(readers_module, "MAX_XLSX_CELLS", 9)
    rows = [["a", "b", "c"], *[[i, i, i] for i in range(5)]]
    with pytest.raises(ImportDataError) as err:
        read_file(h.xlsx_bytes(rows), "x.xlsx")
    assert err.value.code == "too_many_cells"
    assert err.value.params == {"found": 12, "limit": 9}


def test_an_excel_sheet_keeps_the_row_numbers_of_its_rows_across_blank_rows():
    rows = [["a", "b"], ["1", "2"], [None, None], [None, " "], ["3", "4"], [None, None]]
    raw = read_file(h.xlsx_bytes(rows), "x.xlsx")
    assert raw.table.to_pydict() == {"a": ["1", "3"], "b": ["2", "4"], "__row": [2, 5]}


def test_a_csv_header_longer_than_the_csv_modules_default_field_limit_is_read():
    """A first line over 128 KB raised csv.Error ("field larger than field limit")."""
    long_name = "x" * 200_000
    raw = read_file(f"{long_name},b\n1,2\n".encode(), "x.csv")
    assert raw.header == [long_name, "b"]


def test_a_csv_line_longer_than_the_line_limit_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(readers_module, "MAX_LINE_BYTES", 1 << 20)
    with pytest.raises(ImportDataError) as err:
        read_file(b"a,b\n" + b"x" * (3 << 20) + b",1\n", "x.csv")
    assert err.value.code == "bad_csv"


def test_a_file_on_disk_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers_module, "MAX_FILE_BYTES", 10)
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n" * 10)
    with pytest.raises(ImportDataError) as err:
        read_file(path)
    assert err.value.code == "file_too_large"


# ----- numbers that are not numbers ---------------------------------------------------------------
NOT_NUMBERS = ["NaN", "nan", "Infinity", "inf", "-inf", "1e400", "-1e400", "1.234,5", "12,5",
               "1,2345", "1,234,56", ",5"]  # fmt: skip


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_a_value_that_is_not_a_finite_number_or_has_a_comma_decimal_is_not_a_number(text):
    """1.234,5 read as 1.2345 and 12,5 as 125: a comma is a thousands separator only."""
    assert normalize_values([text], "number") == [None]


def test_thousands_separators_still_read():
    texts = ["1,234", "12,345,678.9", "(1,234)", "▲1,000", "¥1,234円", "１，２３４", "1e5", "+5"]
    assert normalize_values(texts, "number") == [1234, 12345678.9, -1234, -1000, 1234, 1234,
                                                 100000, 5]  # fmt: skip


def _counts_con(rows):
    con = duckdb.connect()
    create_schema(con)
    return con, read_file(h.csv_bytes([["month", "stage", "count"], *rows]), "c.csv")


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1e400", "1.234,5"])
def test_a_count_that_is_not_a_number_fails_the_import(text):
    con, raw = _counts_con([["2024-04", "lead", "3"], ["2024-05", "lead", text]])
    with pytest.raises(ImportDataError) as err:
        import_files(con, raw, COUNTS)
    assert (err.value.code, err.value.row, err.value.value) == ("not_a_number", 3, text)
    assert con.execute("SELECT count(*) FROM stage_counts").fetchone()[0] == 0


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_typed_parquet_number_that_is_not_finite_fails_the_import(tmp_path, value):
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"month": ["2024-04", "2024-05"], "stage": ["lead", "lead"],
                             "count": pa.array([1.0, value])}), path)  # fmt: skip
    con = duckdb.connect()
    create_schema(con)
    with pytest.raises(ImportDataError) as err:
        import_files(con, readers_module.open_parquet(path), COUNTS)
    assert (err.value.code, err.value.row) == ("not_a_number", 3)


def test_a_nan_amount_in_a_typed_history_file_read_straight_from_disk_fails(tmp_path):
    """A history file whose only checks are typed numbers is read as a view (no staged copy),
    its empty cells found by the insert: the NaN is still caught before anything is written."""
    import datetime as dt

    path = tmp_path / "h.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "stage": ["lead", "lead"],
                             "at": pa.array([dt.datetime(2024, 4, 1)] * 2, pa.timestamp("s")),
                             "outcome": ["open", "open"],
                             "amount": pa.array([5.0, float("nan")])}), path)  # fmt: skip
    mapping = {"kind": "history", "columns": {"item_id": "id", "stage": "stage",
               "entered_at": "at", "outcome": "outcome", "amount": "amount"}}  # fmt: skip
    con = duckdb.connect()
    create_schema(con)
    with pytest.raises(ImportDataError) as err:
        import_files(con, readers_module.open_parquet(path), mapping)
    assert (err.value.code, err.value.row, err.value.value) == ("not_a_number", 3, "nan")
    assert con.execute("SELECT count(*) FROM stage_history").fetchone()[0] == 0


# ----- repeated IDs ------------------------------------------------------------------------------
def test_a_repeated_id_is_one_item_its_last_row_and_no_row_is_said_to_lack_a_date():
    """Contact 101 twice: the second row (a later state: opportunity, no customer date) is the
    item; the warning used to say a row had no stage date."""
    later = list(h.HUBSPOT[1])
    later[h.HUBSPOT[0].index("Became a Customer Date")] = ""
    con = duckdb.connect()
    create_schema(con)
    rows = [*h.HUBSPOT[:5], later]
    result = import_files(con, read_file(h.csv_bytes(rows), "hs.csv"), "hubspot_contacts")
    assert [w.code for w in result.warnings] == ["duplicate_ids"]
    assert result.warnings[0].params == {"count": 1, "file": "hs.csv", "column": "Record ID",
                                         "value": "101", "row": 2}  # fmt: skip
    assert result.rows_skipped == 0
    stages = con.execute(
        "SELECT stage FROM stage_history WHERE item_id = '101' ORDER BY entered_at"
    )
    assert [s for (s,) in stages.fetchall()] == ["lead", "mql", "sql", "opportunity"]
    assert con.execute("SELECT count(DISTINCT item_id) FROM stage_history").fetchone()[0] == 4


# ----- dates outside a plausible window ----------------------------------------------------------
def test_dates_in_2099_or_year_one_are_imported_with_a_warning_naming_the_first():
    con = duckdb.connect()
    create_schema(con)
    rows = [h.SF_LEADS_EN[0], *h.SF_LEADS_EN[1:3]]
    rows[2] = list(rows[2])
    rows[2][rows[0].index("Created Date")] = "3/1/2099"
    result = import_files(con, read_file(h.csv_bytes(rows), "l.csv"), preset("salesforce_leads"))
    (w,) = result.warnings
    assert w.code == "implausible_dates"
    assert (w.params["count"], w.params["row"], w.params["value"]) == (1, 3, "3/1/2099")
    assert w.params["column"] == "Created Date"


def test_csv_module_reads_a_field_as_long_as_a_line():
    assert csv.field_size_limit() >= readers_module.MAX_LINE_BYTES
