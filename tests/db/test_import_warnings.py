"""Import warnings carry a machine code and its params (which the UI translates), while their
English text (the CLI's ``warning:`` lines, logs) stays word for word what it was before the
codes existed.

Every case below imports a real file that the import accepts with a warning; ``EXPECT`` holds
the text each one gave before the codes were introduced (recorded from that version)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path
from string import Formatter

import pytest

from db.errors import IMPORT_WARNINGS, ImportDataWarning
from db.imports import preset
from tests.db import helpers as h
from tests.db.test_import_errors import _import


def _olist_with_orphans():
    """Two deals whose lead is not in the leads file."""
    leads = [["mql_id", "first_contact_date", "origin"], ["m1", "01-02-2018", "x"],
             ["m2", "02-02-2018", ""]]  # fmt: skip
    deals = [["mql_id", "sdr_id", "sr_id", "won_date", "business_segment"],
             ["m2", "s", "r", "03-02-2018", "pet"], ["m8", "s", "r", "04-02-2018", "pet"],
             ["m9", "s", "r", "05-02-2018", "toys"]]  # fmt: skip
    files = {"leads": ("mql.csv", h.csv_bytes(leads)), "deals": ("deals.csv", h.csv_bytes(deals))}
    return _import(files, preset("olist"))


def _hubspot_with_a_dateless_contact():
    return _import({"main": ("hubspot.csv", h.csv_bytes(h.HUBSPOT))}, "hubspot_contacts")


def _hubspot_with_a_repeated_contact():
    """Contact 102 on two rows (rows 3 and 6): one contact, its last row; no contact lacks a
    stage date (the rows without a date used to be counted as rows minus distinct IDs)."""
    rows = [*h.HUBSPOT[:5], h.HUBSPOT[2]]
    return _import({"main": ("hubspot.csv", h.csv_bytes(rows))}, "hubspot_contacts")


def _counts_with_a_far_month():
    rows = [["month", "stage", "count"], ["2024-04", "lead", "3"], ["2099-04", "lead", "2"],
            ["0001-04", "lead", "1"]]  # fmt: skip
    mapping = {"kind": "counts", "columns": {"month": "month", "stage": "stage", "count": "count"}}
    return _import({"main": ("counts.csv", h.csv_bytes(rows))}, mapping)


CASES = {
    "unmatched_join_rows": _olist_with_orphans,
    "rows_without_stage_date": _hubspot_with_a_dateless_contact,
    "duplicate_ids": _hubspot_with_a_repeated_contact,
    "implausible_dates": _counts_with_a_far_month,
}

EXPECT = {
    "unmatched_join_rows": "deals.csv: 2 row(s) match no row of mql.csv",
    "rows_without_stage_date": "1 row(s) have no stage date and were skipped",
    # new codes (no earlier text)
    "duplicate_ids": "hubspot.csv: 1 row(s) repeat the Record ID of a later row and were left "
    "out, the first being row 3 ('102'): each ID's last row was imported",
    "implausible_dates": "counts.csv: 2 date(s) are before 1990-01-01 or after {latest}, the "
    "first in row 3, column 'month' ('2099-04'): check the years",
}


def warned(case: str) -> ImportDataWarning:
    """The one warning a case's import gives."""
    (w,) = CASES[case]().warnings
    return w


def warning_codes_in_db() -> dict[str, list[str]]:
    """Every warning code written in db/ (``ImportDataWarning("code", ...)``), with where."""
    root = Path(__file__).resolve().parents[2]
    found: dict[str, list[str]] = {}
    for path in sorted((root / "db").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "ImportDataWarning"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                where = f"{path.relative_to(root)}:{node.lineno}"
                found.setdefault(node.args[0].value, []).append(where)
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_each_warning_has_its_code_and_the_english_text_it_always_had(case):
    w = warned(case)
    assert w.code == case
    expect = EXPECT[case].replace("{latest}", str(w.params.get("latest")))
    assert w == expect and str(w) == expect
    assert ImportDataWarning(w.code, w.params) == w


def test_every_code_has_a_case_and_a_registered_text():
    assert set(CASES) == set(IMPORT_WARNINGS)
    assert set(warning_codes_in_db()) == set(IMPORT_WARNINGS), warning_codes_in_db()


def test_texts_use_only_their_params():
    for code, template in IMPORT_WARNINGS.items():
        names = {f for _, f, _, _ in Formatter().parse(template) if f}
        assert names <= set(warned(code).params), code


def test_a_warning_survives_pickle_with_its_code_and_params():
    w = warned("unmatched_join_rows")
    again = pickle.loads(pickle.dumps(w))
    assert (again.code, again.params, str(again)) == (w.code, w.params, str(w))
    assert w.params == {"file": "deals.csv", "count": 2, "main": "mql.csv"}


def test_an_unregistered_code_still_makes_a_warning():
    assert ImportDataWarning("made_up_note", {"n": 2}) == "made up note {'n': 2}"
