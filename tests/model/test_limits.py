"""A scenario's limits (model/limits.py, issue 13), checked before any work: the same error in
``python -m model``, the scenario store and the app, never a traceback, a hang or gigabytes of
memory, and never ``NaN`` or ``Infinity`` in a result.

The bad-input files are ``tests/corpus/scenarios/*.json``; ``expected.json`` maps each to the code
of the model's error (a ScenarioError), which the store gives as the cause of its
``scenario_invalid``; where the store refuses a file for its own reason (not JSON, a name it
cannot keep) the entry is ``{"store": <the store's code>, "cli": <the model's code>}``. Inputs too
large to commit (10,000 stages, more than 1 MB, deeper than Python reads) are made here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import model.limits as limits
import model.scenario as scenario_module
from db.scenarios import ScenarioStore
from model import ScenarioError, parse_json, parse_scenario, run_plan
from model.cli import main, read_scenario
from model.limits import (
    MAX_DEPTH,
    MAX_NAME,
    MAX_NUMBER,
    MAX_SCENARIO_BYTES,
    MAX_STAGES,
    MAX_TEXT,
    MAX_VALUES,
    dump_json,
)
from model.scenario import read_scenario_text
from tests.model.test_validation import VALID

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "scenarios"
EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text("utf-8"))
PRLIMIT = shutil.which("prlimit")
MEMORY_CAP = 1_000_000_000  # bytes of address space for a subprocess: python, numpy and duckdb fit


def expected(name: str, side: str) -> str:
    code = EXPECTED[name]
    return code if isinstance(code, str) else code[side]


def store_code(exc: BaseException) -> str:
    """The code a store error stands for: the model's, when the store passes on its error."""
    cause = exc.__cause__
    if getattr(exc, "code", None) == "scenario_invalid" and isinstance(cause, ScenarioError):
        return cause.code
    return str(getattr(exc, "code", ""))


def raised(data: Any) -> ScenarioError:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    return err.value


def with_(**changes: Any) -> dict[str, Any]:
    """VALID with top-level fields replaced; new stages drop the fields that name the old."""
    data = json.loads(json.dumps(VALID))
    if "stages" in changes:
        del data["opening"], data["recycle"]
    data.update(changes)
    return data


def stages(n: int) -> list[dict[str, Any]]:
    return [{"key": f"s{i}", "conversion": 0.5, "lag": 1} for i in range(n - 1)] + [{"key": "won"}]


def nested(levels: int) -> Any:
    """``levels`` lists within each other."""
    return json.loads("[" * levels + "]" * levels)


def store_is_empty(store: ScenarioStore) -> bool:
    return store.list() == []


# ----- one limit for the model and the data layer -------------------------------------------
def test_the_data_layer_shares_the_models_limits() -> None:
    import db.baseline
    import db.schema

    assert db.schema.MAX_STAGES == MAX_STAGES == 12
    assert db.baseline.MAX_HORIZON == scenario_module.MAX_MONTHS == limits.MAX_MONTHS == 120


# ----- stages ------------------------------------------------------------------------------------
def test_twelve_stages_plan_and_thirteen_are_refused() -> None:
    assert len(run_plan(parse_scenario(with_(stages=stages(12)))).inflow) == 12
    exc = raised(with_(stages=stages(13)))
    assert (exc.field, exc.code, exc.params) == ("stages", "too_many_stages",
                                                 {"limit": 12, "found": 13})  # fmt: skip


def test_stages_are_counted_before_the_rest_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 stages (the 489 KB file that took a process to 24 GB) are told as too many stages,
    before the walk of the whole object or any stage is read."""

    def walk(data: Any) -> None:
        raise AssertionError("walked before the stages were counted")

    monkeypatch.setattr(limits, "check_limits", walk)
    exc = raised(with_(stages=stages(10_000)))
    assert exc.code == "too_many_stages" and exc.params == {"limit": 12, "found": 10_000}
    assert str(exc) == "stages: has at most 12 stages, got 10,000"


# ----- size, nesting, values, texts --------------------------------------------------------------
def test_json_text_is_measured_before_json_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    def loads(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("json.loads ran on text over the limit")

    stub = SimpleNamespace(loads=loads, dumps=json.dumps, JSONDecodeError=json.JSONDecodeError)
    monkeypatch.setattr(scenario_module, "json", stub)
    for text, size in [
        (" " * (MAX_SCENARIO_BYTES + 1), MAX_SCENARIO_BYTES + 1),
        # fewer characters than the limit, more bytes: UTF-8 is what is measured
        ('"' + "計" * (MAX_SCENARIO_BYTES // 3) + '"', 3 * (MAX_SCENARIO_BYTES // 3) + 2),
    ]:
        with pytest.raises(ScenarioError) as err:
            parse_json(text)
        assert err.value.code == "too_large"
        assert err.value.params == {"limit": MAX_SCENARIO_BYTES, "found": size}


def test_json_text_at_the_limit_is_read() -> None:
    text = json.dumps(VALID)
    padded = text + " " * (MAX_SCENARIO_BYTES - len(text.encode("utf-8")))
    assert len(padded.encode("utf-8")) == MAX_SCENARIO_BYTES
    assert parse_scenario(parse_json(padded)) == parse_scenario(VALID)


def test_a_file_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    """A 10 GB file (sparse: it takes no disk) is refused after reading 1 MB of it."""
    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(10**10)
    with pytest.raises(ScenarioError) as err:
        read_scenario_text(huge)
    assert err.value.code == "too_large" and err.value.params["found"] == 10**10


def test_nesting_up_to_the_limit_and_no_deeper() -> None:
    """The scenario object is the first level; ``notes`` holds the rest."""
    parse_scenario(with_(notes=nested(MAX_DEPTH - 1)))
    exc = raised(with_(notes=nested(MAX_DEPTH)))
    assert exc.code == "too_deep" and exc.params == {"limit": MAX_DEPTH}
    assert exc.field == "notes" + "[0]" * (MAX_DEPTH - 1)


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_json_deeper_than_python_reads_is_the_same_error(levels: int) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(parse_json('{"notes": ' + "[" * levels + "]" * levels + "}"))
    assert err.value.code == "too_deep" and err.value.params == {"limit": MAX_DEPTH}


def test_values_texts_and_the_objects_size() -> None:
    parse_scenario(with_(notes=[0] * (MAX_VALUES - 100)))
    assert raised(with_(notes=[0] * MAX_VALUES)).code == "too_many_values"
    parse_scenario(with_(description="x" * MAX_TEXT))
    exc = raised(with_(description="x" * (MAX_TEXT + 1)))
    assert (exc.code, exc.params) == ("text_too_long", {"limit": MAX_TEXT, "found": MAX_TEXT + 1})
    assert raised(with_(notes={"k" * (MAX_TEXT + 1): 1})).code == "text_too_long"
    # an object built in Python (the app's draft): its JSON size is estimated as it is walked
    exc = raised(with_(notes=["x" * 9_000] * 120))
    assert (exc.code, exc.params) == ("too_large", {"limit": MAX_SCENARIO_BYTES})


@pytest.mark.parametrize("field", ["name", "key", "label"])
def test_names_keys_and_labels_are_short(field: str) -> None:
    def make(n: int) -> dict[str, Any]:
        if field == "name":
            return with_(name="n" * n)
        data = with_()
        data["stages"][1][field] = "s" * n
        if field == "key":
            del data["opening"], data["recycle"]
        return data

    parse_scenario(make(MAX_NAME))
    exc = raised(make(MAX_NAME + 1))
    assert (exc.code, exc.params) == ("text_too_long", {"limit": MAX_NAME, "found": MAX_NAME + 1})


# ----- numbers and results -------------------------------------------------------------------
@pytest.mark.parametrize(
    "field,value",
    [("deal", {"size": 1e308}), ("inflow", 2e18), ("inflow", [1] * 11 + [1e19]),
     ("target", {"metric": "bookings", "total": 1e300}), ("opening", {"lead": 10**30})],
)  # fmt: skip
def test_amounts_and_counts_above_the_limit_are_refused(field: str, value: Any) -> None:
    exc = raised(with_(**{field: value}))
    assert exc.code == "number_too_large" and exc.params["limit"] == MAX_NUMBER


def test_a_plan_at_every_limit_is_finite() -> None:
    """12 stages that convert everything, 120 months, every amount and count at 1e18, an
    expansion of 1,000% a year: the largest numbers a valid scenario makes stay floats."""
    data = with_(
        months=120,
        stages=[{"key": f"s{i}", "conversion": 1.0} for i in range(11)] + [{"key": "won"}],
        inflow=MAX_NUMBER,
        opening={"s0": MAX_NUMBER},
        recycle={"opening": MAX_NUMBER, "reactivation": 1.0},
        deal={"size": MAX_NUMBER, "revenue": "subscription"},
        customers={"opening_count": MAX_NUMBER, "opening_mrr": MAX_NUMBER, "expansion_rate": 10},
    )
    data.pop("target", None)
    text = dump_json(run_plan(parse_scenario(data)).to_dict())
    assert "Infinity" not in text and "NaN" not in text


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
def test_a_result_that_is_not_finite_is_an_error(bad: float) -> None:
    with pytest.raises(ScenarioError) as err:
        dump_json({"totals": {"bookings": bad}})
    assert err.value.code == "result_not_finite"


# ----- the corpus: python -m model plan and the store give the same code -----------------------
CORPUS_FILES = sorted(EXPECTED)


def test_the_corpus_lists_every_file_and_keeps_them_small() -> None:
    files = {p.name for p in CORPUS.glob("*.json")} - {"expected.json"}
    assert files == set(EXPECTED)
    assert all((CORPUS / f).stat().st_size < 50_000 for f in files)


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_cli(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(CORPUS / name)
    with pytest.raises(ScenarioError) as err:
        run_plan(read_scenario(path))
    assert err.value.code == expected(name, "cli")
    assert main(["plan", path]) == 2
    out, errors = capsys.readouterr()
    assert out == "" and errors == f"error: {err.value}\n"


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_store(name: str, tmp_path: Path) -> None:
    from db.errors import DataLayerError

    store = ScenarioStore(tmp_path / "scenarios.duckdb")
    with pytest.raises(DataLayerError) as err:
        store.import_json((CORPUS / name).read_text("utf-8"), author="corpus")
    assert store_code(err.value) == expected(name, "store")
    assert store_is_empty(store)


# ----- python -m model in a process of its own: one error line, exit 2 --------------------------
def run_cli(
    *args: str, stdin: str | None = None, cap: int | None = None
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "model", *args]
    if cap is not None:
        cmd = [str(PRLIMIT), f"--as={cap}", *cmd]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300)


def one_error_line(proc: subprocess.CompletedProcess, code: int = 2) -> str:
    assert proc.returncode == code, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    "text,line",
    [
        ('{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}",
         "error: (file): (stdin) is nested too deeply to read"),
        (json.dumps(with_(months="X")).replace('"X"', "9" * 5000),
         "error: months: must be a finite number, got Infinity"),
        (json.dumps(with_(deal={"size": 1e308})),
         "error: deal.size: must be at most 1e+18, got 1e+308"),
        (" " * (MAX_SCENARIO_BYTES + 1),
         "error: (file): (stdin) is too large: 1,000,001 bytes, the limit is 1,000,000"),
    ],
    ids=["nested 100,000 deep", "5,000-digit integer", "deal size 1e308", "over 1 MB"],
)  # fmt: skip
def test_the_probes_of_issue_13_print_one_error_line(text: str, line: str) -> None:
    assert one_error_line(run_cli("plan", "-", stdin=text)) == line


def test_the_cli_refuses_an_indent_that_would_print_gigabytes() -> None:
    proc = run_cli("plan", "--indent", "100000000", "examples/fy2027-plan.json")
    assert proc.returncode == 64 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert main(["plan", "--indent", "2", str(ROOT / "examples" / "fy2027-plan.json")]) == 0


def test_the_cli_help_lists_its_commands() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0 and "plan" in proc.stdout


# ----- the worst cases under a memory cap -----------------------------------------------------
needs_prlimit = pytest.mark.skipif(PRLIMIT is None, reason="prlimit (util-linux) is not here")


@needs_prlimit
def test_ten_thousand_stages_under_a_memory_cap(tmp_path: Path) -> None:
    path = tmp_path / "stages.json"
    path.write_text(json.dumps(with_(stages=stages(10_000))), encoding="utf-8")
    assert 400_000 < path.stat().st_size < MAX_SCENARIO_BYTES  # the probe's 489 KB kind of file
    line = one_error_line(run_cli("plan", str(path), cap=MEMORY_CAP))
    assert line == "error: stages: has at most 12 stages, got 10,000"


@needs_prlimit
def test_the_store_refuses_the_worst_cases_under_a_memory_cap(tmp_path: Path) -> None:
    """import_json of 10,000 stages, of 50 MB of JSON and of JSON nested 100,000 deep, in a
    process allowed 1 GB: each the model's error, the store left empty."""
    script = """
import json, sys
from db.scenarios import ScenarioStore
store = ScenarioStore(sys.argv[1])
big = {"name": "big", "start": "2027-04", "stages": [{"key": f"s{i}", "conversion": 0.5}
       for i in range(9_999)] + [{"key": "won"}]}
texts = [json.dumps(big), '{"name": "x", "notes": "' + "x" * 50_000_000 + '"}',
         '{"name": "x", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}"]
for text in texts:
    try:
        store.import_json(text, author="probe")
    except Exception as exc:
        print(exc.code, exc.__cause__.code)
print(len(store.list()))
"""
    proc = subprocess.run(
        [str(PRLIMIT), f"--as={MEMORY_CAP}", sys.executable, "-c", script,
         str(tmp_path / "scenarios.duckdb")],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "scenario_invalid too_many_stages",
        "scenario_invalid too_large",
        "scenario_invalid too_deep",
        "0",
    ]


# ----- the store: saves, imports and versions saved before the limits -----------------------
def test_import_json_measures_the_text_before_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def loads(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("json.loads ran on text over the limit")

    stub = SimpleNamespace(loads=loads, dumps=json.dumps, JSONDecodeError=json.JSONDecodeError)
    monkeypatch.setattr(scenario_module, "json", stub)
    store = ScenarioStore(tmp_path / "scenarios.duckdb")
    from db.errors import ScenarioStoreError

    with pytest.raises(ScenarioStoreError) as err:
        store.import_json("[" + " " * MAX_SCENARIO_BYTES + "]", author="me")
    assert store_code(err.value) == "too_large"
    assert err.value.__cause__.params == {"limit": MAX_SCENARIO_BYTES,
                                          "found": MAX_SCENARIO_BYTES + 2}  # fmt: skip


def test_save_refuses_what_the_cli_refuses(tmp_path: Path) -> None:
    from db.errors import ScenarioStoreError

    store = ScenarioStore(tmp_path / "scenarios.duckdb")
    for data, code in [
        (with_(stages=stages(10_000)), "too_many_stages"),
        (with_(notes=nested(40)), "too_deep"),
        (with_(deal={"size": 1e308}), "number_too_large"),
        (with_(notes=["x" * 9_000] * 120), "too_large"),
    ]:
        with pytest.raises(ScenarioStoreError) as err:
            store.save("limits", data, author="me")
        assert store_code(err.value) == code
    assert store_is_empty(store)


def test_a_version_saved_before_the_limits_is_refused_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version of 10,000 stages already in a store (saved before this check) is not handed to
    the app: record() and load() raise the store's error with the model's as its cause."""
    import db.scenarios
    from db.errors import ScenarioStoreError

    store = ScenarioStore(tmp_path / "scenarios.duckdb")
    with monkeypatch.context() as m:
        m.setattr(db.scenarios, "_validate", lambda scenario, name: json.dumps(scenario))
        assert store.save("old", with_(stages=stages(10_000)), author="me") == 1
    for read in (store.record, store.load, store.export_json):
        with pytest.raises(ScenarioStoreError) as err:
            read("old", 1)
        assert (err.value.code, err.value.name, err.value.version) == ("scenario_invalid", "old", 1)
        assert store_code(err.value) == "too_many_stages"


@pytest.mark.parametrize(
    "name,says",
    [("nested_3000_deep.json", "error: scenario: invalid scenario: (file): (import) is nested "
                               "too deeply to read"),
     ("integer_5000_digits.json", "error: scenario 'x': invalid scenario: months: must be a "
                                  "finite number, got Infinity")],
)  # fmt: skip
def test_db_scenarios_save_reads_the_file_as_the_model_does(name: str, says: str, tmp_path) -> None:
    """``python -m db scenarios save`` said 'unexpected RecursionError' and 'unexpected
    ValueError' for these."""
    proc = subprocess.run(
        [sys.executable, "-m", "db", "scenarios", "--store", str(tmp_path / "s.duckdb"), "save",
         "x", str(CORPUS / name), "--author", "a"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", says + "\n")


def test_a_reader_that_closes_the_pipe_gets_no_traceback() -> None:
    """``python -m model plan ... | head``: when the reader has gone, writing raises
    BrokenPipeError (here a stdout that always does, as a closed pipe does); the CLI stops with
    status 1 and says nothing (it printed a traceback)."""
    script = """
import runpy, sys
class Closed:
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")
    def flush(self):
        pass
    def fileno(self):
        return 1
sys.stdout = Closed()
sys.argv = ["model", "plan", "examples/fy2027-plan.json"]
runpy.run_module("model", run_name="__main__")
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert (proc.returncode, proc.stderr) == (1, "")
