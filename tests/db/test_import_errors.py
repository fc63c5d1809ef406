"""Import errors carry a machine code and its params (which the UI translates), while their English
text (CLI, logs) stays word for word what it was before the codes existed.

Every case below makes a real file or mapping fail; ``EXPECT`` holds the message each one gave
before the codes were introduced (recorded from that version)."""

from __future__ import annotations

import io
import zipfile
from string import Formatter

import duckdb
import pyarrow as pa
import pytest

from db.errors import IMPORT_REASONS, ImportDataError, import_reason
from db.heads import read_heads
from db.imports import import_files, preset, read_file
from db.imports import readers as readers_module
from db.imports.mapping import resolve
from db.schema import create_schema
from tests.db import helpers as h

LEADS = h.csv_bytes(h.SF_LEADS_EN)
OPPS = h.csv_bytes(h.SF_OPPS_EN)


def _with(rows, row, col, value):
    out = [list(r) for r in rows]
    out[row][out[0].index(col)] = value
    return out


def _import(files, mapping):
    con = duckdb.connect()
    create_schema(con)
    try:
        named = {role: read_file(data, name) for role, (name, data) in files.items()}
        return import_files(con, named, mapping)
    finally:
        con.close()


def _leads_with(col, value, row=2):
    return _import({"main": ("x.csv", h.csv_bytes(_with(h.SF_LEADS_EN, row, col, value)))},
                   "salesforce_leads")  # fmt: skip


def _mapping(**changes):
    m = preset("salesforce_leads")
    for key, value in changes.items():
        section, _, name = key.partition("__")
        m.setdefault(section, {})[name] = value
    return m


def _zip_without_a_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


def _olist(deals_rows, join_on="mql_id"):
    m = preset("olist")
    m["join"]["on"] = join_on
    leads = [["mql_id", "first_contact_date", "origin"], ["m1", "01-02-2018", "x"],
             ["m2", "02-02-2018", ""]]  # fmt: skip
    files = {
        "leads": ("mql.csv", h.csv_bytes(leads)),
        "deals": ("deals.csv", h.csv_bytes(deals_rows)),
    }
    return _import(files, m)


def _patched(obj, attr, value, call):
    """``call()`` with ``obj.attr`` set to ``value`` for its duration."""
    old = getattr(obj, attr)
    setattr(obj, attr, value)
    try:
        return call()
    finally:
        setattr(obj, attr, old)


def _heads(rows):
    names = {"inside_sales": ["Inside sales", "インサイドセールス"], "field_sales": []}
    data = h.csv_bytes([["division", "month", "heads"], *rows])
    return read_heads(data, "h.csv", "2026-04", 2, names)


def _unparseable(*args, **kwargs):
    raise pa.ArrowInvalid("CSV parse error: a made-up problem\nsecond line")


DEALS = [["mql_id", "sdr_id", "sr_id", "won_date", "business_segment"],
         ["m2", "s", "r", "03-02-2018", "pet"]]  # fmt: skip
EMPTY_SHEET = h.xlsx_bytes([])

CASES = {
    "unknown_encoding": lambda: read_file(b"a\n1\n", "x.csv", encoding="latin-9"),
    "bad_encoding": lambda: read_file("id,src\n1,Caf\xe9\n".encode("latin-1"), "l.csv"),
    "empty_file": lambda: read_file(b"  \n", "x.csv"),
    "no_header": lambda: read_file(b",,\n1,2,3\n", "x.csv"),
    "blank_header": lambda: read_file(b"a,,c\n1,2,3\n", "x.csv"),
    "duplicate_header": lambda: read_file(b"a,b,a\n1,2,3\n", "x.csv"),
    "reserved_header": lambda: read_file(b"a,__row\n1,2\n", "x.csv"),
    "ragged_row": lambda: read_file(b"a,b\n1,2\n3\n", "x.csv"),
    "bad_csv": lambda: _patched(
        readers_module.pacsv, "read_csv", _unparseable, lambda: read_file(b"a\n1\n", "x.csv")
    ),
    "xlsx_too_large": lambda: _patched(
        readers_module,
        "MAX_XLSX_UNCOMPRESSED",
        1000,
        lambda: read_file(h.xlsx_bytes([["a"], ["1"]]), "big.xlsx"),
    ),
    "not_xlsx": lambda: read_file(b"not a zip", "x.xlsx"),
    "bad_xlsx": lambda: read_file(_zip_without_a_workbook(), "x.xlsx"),
    "no_sheet": lambda: read_file(h.xlsx_bytes([["a"], ["1"]]), "x.xlsx", sheet="Leads"),
    "empty_sheet": lambda: read_file(EMPTY_SHEET, "x.xlsx"),
    "bad_parquet": lambda: read_file(b"PAR1 not really", "x.parquet"),
    "unreadable_file": lambda: read_file("/nonexistent/folder/leads.csv"),
    "xls_unsupported": lambda: read_file(b"\xd0\xcf\x11\xe0", "old.xls"),
    "unknown_file_type": lambda: read_file(b"%PDF", "report.pdf"),
    "too_many_rows": lambda: _patched(
        readers_module, "MAX_ROWS", 2, lambda: read_file(b"a\n1\n2\n3\n", "x.csv")
    ),
    "too_many_columns": lambda: _patched(
        readers_module, "MAX_COLUMNS", 2, lambda: read_file(b"a,b,c\n1,2,3\n", "x.csv")
    ),
    "too_many_cells": lambda: _patched(
        readers_module, "MAX_CELLS", 5, lambda: read_file(b"a,b,c\n1,2,3\n4,5,6\n", "x.csv")
    ),
    "no_rows": lambda: _import(
        {"main": ("x.csv", h.csv_bytes(h.SF_LEADS_EN[:1]))}, "salesforce_leads"
    ),
    "file_too_large": lambda: _patched(
        readers_module, "MAX_FILE_BYTES", 3_000_000, lambda: read_file(b"a\n" * 2_000_000, "x.csv")
    ),
    "bad_field_ref": lambda: resolve(_mapping(columns__source=[7]), h.SF_LEADS_EN[0], "x.csv"),
    "bad_stage_date_ref": lambda: resolve(_mapping(stage_dates__lead=[1]), h.SF_LEADS_EN[0], "x"),
    "bad_owner_ref": lambda: resolve(_mapping(owners__lead=[None]), h.SF_LEADS_EN[0], "x.csv"),
    "missing_column": lambda: resolve(preset("salesforce_leads"), h.SF_LEADS_EN[0][1:], "x.csv"),
    "unmapped_field": lambda: resolve(
        {"kind": "counts", "columns": {"month": "m", "stage": "s"}}, ["m", "s"], "c.csv"
    ),
    "no_stage_dates": lambda: resolve(preset("salesforce_leads"), h.SF_LEADS_EN[0][:8], "x.csv"),
    "missing_join_column": lambda: _olist(DEALS, join_on="lead_id"),
    "duplicate_join_key": lambda: _olist([*DEALS, DEALS[1]]),
    "not_a_date": lambda: _leads_with("Created Date", "31/31/2024"),
    "not_a_number": lambda: _import(
        {"main": ("o.csv", h.csv_bytes(_with(h.SF_OPPS_EN, 2, "Amount", "1.2 million")))},
        "salesforce_opportunities",
    ),
    "negative": lambda: _import(
        {"main": ("o.csv", h.csv_bytes(_with(h.SF_OPPS_EN, 1, "Amount", "▲100")))},
        "salesforce_opportunities",
    ),
    "empty_field": lambda: _leads_with("Lead ID", ""),
    "unknown_value": lambda: _leads_with("Lead Status", "Maybe later", row=3),
    # a sheet of heads by division and month (db/heads.py)
    "not_a_month": lambda: _heads([["inside_sales", "April", "8"]]),
    "too_large": lambda: _heads([["inside_sales", "2026-04", "1e19"]]),
    "heads_unknown_division": lambda: _heads([["sales", "2026-04", "8"]]),
    "heads_month_outside": lambda: _heads([["inside_sales", "2026-06", "8"]]),
    "heads_duplicate": lambda: _heads(
        [["inside_sales", "2026-04", "8"], ["インサイドセールス", "2026年4月", "8"]]
    ),  # fmt: skip
    "heads_month_missing": lambda: _heads([["inside_sales", "2026-05", "8"]]),
}

# str() of each case's error before the codes existed (the version of db/ at 9cb56ef)
EXPECT = {
    "unknown_encoding": (
        "x.csv: unknown encoding 'latin-9': choose utf-8, utf-8-sig, cp932 or utf-16"
    ),
    "bad_encoding": (
        "l.csv, row 2: the file is not utf-8 or cp932 text: bad byte 0xe9 at byte 12 (choose "
        "the file's encoding)"
    ),
    "empty_file": "x.csv: the file is empty",
    "no_header": "x.csv, row 1: the file has no header row",
    "blank_header": "x.csv, row 1: column 2 has no header",
    "duplicate_header": "x.csv, row 1, column 'a': two columns have the same header",
    "reserved_header": "x.csv, row 1, column '__row': reserved column name",
    "ragged_row": "x.csv, row 3: this row has a different number of columns than the header (2)",
    "bad_csv": "x.csv: cannot parse the file as CSV: CSV parse error: a made-up problem",
    "xlsx_too_large": "big.xlsx: the workbook unpacks to 0 MB, more than this app reads",
    "not_xlsx": "x.xlsx: not an Excel .xlsx workbook (not a zip archive)",
    "bad_xlsx": (
        "x.xlsx: cannot open the workbook: \"There is no item named '[Content_Types].xml' in "
        'the archive"'
    ),
    "no_sheet": "x.xlsx: no sheet 'Leads' (sheets are: Sheet)",
    "empty_sheet": "x.xlsx: the sheet is empty",
    "bad_parquet": (
        "x.parquet: not a readable Parquet file: Could not open Parquet input source "
        "'<Buffer>': Parquet magic bytes not found in footer. Either the file is corrupted or "
        "this is not a parquet file."
    ),
    "unreadable_file": "leads.csv: cannot read the file: No such file or directory",
    "xls_unsupported": "old.xls: old .xls workbooks are not supported: save as .xlsx or CSV",
    "unknown_file_type": "report.pdf: unknown file type 'pdf': use CSV, Excel (.xlsx) or Parquet",
    # the limits of a file (new codes, no earlier text)
    "too_many_rows": "x.csv: the file has too many rows (3 or more; at most 2)",
    "too_many_columns": "x.csv, row 1: the file has too many columns (3; at most 2)",
    "too_many_cells": "x.csv: the file has too many cells, rows x columns (6 or more; at most 5): "
    "import fewer rows or drop unused columns",
    "file_too_large": "x.csv: the file is 4 MB, more than this app reads (3 MB)",
    "no_rows": "x.csv: the file has a header but no rows",
    "bad_field_ref": "x.csv: the mapping of source must be a column name or a list of them",
    "bad_stage_date_ref": "x: the mapping of the lead date must be a column name or a list of them",
    "bad_owner_ref": "x.csv: the mapping of the lead owner must be a column name or a list of them",
    "missing_column": (
        "x.csv: the file has no column for item_id "
        "(looked for ['Lead ID', 'リード ID', 'リードID'])"
    ),
    "unmapped_field": "c.csv: the mapping names no column for the required field count",
    "no_stage_dates": "x.csv: none of the stage date columns of the mapping is in the file",
    "missing_join_column": "mql.csv, column 'lead_id': the join column is missing",
    "duplicate_join_key": (
        "deals.csv, row 3, column 'mql_id': the join key appears 2 times; each deals row must "
        "match one item (value 'm2')"
    ),
    "not_a_date": "x.csv, row 3, column 'Created Date': not a date (value '31/31/2024')",
    "not_a_number": "o.csv, row 3, column 'Amount': not a number (value '1.2 million')",
    "negative": "o.csv, row 2, column 'Amount': must not be negative (value '▲100')",
    "empty_field": "x.csv, row 3, column 'Lead ID': the item_id is empty",
    "unknown_value": (
        "x.csv, row 4, column 'Lead Status': unknown status value: map it to one of converted, "
        "disqualified, lead, lost, open, opportunity, recycled, won in the mapping's "
        "values.status (value 'Maybe later')"
    ),
    # the heads sheet (new codes, no earlier text)
    "not_a_month": "h.csv, row 2, column 'month': not a month: write 2026-04, 2026/4 or 2026年4月 "
    "(value 'April')",
    "too_large": "h.csv, row 2, column 'heads': more than 1e+18 (value '1e19')",
    "heads_unknown_division": "h.csv, row 2, column 'division': unknown division: this "
    "scenario's teams are inside_sales, field_sales (value 'sales')",
    "heads_month_outside": "h.csv, row 2, column 'month': 2026-06 is outside the plan (2026-04 "
    "to 2026-05) (value '2026-06')",
    "heads_duplicate": "h.csv, row 3, column 'month': inside_sales in 2026-04 is given twice "
    "(first in row 2) (value '2026年4月')",
    "heads_month_missing": "h.csv: inside_sales has no heads for 2026-04 (1 month(s) of the "
    "plan missing): give every month of the plan",
}


def raised(case: str) -> ImportDataError:
    """The error a case raises."""
    with pytest.raises(ImportDataError) as err:
        CASES[case]()
    return err.value


@pytest.mark.parametrize("case", list(CASES))
def test_each_error_has_its_code_and_the_english_text_it_always_had(case):
    e = raised(case)
    assert e.code == case
    assert str(e) == EXPECT[case]
    assert e.reason == import_reason(e.code, e.params)
    assert str(e).split(": ", 1)[1].startswith(e.reason)


def test_every_code_has_a_case_and_a_registered_reason():
    assert set(CASES) == set(IMPORT_REASONS)
    assert set(h.import_error_codes_in_db()) == set(IMPORT_REASONS)


def test_the_codes_raise_sites_use_are_all_registered():
    """Codes are written at the raise sites (``code="..."``); one missing from the registry (and
    so from the translations) fails here, without the error having to happen."""
    used = h.import_error_codes_in_db()
    assert used, "no codes found: has the way they are written changed?"
    assert set(used) <= set(IMPORT_REASONS), set(used) - set(IMPORT_REASONS)


def test_reasons_use_only_their_params():
    for code, template in IMPORT_REASONS.items():
        e = raised(code)
        names = {f for _, f, _, _ in Formatter().parse(template) if f}
        assert names <= set(e.params), code


def test_an_unregistered_code_still_makes_an_error_with_a_reason():
    e = ImportDataError("x.csv", code="made_up_problem", params={"n": 2}, row=5)
    assert e.reason == "made up problem {'n': 2}"
    assert str(e) == "x.csv, row 5: made up problem {'n': 2}"


@pytest.mark.parametrize("ref", [7, 3.5, {"Lead Source": 1}, True])
def test_a_mapping_that_is_neither_a_header_nor_a_list_is_an_import_error(ref) -> None:
    """Before, a bare number raised TypeError ('int' object is not iterable) and a dict was
    silently taken as the list of its keys."""
    with pytest.raises(ImportDataError) as err:
        resolve(_mapping(columns__source=ref), h.SF_LEADS_EN[0], "x.csv")
    assert err.value.code == "bad_field_ref"
