"""Parquet read by DuckDB straight from the file (``open_parquet``): the same rows and the same
errors as the Arrow path (``read_file``), and the database unchanged by a bad file."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from db.errors import DataLayerError, ImportDataError
from db.imports import import_file, import_files, read_file
from db.imports.normalize import normalize_values, plain_text_sql, text_sql
from db.imports.readers import ParquetPath, RawTable, open_file, open_parquet
from db.schema import create_schema
from tests.db import helpers as h

D = dt.datetime
MAPPING = {
    "kind": "history",
    "columns": {"item_id": "id", "stage": "step", "entered_at": "in", "resolved_at": "out",
                "outcome": "result", "source": "src", "amount": "acv"},
    "values": {"stage": {"Opp": "opportunity"}},
}  # fmt: skip


def history_table(**overrides) -> pa.Table:
    cols = {
        "id": [" a", "a", "ｂ\u3000", "c"],
        "step": ["Lead", "Opp", " lead", "Lead"],
        "in": pa.array([D(2024, 1, 1), D(2024, 2, 1), D(2024, 1, 3), D(2024, 3, 1)],
                       pa.timestamp("s")),
        "out": pa.array([D(2024, 2, 1), None, D(2024, 1, 9), None], pa.timestamp("s")),
        "result": ["Converted", "Open", "Lost", "open"],
        "src": ["Web", "web ", None, "ｗｅｂ"],
        "acv": [None, 1.5e6, None, 2.0],
    }  # fmt: skip
    cols.update(overrides)
    return pa.table(cols)


def fresh() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    create_schema(c)
    return c


def history_rows(con) -> list[tuple]:
    return con.execute(
        "SELECT * EXCLUDE (import_id) FROM stage_history ORDER BY item_id, entered_at"
    ).fetchall()


def test_open_file_leaves_parquet_on_disk(tmp_path):
    path = tmp_path / "h.parquet"
    pq.write_table(history_table(), path)
    src = open_file(path)
    assert isinstance(src, ParquetPath)
    assert (src.name, src.num_rows, src.header[:2]) == ("h.parquet", 4, ("id", "step"))
    assert isinstance(open_file(h.csv_bytes([["a"], ["1"]]), "x.csv"), RawTable)


def test_direct_read_matches_arrow_path(tmp_path):
    path = tmp_path / "h.parquet"
    pq.write_table(history_table(), path, row_group_size=2)
    direct, arrow = fresh(), fresh()
    a = import_file(direct, path, MAPPING)
    b = import_files(arrow, read_file(path), MAPPING)
    assert history_rows(direct) == history_rows(arrow)
    assert (a.rows_read, a.rows_written, a.stages, a.warnings) == (
        b.rows_read, b.rows_written, b.stages, b.warnings)  # fmt: skip
    assert [r[1] for r in history_rows(direct)][:2] == ["lead", "opportunity"]
    assert history_rows(direct)[0][0] == "a" and history_rows(direct)[2][0] == "b"


def test_uploaded_parquet_bytes_take_the_direct_path(tmp_path):
    path = tmp_path / "h.parquet"
    pq.write_table(history_table(), path)
    up, ref = fresh(), fresh()
    res = import_file(up, path.read_bytes(), MAPPING, name="upload.parquet")
    import_files(ref, read_file(path), MAPPING)
    assert res.files == ("upload.parquet",)
    assert history_rows(up) == history_rows(ref)


@pytest.mark.parametrize(
    ("column", "values", "row", "why"),
    [
        ("id", ["a", "a", "  ", "c"], 4, "the item_id is empty"),
        ("in", pa.array([D(2024, 1, 1), None, None, D(2024, 1, 1)], pa.timestamp("s")), 3,
         "the entered_at is empty"),
        ("result", ["Converted", "Open", None, "open"], 4, "the outcome is empty"),
    ],
)  # fmt: skip
def test_bad_file_same_message_and_database_unchanged(tmp_path, column, values, row, why):
    path = tmp_path / "bad.parquet"
    pq.write_table(history_table(**{column: values}), path)
    con = fresh()
    import_file(con, h.csv_bytes([["id", "step", "in", "result"], ["z", "lead", "2024-01-01",
                                  "open"]]), {**MAPPING, "columns": {
        "item_id": "id", "stage": "step", "entered_at": "in", "outcome": "result"}},
        name="first.csv")  # fmt: skip
    before = h.snapshot(con)
    with pytest.raises(ImportDataError) as direct:
        import_file(con, path, MAPPING)
    assert h.snapshot(con) == before
    with pytest.raises(ImportDataError) as arrow:
        import_files(fresh(), read_file(path), MAPPING)
    assert str(direct.value) == str(arrow.value)
    assert direct.value.file == "bad.parquet" and direct.value.row == row
    assert why in str(direct.value)
    assert not con.execute("FROM duckdb_views() WHERE view_name LIKE '__imp_%'").fetchall()


def test_empty_cell_reported_before_an_unknown_outcome(tmp_path):
    path = tmp_path / "bad.parquet"
    pq.write_table(history_table(id=["a", None, "b", "c"], result=["x", "open", "open", "open"]),
                   path)  # fmt: skip
    with pytest.raises(ImportDataError) as direct:
        import_file(fresh(), path, MAPPING)
    with pytest.raises(ImportDataError) as arrow:
        import_files(fresh(), read_file(path), MAPPING)
    assert str(direct.value) == str(arrow.value)
    assert "the item_id is empty" in str(direct.value)
    pq.write_table(history_table(result=["x", "open", "open", "open"]), path)
    with pytest.raises(ImportDataError, match="unknown outcome value") as err:
        import_file(fresh(), path, MAPPING)
    assert err.value.row == 2


def test_text_dates_in_parquet_are_checked_per_row(tmp_path):
    path = tmp_path / "bad.parquet"
    pq.write_table(history_table(**{"in": ["2024-01-01", "2024/02/01", "soon", "2024-03-01"]}),
                   path)  # fmt: skip
    con = fresh()
    with pytest.raises(ImportDataError) as err:
        import_file(con, path, MAPPING)
    assert (err.value.row, err.value.column, err.value.value) == (4, "in", "soon")
    assert not con.execute("SELECT count(*) FROM stage_history").fetchone()[0]


def test_unreadable_or_odd_paths_keep_the_arrow_errors(tmp_path):
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"id,step\n1,2\n")
    with pytest.raises(ImportDataError) as direct:
        import_file(fresh(), junk, MAPPING)
    with pytest.raises(ImportDataError) as arrow:
        read_file(junk)
    assert str(direct.value) == str(arrow.value)
    with pytest.raises(ImportDataError) as direct:
        import_file(fresh(), tmp_path / "missing.parquet", MAPPING)
    with pytest.raises(ImportDataError) as arrow:
        read_file(tmp_path / "missing.parquet")
    assert str(direct.value) == str(arrow.value)
    glob = tmp_path / "h[1].parquet"  # read_parquet would take this for a pattern
    pq.write_table(history_table(), glob)
    assert isinstance(open_parquet(glob), RawTable)
    assert import_file(fresh(), glob, MAPPING).rows_written == 4


def test_constraint_errors_still_break_a_rule(tmp_path):
    path = tmp_path / "neg.parquet"
    mapping = {"kind": "counts", "columns": {"month": "m", "stage": "s", "count": "n"}}
    pq.write_table(pa.table({"m": pa.array([D(2024, 1, 1)], pa.timestamp("s")), "s": ["lead"],
                             "n": [-1.0]}), path)  # fmt: skip
    with pytest.raises(DataLayerError, match="breaks a rule"):
        import_file(fresh(), path, mapping)


def test_fast_trims_equal_trim():
    values = [None, "", " ", "\t a \n", "\u3000x\u3000", "ＡＢＣ\u3000", " \u3000 ", "a b",
              "x\r", "日本 ", "\u3000\t", "a\u3000b", "\u00a0x", "ｶﾀｶﾅ "]  # fmt: skip
    assert normalize_values(values, "text") == [
        None, None, None, "a", "x", "ABC", None, "a b", "x", "日本", None, "a b", "\u00a0x",
        "ｶﾀｶﾅ"]  # fmt: skip
    con = duckdb.connect()
    got = con.execute(
        f"SELECT {plain_text_sql('v')}, nullif(trim(v, ' \t\r\n\u3000'), ''), {text_sql('v')} "
        "FROM unnest(?::VARCHAR[]) t(v)",
        [values],
    ).fetchall()
    assert all(a == b for a, b, _ in got)
