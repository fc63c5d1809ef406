"""The bad-input corpus (issue 13): every file in ``tests/corpus/imports/`` and
``tests/corpus/scenarios/`` fails with its expected error code and leaves the database or the
scenario store as it was (or, for an import, completes with its expected warning).

``tests/corpus/imports/expected.json``: file -> ``{"mapping": <a mapping file of that folder or a
preset's name>, "error": <code>}`` or ``{..., "warning": <code>}``; ``"generated": true`` for the
files this test makes (too big to commit, or binary). Every file of the folder is listed.

``tests/corpus/scenarios/expected.json``: file -> its error code (a string, or an object with
``"code"``): the store's code or the model's (the cause of the store's ``scenario_invalid``). Each
file is imported into a store (``ScenarioStore.import_json``), saved when it is a JSON object
(``save``), and planned by ``python -m model plan`` (status 2, one ``error:`` line).

The last section holds the CLI's and the exports' edges: a bad ``--save-mapping`` name, a
``--db`` file that does not exist, formulas and line breaks in CSV cells, NaN in a baseline.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from db import metrics
from db.cli import main
from db.errors import DataLayerError
from db.funnel import fingerprint
from db.imports import import_file
from db.imports import readers as readers_module
from db.sample import sample_scenario
from db.scenarios import ScenarioStore
from db.schema import create_schema
from tests.db import helpers as h

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = ROOT / "tests" / "corpus" / "imports"
SCENARIOS = ROOT / "tests" / "corpus" / "scenarios"


def _expected(folder: Path) -> dict:
    path = folder / "expected.json"
    if not path.exists():
        return {}
    return {k: v for k, v in json.loads(path.read_text("utf-8")).items() if not k.startswith("_")}


IMPORT_CASES = _expected(IMPORTS)
SCENARIO_CASES = _expected(SCENARIOS)


# ----- files made here ---------------------------------------------------------------------------
def _workbook(rows: list[list[object]], last: list[object] | None = None) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for col, value in enumerate(last or [], start=1):
        ws.cell(row=readers_module.EXCEL_LAST_ROW, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows_below_excels_last() -> bytes:
    """A hand-made workbook with a row below Excel's last (openpyxl refuses to write one: the
    sheet's XML is edited)."""
    src = zipfile.ZipFile(io.BytesIO(_workbook([["month", "stage", "count"]], last=["2024-04"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"1048576", b"1048580")
            z.writestr(info.filename, data)
    return out.getvalue()


def _parquet_with_nan() -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.table({"month": ["2024-04", "2024-05"], "stage": ["lead", "lead"],
                             "count": pa.array([3.0, float("nan")])}), buf)  # fmt: skip
    return buf.getvalue()


GENERATED = {
    # a 1,000-cell header and one cell on Excel's last row: 10 KB that took 5.3 GB
    "wide_header_last_row.xlsx": lambda: _workbook(
        [["month", "stage", "count", *[f"c{i}" for i in range(997)]]], last=["2024-04", "lead", 1]
    ),
    # a first line over 128 KB (the csv module's default field limit): 30,000 columns
    "header_line_over_128k.csv": lambda: (
        ",".join(f"column{i}" for i in range(30_000)) + "\n" + "1," * 29_999 + "1\n"
    ).encode(),
    # one header cell of 200 KB: read (it raised csv.Error), and the month column is missing
    "header_cell_over_128k.csv": lambda: ("x" * 200_000 + ",stage,count\n1,lead,3\n").encode(),
    "too_many_rows.csv": lambda: (
        b"month,stage,count\n" + b"2024-04,lead,1\n" * (readers_module.MAX_ROWS + 1)
    ),
    "count_nan.parquet": _parquet_with_nan,
    "rows_below_excels_last.xlsx": _rows_below_excels_last,
    "truncated_workbook.xlsx": lambda: _workbook([["month", "stage", "count"], ["2024-04"]])[:-200],
}


def _file(name: str, spec: dict) -> bytes:
    return GENERATED[name]() if spec.get("generated") else (IMPORTS / name).read_bytes()


def _mapping(spec: dict) -> dict | str:
    ref = spec["mapping"]
    return json.loads((IMPORTS / ref).read_text("utf-8")) if ref.endswith(".json") else ref


def _seeded() -> duckdb.DuckDBPyConnection:
    """A database holding an earlier import (two monthly counts)."""
    con = duckdb.connect()
    create_schema(con)
    good = h.csv_bytes([["month", "stage", "count"], ["2024-02", "lead", "5"],
                        ["2024-03", "lead", "6"]])  # fmt: skip
    import_file(con, good, _mapping({"mapping": "counts.mapping.json"}), name="good.csv")
    return con


def _state(con: duckdb.DuckDBPyConnection) -> tuple:
    return h.snapshot(con), fingerprint(con)


# ----- imports -----------------------------------------------------------------------------------
def test_every_file_of_the_import_corpus_has_an_expectation():
    files = {p.name for p in IMPORTS.iterdir() if p.name != "expected.json"}
    mappings = {s["mapping"] for s in IMPORT_CASES.values()}
    committed = {n for n, s in IMPORT_CASES.items() if not s.get("generated")}
    assert files - mappings == committed
    assert {n for n, s in IMPORT_CASES.items() if s.get("generated")} == set(GENERATED)
    assert all(("error" in s) != ("warning" in s) for s in IMPORT_CASES.values())


def _prepared(name: str, tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path, dict]:
    """The seeded database, the corpus file (written out) and its expectation."""
    spec = IMPORT_CASES[name]
    path = tmp_path / name
    path.write_bytes(_file(name, spec))
    return _seeded(), path, spec


@pytest.mark.parametrize("name", sorted(n for n, s in IMPORT_CASES.items() if "error" in s))
def test_a_bad_import_fails_with_its_code_and_leaves_the_database_as_it_was(name, tmp_path):
    con, path, spec = _prepared(name, tmp_path)
    before = _state(con)
    with pytest.raises(DataLayerError) as err:
        import_file(con, path, _mapping(spec))
    assert err.value.code == spec["error"], str(err.value)
    assert "{" not in str(err.value)  # its English sentence is filled
    assert _state(con) == before


@pytest.mark.parametrize("name", sorted(n for n, s in IMPORT_CASES.items() if "warning" in s))
def test_a_doubtful_import_completes_with_its_warning(name, tmp_path):
    con, path, spec = _prepared(name, tmp_path)
    before = fingerprint(con)
    result = import_file(con, path, _mapping(spec))
    assert [w.code for w in result.warnings] == [spec["warning"]], result.warnings
    assert result.rows_written > 0 and fingerprint(con) != before


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_byte_order_mark_is_read_as_utf16(encoding):
    """Read as UTF-8 (a NUL in every other byte is valid UTF-8), it failed as a ragged row."""
    from db.imports import read_file

    raw = read_file("month,stage,count\r\n2024-04,リード,3\r\n".encode(encoding), "u.csv")
    assert raw.encoding == encoding
    assert raw.table.to_pylist() == [{"month": "2024-04", "stage": "リード", "count": "3",
                                      "__row": 2}]  # fmt: skip


# ----- scenarios ---------------------------------------------------------------------------------
def _scenario_code(entry: str | dict) -> str:
    """The store's code of an entry: the entry, or its ``store`` (``cli`` is the model's)."""
    return entry if isinstance(entry, str) else entry.get("store") or entry.get("code")


def _codes(exc: BaseException) -> set[str]:
    """The codes of an error and of its cause (the model's code under ``scenario_invalid``)."""
    out = {getattr(exc, "code", None)}
    if exc.__cause__ is not None:
        out.add(getattr(exc.__cause__, "code", None))
    return out - {None}


needs_scenarios = pytest.mark.skipif(
    not SCENARIO_CASES, reason="tests/corpus/scenarios/expected.json is not there yet"
)


@needs_scenarios
def test_every_file_of_the_scenario_corpus_has_an_expectation():
    files = {p.name for p in SCENARIOS.iterdir() if p.is_file() and p.name != "expected.json"}
    assert files == set(SCENARIO_CASES)


@needs_scenarios
@pytest.mark.parametrize("name", sorted(SCENARIO_CASES) or ["(none)"])
def test_a_bad_scenario_is_refused_with_its_code_and_the_store_is_unchanged(name, tmp_path):
    code = _scenario_code(SCENARIO_CASES[name])
    path = SCENARIOS / name
    text = path.read_bytes().decode("utf-8", errors="replace")
    store = ScenarioStore(tmp_path / "scenarios.duckdb")
    store.save("base", sample_scenario(), author="corpus")
    before = (store.list(), store.versions("base"))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        data = None
    name = data.get("name") if isinstance(data, dict) else None  # the file's own name, if any
    with pytest.raises(DataLayerError) as err:
        store.import_json(text, author="corpus", name=None if name else "corpus")
    assert code in _codes(err.value), (str(err.value), _codes(err.value))
    if isinstance(data, dict) and code not in ("not_json", "too_large", "too_deep"):
        with pytest.raises(DataLayerError) as err:
            store.save(name or "corpus", data, author="corpus")
        assert code in _codes(err.value), (str(err.value), _codes(err.value))
    assert (store.list(), store.versions("base")) == before
    plan = subprocess.run([sys.executable, "-m", "model", "plan", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert plan.returncode == 2, plan.stderr[-2000:]
    lines = plan.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), plan.stderr[-2000:]


# ----- the CLI's edges ---------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["salesforce_leads", " ", "n" * 81])
def test_a_mapping_name_that_cannot_be_saved_fails_before_the_import(tmp_path, capsys, bad):
    """The import was committed, then the save failed: a rerun duplicated the rows."""
    db = str(tmp_path / "f.duckdb")
    counts = tmp_path / "c.csv"
    counts.write_bytes(h.csv_bytes([["month", "stage", "count"], ["2024-04", "lead", "3"]]))
    args = ["--db", db, "import", str(counts), "--mapping", str(IMPORTS / "counts.mapping.json")]
    assert main([*args, "--save-mapping", bad]) == 1
    assert capsys.readouterr().err.startswith("error: ")
    con = duckdb.connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM stage_counts").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    finally:
        con.close()
    assert main([*args, "--save-mapping", "my counts"]) == 0


@pytest.mark.parametrize("command", [["quality"], ["metrics"], ["baseline"], ["backtest"],
                                     ["presets"]])  # fmt: skip
def test_a_command_that_reads_a_database_that_does_not_exist_says_so(tmp_path, command):
    """It created an empty database and reported no problems."""
    typo = tmp_path / "typo.duckdb"
    run = subprocess.run([sys.executable, "-m", "db", "--db", str(typo), *command], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == f"error: no database at {typo}\n"
    assert not typo.exists() and list(tmp_path.iterdir()) == []


def test_import_still_creates_its_database(tmp_path, capsys):
    db = tmp_path / "new" / "f.duckdb"
    counts = tmp_path / "c.csv"
    counts.write_bytes(h.csv_bytes([["month", "stage", "count"], ["2024-04", "lead", "3"]]))
    mapping = str(IMPORTS / "counts.mapping.json")
    assert main(["--db", str(db), "import", str(counts), "--mapping", mapping]) == 0
    assert db.exists()


HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=x", "ok\r=cmd|'/C x'!A0",
           "line\n=HYPERLINK(\"http://x\")"]  # fmt: skip


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_metrics_csv_neutralises_formulas_and_keeps_line_breaks_inside_their_cell(tmp_path):
    """``python -m db metrics`` wrote ``=cmd|...`` unchanged, and a CR inside a cell split the
    row (the text after it started a line of its own)."""
    table = pd.DataFrame({"source": HOSTILE, "arrivals": range(len(HOSTILE))})
    out = io.StringIO()
    metrics.write_csv(table, out)
    rows = _cells(out.getvalue())
    assert len(rows) == len(HOSTILE) + 1
    assert [r[0] for r in rows[1:]] == ["'" + v if v[0] in "=+-@\t\r" else v for v in HOSTILE]
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(HOSTILE))]  # numbers stay


def test_metrics_cli_writes_an_imported_source_as_text(tmp_path, capsys):
    db = str(tmp_path / "f.duckdb")
    leads = [list(r) for r in h.SF_LEADS_EN]
    leads[1][leads[0].index("Lead Source")] = "=cmd|' /C calc'!A0"
    path = tmp_path / "leads.csv"
    path.write_bytes(h.csv_bytes(leads))
    assert main(["--db", db, "import", str(path), "--preset", "salesforce_leads"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "metrics", "--table", "feedback_by_source"]) == 0
    rows = _cells(capsys.readouterr().out)
    assert ["'=cmd|' /C calc'!A0"] == [r[0] for r in rows if "cmd" in r[0]]


def test_the_apps_csv_export_keeps_a_carriage_return_inside_its_cell():
    from ui.exports import csv_bytes

    frame = pd.DataFrame({"name": HOSTILE, "n": range(len(HOSTILE))})
    text = csv_bytes(frame).decode("utf-8-sig")
    rows = _cells(text)
    assert len(rows) == len(HOSTILE) + 1
    assert [r[0] for r in rows[1:]] == ["'" + v if v[0] in "=+-@\t\r" else v for v in HOSTILE]


def test_a_baseline_of_a_database_holding_nan_is_an_error_not_invalid_json(tmp_path, capsys):
    """A database imported before NaN was refused: the baseline printed ``"size": NaN``."""
    from db.sample import open_sample_database

    path = tmp_path / "old.duckdb"
    con = open_sample_database(path)
    con.execute("UPDATE stage_history SET amount = 'NaN'::DOUBLE WHERE amount IS NOT NULL")
    con.close()
    assert main(["--db", str(path), "baseline"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "NaN" in captured.err
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1


def test_the_baseline_json_is_never_written_with_nan(capsys, monkeypatch):
    """Whatever the baseline holds, its output is valid JSON or an error."""
    from db import baseline

    real = baseline.build_baseline

    def with_nan(*args, **kwargs):  # the CLI's call only (the sample's scenario is one too)
        sc = real(*args, **kwargs)
        if sys._getframe(1).f_code.co_name == "run":
            sc["notes"] = {"ratio": float("inf")}
        return sc

    monkeypatch.setattr(baseline, "build_baseline", with_nan)
    assert main(["baseline"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: the baseline has a value that is not a finite number")
