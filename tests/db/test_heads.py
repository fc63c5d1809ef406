"""Heads by division and month from a sheet (issue 10, spec section 8's planned heads): the
formats read (CSV in three encodings, Excel with real dates), the headers and division names in
English and Japanese, and every bad row refused with its code and row (all or nothing); the CLI
that puts the lists into a scenario."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from db.cli import main
from db.errors import ImportDataError
from db.heads import month_of, read_heads
from tests.db import helpers as h

ROOT = Path(__file__).resolve().parents[2]
START, H = "2026-04", 3
NAMES = {
    "inside_sales": ("Inside sales", "インサイドセールス"),
    "field_sales": ("Field sales", "フィールドセールス"),
}


def heads(rows, name="heads.csv", encoding="utf-8", divisions=NAMES):
    data = h.xlsx_bytes(rows) if name.endswith(".xlsx") else h.csv_bytes(rows, encoding)
    return read_heads(data, name, START, H, divisions)


def refused(rows, **kw) -> ImportDataError:
    with pytest.raises(ImportDataError) as err:
        heads(rows, **kw)
    return err.value


GOOD = [["division", "month", "heads"],
        ["inside_sales", "2026-04", "8"], ["inside_sales", "2026-05", "9.5"],
        ["inside_sales", "2026-06", "10"]]  # fmt: skip


def test_a_division_by_key_gets_its_list_in_month_order():
    shuffled = [GOOD[0], GOOD[3], GOOD[1], GOOD[2]]
    assert heads(shuffled) == {"inside_sales": [8.0, 9.5, 10.0]}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_japanese_headers_names_and_months_in_each_encoding(encoding):
    rows = [["部門", "年月", "人数"],
            ["インサイドセールス", "2026年4月", "８"], ["インサイドセールス", "2026/5", "9"],
            ["インサイドセールス", "2026年6月", "10"],
            ["フィールドセールス", "2026-04", "3"], ["フィールドセールス", "2026/05", "3"],
            ["フィールドセールス", "2026.6", "4"]]  # fmt: skip
    got = heads(rows, encoding=encoding)
    assert got == {"inside_sales": [8.0, 9.0, 10.0], "field_sales": [3.0, 3.0, 4.0]}


def test_other_headers_english_names_and_extra_columns():
    rows = [["Department", "Note", "Year month", "Headcount"],
            ["Field sales", "x", "Apr 2026", "3"], ["field sales", "", "2026-05-01", "3"],
            ["FIELD SALES", "", "June 2026", "4"]]  # fmt: skip
    assert heads(rows) == {"field_sales": [3.0, 3.0, 4.0]}
    ja = [["部署", "月", "ヘッドカウント"], ["field_sales", "2026-04", "1"],
          ["field_sales", "2026-05", "1"], ["field_sales", "2026-06", "1"]]  # fmt: skip
    assert heads(ja) == {"field_sales": [1.0, 1.0, 1.0]}


def test_excel_with_real_dates_and_numbers():
    rows = [["division", "month", "heads"],
            ["inside_sales", dt.datetime(2026, 4, 1), 8],
            ["inside_sales", dt.date(2026, 5, 1), 8.5],
            ["inside_sales", "2026年6月", 9]]  # fmt: skip
    assert heads(rows, name="heads.xlsx") == {"inside_sales": [8.0, 8.5, 9.0]}


def test_months_as_written():
    assert month_of("2026-04") == "2026-04"
    assert month_of("2026/4") == "2026-04"
    assert month_of("２０２６年４月") == "2026-04"
    assert month_of("2026年4月1日") == "2026-04"
    assert month_of("2026-04-30 00:00:00") == "2026-04"
    assert month_of("46143") == "2026-05"  # an Excel day number: 2026-05-01
    for bad in ("2026-13", "April", "26/4", "2026-04-31", "", "4/2026"):
        assert month_of(bad) is None, bad


def test_blank_rows_are_skipped():
    assert heads([*GOOD[:2], ["", "", ""], *GOOD[2:]]) == {"inside_sales": [8.0, 9.5, 10.0]}


def _with(row, col, value):
    rows = [list(r) for r in GOOD]
    rows[row][col] = value
    return rows


def test_unknown_division_names_the_row_and_the_teams():
    e = refused(_with(2, 0, "marketing"))
    assert (e.code, e.row, e.column, e.value) == ("heads_unknown_division", 3, "division",
                                                  "marketing")  # fmt: skip
    assert e.params["choices"] == ["inside_sales", "field_sales"]


def test_a_month_outside_the_plan():
    e = refused(_with(3, 1, "2026-07"))
    assert (e.code, e.row) == ("heads_month_outside", 4)
    assert e.params == {"month": "2026-07", "first": "2026-04", "last": "2026-06"}
    assert refused(_with(1, 1, "2026-03")).code == "heads_month_outside"


def test_a_month_that_is_not_one():
    e = refused(_with(2, 1, "May"))
    assert (e.code, e.row, e.value) == ("not_a_month", 3, "May")


@pytest.mark.parametrize("value", ["-1", "▲1", "−2"])
def test_negative_heads(value):
    e = refused(_with(2, 2, value))
    assert (e.code, e.row) == ("negative", 3)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "1e400", "eight", "8人", "1_0"])
def test_heads_that_are_not_a_finite_number(value):
    e = refused(_with(3, 2, value))
    assert (e.code, e.row, e.column) == ("not_a_number", 4, "heads")


def test_too_many_heads():
    e = refused(_with(1, 2, "1e19"))
    assert (e.code, e.row) == ("too_large", 2)


@pytest.mark.parametrize("col, field", [(0, "division"), (1, "month"), (2, "heads")])
def test_an_empty_cell(col, field):
    e = refused(_with(2, col, ""))
    assert (e.code, e.row, e.params) == ("empty_field", 3, {"field": field})


def test_a_division_and_month_given_twice():
    e = refused([*GOOD, ["Inside sales", "2026/5", "9"]])
    assert (e.code, e.row) == ("heads_duplicate", 5)
    assert e.params == {"division": "inside_sales", "month": "2026-05", "first_row": 3}


def test_a_month_missing_for_a_division_that_appears():
    e = refused([GOOD[0], GOOD[1], GOOD[3]])
    assert e.code == "heads_month_missing"
    assert e.params == {"division": "inside_sales", "month": "2026-05", "count": 1}


def test_a_missing_column_and_no_rows():
    e = refused([["division", "month", "people count"], ["inside_sales", "2026-04", "1"]])
    assert (e.code, e.params["field"]) == ("missing_column", "heads")
    assert "人数" in e.params["looked_for"]
    assert refused([GOOD[0]]).code == "no_rows"


def test_the_readers_limits_and_encodings_apply():
    assert refused([GOOD[0]], name="heads.xlsx").code == "no_rows"
    with pytest.raises(ImportDataError) as err:
        read_heads(b"\xff\xfe\x00garbage", "x.pdf", START, H, NAMES)
    assert err.value.code == "unknown_file_type"


# ----- python -m db heads FILE --scenario SCENARIO.json ------------------------------------------
def _scenario(tmp_path, scenario_json):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario_json), encoding="utf-8")
    return path


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def scenario_json():
    """The sample scenario (it has a team for every division)."""
    return json.loads((ROOT / "data" / "sample_scenario.json").read_text(encoding="utf-8-sig"))


def test_cli_puts_the_lists_into_the_scenario(tmp_path, scenario_json):
    start, months = scenario_json["start"], scenario_json["months"]
    from model import month_labels

    labels = month_labels(start, months)
    rows = [["部門", "年月", "人数"]] + [["フィールドセールス", m, str(100 + i)]
                                         for i, m in enumerate(labels)]  # fmt: skip
    sheet = tmp_path / "heads.csv"
    sheet.write_bytes(h.csv_bytes(rows, "cp932"))
    code, out, err = _cli(
        "heads", str(sheet), "--scenario", str(_scenario(tmp_path, scenario_json))
    )
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert got["capacity"]["field_sales"]["heads"] == [100.0 + i for i in range(months)]
    scenario_json["capacity"]["field_sales"]["heads"] = got["capacity"]["field_sales"]["heads"]
    assert got == scenario_json  # nothing else changed


def test_cli_bad_file_is_one_line_and_exit_2(tmp_path, scenario_json):
    sheet = tmp_path / "heads.csv"
    sheet.write_bytes(h.csv_bytes([["division", "month", "heads"],
                                   ["field_sales", scenario_json["start"], "NaN"]]))  # fmt: skip
    code, out, err = _cli(
        "heads", str(sheet), "--scenario", str(_scenario(tmp_path, scenario_json))
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("error: heads.csv, row 2, column 'heads'")
    code, out, err = _cli("heads", str(tmp_path / "none.csv"), "--scenario",
                          str(_scenario(tmp_path, scenario_json)))  # fmt: skip
    assert (code, out, err.count("\n")) == (2, "", 1)
