"""The data layer's other errors (stage design, mappings, imports beyond a file's contents, the
baseline, the scenario store, a locked database): each case below makes the real error happen,
and ``EXPECT`` holds the English text it gives (recorded before these errors had codes), which
the CLI and logs keep word for word."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from string import Formatter

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from db import connection, metrics
from db.baseline import build_baseline, default_window
from db.datasets import SAMPLE, Datasets, open_dataset_file
from db.errors import (
    DATABASE_LOCKED,
    IMPORT_REASONS,
    MESSAGES,
    DatabaseDamagedError,
    DatabaseLockedError,
    DataLayerError,
    ScenarioStoreError,
    StageDesignError,
    message,
)
from db.imports import import_files, load_mapping, preset, read_file, save_mapping
from db.imports import load as load_module
from db.imports.mapping import check_value_targets, resolve
from db.imports.presets import PRESETS
from db.pgstore import PgScenarioStore
from db.sample import open_sample_database, sample_scenario
from db.scenarios import ScenarioStore
from db.schema import create_schema, validate_stage_keys
from model import ScenarioError
from tests.db import helpers as h

LEADS_HEADER = h.SF_LEADS_EN[0]
TMP = "<tmp>"  # where a case's temporary folder appears in its message


def _empty() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_schema(con)
    return con


def _sample() -> duckdb.DuckDBPyConnection:
    return open_sample_database()


def _mapping(name: str = "salesforce_leads", **changes) -> dict:
    m = preset(name)
    m.update(changes)
    return m


def _leads(con=None, mapping="salesforce_leads", **kw):
    con = con or _empty()
    return import_files(con, read_file(h.csv_bytes(h.SF_LEADS_EN), "l.csv"), mapping, **kw)


def _with_leads() -> duckdb.DuckDBPyConnection:
    """The Salesforce leads imported (stage design lead, opportunity, won)."""
    con = _empty()
    _leads(con)
    return con


def _open_leads(**changes) -> duckdb.DuckDBPyConnection:
    """Two visitors, both still open in January 2024 (nothing resolved yet); ``changes`` to the
    mapping."""
    con = _empty()
    rows = [["id", "stage", "entered", "outcome"], ["a", "visitor", "2024-01-05", "open"],
            ["b", "visitor", "2024-01-09", "open"]]  # fmt: skip
    mapping = {"kind": "history", "columns": {"item_id": "id", "stage": "stage",
               "entered_at": "entered", "outcome": "outcome"}, **changes}  # fmt: skip
    import_files(con, read_file(h.csv_bytes(rows), "h.csv"), mapping)
    return con


def _values(table: str, raw: str, target: str):
    m = _mapping(values={table: {raw: target}})
    check_value_targets(resolve(m, LEADS_HEADER, "l.csv"), ["lead", "opportunity", "won"])


def _negative_count(tmp: Path):
    path = tmp / "neg.parquet"
    pq.write_table(pa.table({"m": ["2024-01"], "s": ["lead"], "n": [-1.0]}), path)
    mapping = {"kind": "counts", "columns": {"month": "m", "stage": "s", "count": "n"}}
    return import_files(_empty(), read_file(path), mapping)


def _design_changed_meanwhile():
    """History arrives from another session between the import's check and its write."""
    answers = iter([False, True])
    old = load_module._has_history
    load_module._has_history = lambda con: next(answers, True)
    try:
        return _leads()
    finally:
        load_module._has_history = old


def _store(tmp: Path, **kw) -> ScenarioStore:
    return ScenarioStore(tmp / "s.duckdb", **kw)


def _scenario() -> dict:
    return sample_scenario()


def _saved(tmp: Path) -> ScenarioStore:
    store = _store(tmp)
    store.save("plan", _scenario(), author="a")
    return store


def _saved_twice(tmp: Path) -> ScenarioStore:
    store = _saved(tmp)
    store.save("plan", _scenario(), author="b")
    return store


class _Conflicting:
    """A connection on which every write collides with another session's."""

    def __init__(self, con):
        self.con = con

    def execute(self, sql, *args):
        if sql.startswith("INSERT"):
            raise duckdb.ConstraintException("made-up conflict")
        return self.con.execute(sql, *args)


def _always_conflicting(store: ScenarioStore, call):
    real = store._open

    @contextlib.contextmanager
    def _open():
        with real() as con:
            yield _Conflicting(con)

    store._open = _open
    return call(store)


def _two_datasets(tmp: Path, first: str, second: str):
    Datasets(tmp).create(first)
    Datasets(tmp).create(second)  # the same name in another case


def _damaged_index(tmp: Path):
    (tmp / "datasets").mkdir()
    (tmp / "datasets" / "index.json").write_bytes(b"\x00\x01 not json")
    Datasets(tmp).list()


def _flock_held(tmp: Path):
    store = _store(tmp, lock_timeout=0)
    fd = os.open(store.lock_path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return store.list()
    finally:
        os.close(fd)


def _thread_lock_held(tmp: Path):
    store = _store(tmp, lock_timeout=0)
    with store._open():  # held by this process (the lock is per thread and process alike)
        return store.list()


def _not_a_database(tmp: Path) -> Path:
    path = tmp / "f.duckdb"
    path.write_text("not a database\n")
    return path


# case -> a call that raises the error (given a temporary folder)


def _login_refused(tmp: Path) -> None:
    """A server that refuses the login (a real one refusing it: test_pgstore_auth.py)."""
    from unittest import mock

    from db import pgstore

    store = PgScenarioStore(f"postgresql://ghost:s3cret@/db?host={tmp}/sock", retry_seconds=60)
    refused = psycopg.OperationalError(
        f'connection failed: connection to server on socket "{tmp}/sock/.s.PGSQL.5432" failed: '
        'FATAL:  password authentication failed for user "ghost"'
    )
    with mock.patch.object(pgstore.psycopg, "connect", side_effect=refused):
        store.list()


CASES = {
    # the stage design
    "too_few_stages": lambda tmp: validate_stage_keys(["lead"]),
    "too_many_stages": lambda tmp: validate_stage_keys([f"s{i}" for i in range(13)]),
    "bad_stage_key": lambda tmp: validate_stage_keys(["lead", "Won"]),
    "duplicate_stage_keys": lambda tmp: validate_stage_keys(["lead", "won", "lead"]),
    "too_few_stages_in_a_mapping": lambda tmp: _open_leads(stages=["visitor"]),
    # a mapping's shape
    "mapping_not_object": lambda tmp: resolve(["kind"], LEADS_HEADER, "l.csv"),
    "mapping_unknown_keys": lambda tmp: resolve(_mapping(colums={}), LEADS_HEADER, "l.csv"),
    "mapping_bad_kind": lambda tmp: resolve({"kind": "deals"}, LEADS_HEADER, "l.csv"),
    "mapping_bad_stages": lambda tmp: resolve(_mapping(stages="lead"), LEADS_HEADER, "l.csv"),
    "mapping_unknown_field": lambda tmp: resolve(
        {"kind": "counts", "columns": {"revenue": "x"}}, LEADS_HEADER, "l.csv"
    ),
    "mapping_bad_stage_date_key": lambda tmp: resolve(
        _mapping(stage_dates={"Lead": "Created Date"}), LEADS_HEADER, "l.csv"
    ),
    "mapping_bad_unresolved": lambda tmp: resolve(
        _mapping(unresolved="maybe"), LEADS_HEADER, "l.csv"
    ),
    "mapping_bad_values": lambda tmp: resolve(
        _mapping(values={"region": {}}), LEADS_HEADER, "l.csv"
    ),
    "value_not_a_stage": lambda tmp: _values("stage", "Demo", "demo"),
    "value_not_an_outcome": lambda tmp: _values("status", "Maybe", "maybe"),
    # saving and finding a mapping
    "mapping_name_length": lambda tmp: save_mapping(_empty(), "  ", _mapping()),
    "mapping_name_builtin": lambda tmp: save_mapping(_empty(), "olist", _mapping()),
    "mapping_no_kind": lambda tmp: save_mapping(_empty(), "mine", {"columns": {}}),
    "mapping_unknown_keys_when_saved": lambda tmp: save_mapping(
        _empty(), "mine", {"kind": "counts", "extra": 1}
    ),
    "no_such_mapping": lambda tmp: load_mapping(_empty(), "nope"),
    "unknown_preset": lambda tmp: preset("nope"),
    # an import beyond the file's contents
    "mapping_file_count": lambda tmp: import_files(
        _empty(),
        {r: read_file(h.csv_bytes(h.SF_LEADS_EN), f"{r}.csv") for r in ("a", "b")},
        "salesforce_leads",
    ),
    "join_file_missing": lambda tmp: import_files(
        _empty(),
        {r: read_file(h.csv_bytes(h.SF_LEADS_EN), f"{r}.csv") for r in ("leads", "deals")},
        _mapping("olist", join={"file": "leads", "on": "mql_id"}),
    ),
    "stage_date_not_in_design": lambda tmp: _leads(
        mapping=_mapping(
            stage_dates={**preset("salesforce_leads")["stage_dates"], "demo": "Created Date"}
        )
    ),
    "stages_do_not_fit": lambda tmp: import_files(
        _with_leads(), read_file(h.csv_bytes(h.HUBSPOT), "h.csv"), "hubspot_contacts"
    ),
    "design_change_with_history": lambda tmp: _design_changed_meanwhile(),
    "constraint_violation": _negative_count,
    # the baseline and the metrics it reads
    "no_funnel_data": lambda tmp: default_window(_empty()),
    "window_reversed": lambda tmp: build_baseline(_sample(), "2025-06", "2025-01"),
    "window_reversed_in_metrics": lambda tmp: metrics.stage_summary(
        _sample(), "2025-06", "2025-01"
    ),
    "bad_horizon": lambda tmp: build_baseline(_sample(), "2025-01", "2025-06", horizon=0),
    "no_resolved_items": lambda tmp: build_baseline(_open_leads(), "2024-01", "2024-01"),
    "bad_month": lambda tmp: build_baseline(_sample(), "April", "2025-06"),
    "bad_stale_after": lambda tmp: build_baseline(_sample(), stale_after={"oportunity": 2}),
    "bad_stale_after_negative": lambda tmp: build_baseline(_sample(), stale_after=-1),
    "bad_split": lambda tmp: metrics.stage_summary(_sample(), by="region"),
    # datasets
    "dataset_name_empty": lambda tmp: Datasets(tmp).create("   "),
    "dataset_name_invalid": lambda tmp: Datasets(tmp).create("leads\x07"),
    "dataset_name_taken": lambda tmp: _two_datasets(tmp, "Olist", "olist"),
    "dataset_read_only": lambda tmp: Datasets(tmp).remove(SAMPLE),
    "no_such_dataset": lambda tmp: Datasets(tmp).get("gone-123abc"),
    "no_such_dataset_removed": lambda tmp: Datasets(tmp).remove("gone-123abc"),
    "dataset_index_damaged": _damaged_index,
    # the scenario store
    "scenario_name_empty": lambda tmp: _store(tmp).save("  ", _scenario(), author="a"),
    "scenario_name_invalid": lambda tmp: _store(tmp).save("plan\tB", _scenario(), author="a"),
    "scenario_not_object": lambda tmp: _store(tmp).save("plan", [1], author="a"),
    "scenario_invalid": lambda tmp: _store(tmp).save(
        "plan", {"name": "Bad", "stages": []}, author="a"
    ),
    "author_required": lambda tmp: _store(tmp).save("plan", _scenario(), author=" "),
    "archive_author_required": lambda tmp: _store(tmp).archive("plan", author=""),
    "save_conflict": lambda tmp: _always_conflicting(
        _store(tmp), lambda s: s.save("plan", _scenario(), author="a")
    ),
    "scenario_stale_parent": lambda tmp: _saved_twice(tmp).save(
        "plan", _scenario(), author="b", parent=1
    ),
    "archive_conflict": lambda tmp: _always_conflicting(
        _saved(tmp), lambda s: s.archive("plan", author="a")
    ),
    "no_such_scenario": lambda tmp: _store(tmp).archive("ghost", author="a"),
    "no_such_scenario_versions": lambda tmp: _store(tmp).versions("ghost"),
    "no_such_version": lambda tmp: _saved(tmp).record("plan", 9),
    "no_such_latest_version": lambda tmp: _store(tmp).record("ghost"),
    "not_json": lambda tmp: _store(tmp).import_json("{not json", author="a"),
    "store_unavailable": lambda tmp: PgScenarioStore(
        f"postgresql://planner:s3cret@/db?host={tmp}/no-server", retry_seconds=0.2
    ).list(),
    "store_auth_failed": _login_refused,
    "no_name_in_json": lambda tmp: _store(tmp).import_json("[1, 2, 3]", author="a"),
    # a locked database
    "database_locked": _flock_held,
    "database_locked_by_a_thread": _thread_lock_held,
    # a damaged database file
    "database_damaged": lambda tmp: connection.connect(_not_a_database(tmp)),
    "store_damaged": lambda tmp: ScenarioStore(_not_a_database(tmp)).list(),
    "dataset_damaged": lambda tmp: open_dataset_file(_not_a_database(tmp)),
}
NOT_A_DATABASE = (
    'IO Error: The file "<tmp>/f.duckdb" exists, but it is not a valid DuckDB database file!'
)
LOCKED = (
    "the database <tmp>/s.duckdb is in use by another process (only one process may write it at "
    "a time; close the other app or CLI and retry): "
)
CHECK_FAILED = (
    'Constraint Error: CHECK constraint failed on table "stage_counts" with expression '
    "CHECK((arrivals >= 0))"
)
# the class of each case's error (the others are DataLayerError itself)
CLASSES: dict[type[DataLayerError], tuple[str, ...]] = {
    StageDesignError: (
        "too_few_stages",
        "too_many_stages",
        "bad_stage_key",
        "duplicate_stage_keys",
        "too_few_stages_in_a_mapping",
    ),
    ScenarioStoreError: (
        "scenario_name_empty",
        "scenario_name_invalid",
        "scenario_not_object",
        "scenario_invalid",
        "author_required",
        "archive_author_required",
        "save_conflict",
        "scenario_stale_parent",
        "archive_conflict",
        "no_such_scenario",
        "no_such_scenario_versions",
        "no_such_version",
        "no_such_latest_version",
        "not_json",
        "no_name_in_json",
        "store_unavailable",
        "store_auth_failed",
    ),
    DatabaseLockedError: ("database_locked", "database_locked_by_a_thread"),
    DatabaseDamagedError: ("database_damaged", "store_damaged", "dataset_damaged"),
}

# the English text of each case's error, recorded before the errors had codes (the version of db/
# at 98ab0c5)
EXPECT: dict[str, str] = {
    "too_few_stages": "a stage design needs at least two stages",
    "too_many_stages": "a stage design has at most 12 stages",
    "bad_stage_key": "stage key 'Won' must start with a letter and use only a-z, 0-9 and _",
    "duplicate_stage_keys": "duplicate stage keys in ['lead', 'won', 'lead']",
    "too_few_stages_in_a_mapping": "a stage design needs at least two stages",
    "mapping_not_object": "a mapping must be a JSON object",
    "mapping_unknown_keys": "unknown mapping keys: colums",
    "mapping_bad_kind": (
        "mapping kind must be one of history, items, counts, subscriptions, spend, got 'deals'"
    ),
    "mapping_bad_stages": "mapping stages must be a list of stage keys (a-z, 0-9, _)",
    "mapping_unknown_field": (
        "a counts mapping has no field 'revenue' (fields are: month, stage, count, source, segment)"
    ),
    "mapping_bad_stage_date_key": "stage_dates: 'Lead' is not a stage key",
    "mapping_bad_unresolved": "unresolved must be one of open, lost, disqualified, recycled",
    "mapping_bad_values": "values must map stage/outcome/status to {file value: key}",
    "value_not_a_stage": (
        "values.stage: 'demo' maps to 'demo', which is not a stage of this design"
    ),
    "value_not_an_outcome": (
        "values.status: 'maybe' maps to 'maybe', which is not an outcome of this design"
    ),
    "mapping_name_length": "a mapping name must be 1 to 80 characters",
    "mapping_name_builtin": "'olist' is a built-in preset: choose another name",
    "mapping_no_kind": "a mapping needs a kind (history, items, counts, subscriptions, spend)",
    "mapping_unknown_keys_when_saved": "unknown mapping keys: extra",
    "no_such_mapping": "no preset or saved mapping named 'nope'",
    "unknown_preset": (
        "unknown preset 'nope' (presets are: salesforce_leads, salesforce_opportunities, "
        "hubspot_contacts, pardot_prospects, pardot_prospects_ja, eloqua_contacts, "
        "eloqua_responses, netsuite_transactions, monthly_counts, olist)"
    ),
    "mapping_file_count": "this mapping reads 1 file(s) (main); got a, b",
    "join_file_missing": "a two-file mapping needs join.file naming the second file",
    "stage_date_not_in_design": (
        "stage_dates names 'demo', which is not a stage of the design (lead, opportunity, won)"
    ),
    "stages_do_not_fit": (
        "the file's stages (lead, mql, sql, opportunity, won) do not fit the database's stage "
        "design (lead, opportunity, won): replace the data or change the mapping"
    ),
    "design_change_with_history": "cannot change the stage design of existing history",
    "constraint_violation": "the import breaks a rule of the database: " + CHECK_FAILED,
    "no_funnel_data": "the database holds no funnel data: load the sample or import a file",
    "window_reversed": "the window ends (2025-01) before it starts (2025-06)",
    "window_reversed_in_metrics": "the window ends (2025-01) before it starts (2025-06)",
    "bad_horizon": "horizon must be 1..120 months, got 0",
    "no_resolved_items": (
        "stage 'visitor' has no resolved items in 2024-01..2024-01: widen the window or import "
        "its history"
    ),
    "bad_stale_after": (
        "stale_after for 'oportunity' must be a whole number of months, 0 or more, for a stage "
        "with outcomes (visitor, lead, opportunity); got 2"
    ),
    "bad_stale_after_negative": (
        "stale_after for '*' must be a whole number of months, 0 or more, for a stage with "
        "outcomes (visitor, lead, opportunity); got -1"
    ),
    "bad_month": "start must be YYYY-MM, got 'April'",
    "bad_split": "cannot split by 'region': choose source, segment or owner",
    "dataset_name_empty": "a dataset needs a non-empty name",
    "dataset_name_invalid": "a dataset name has at most 80 characters and no control characters",
    "dataset_name_taken": "there is already a dataset named 'olist': choose another name",
    "dataset_read_only": "the sample data is read-only: import into a dataset of your own",
    "no_such_dataset": "no dataset 'gone-123abc' (it may have been removed)",
    "no_such_dataset_removed": "no dataset 'gone-123abc' (it may have been removed)",
    "dataset_index_damaged": (
        "the list of datasets <tmp>/datasets/index.json is damaged: move it aside to start a new "
        "one"
    ),
    "scenario_name_empty": "scenario: a scenario needs a non-empty name",
    "scenario_name_invalid": (
        "scenario 'plan\\tB': a name has at most 120 characters and no control characters"
    ),
    "scenario_not_object": "scenario 'plan': the scenario must be a JSON object",
    "scenario_invalid": (
        "scenario 'plan': invalid scenario: start: is required: the first month, written YYYY-MM"
    ),
    "author_required": "scenario 'plan': a save needs an author",
    "archive_author_required": "scenario 'plan': archiving needs an author",
    "save_conflict": "scenario 'plan': could not save after 50 attempts (constant conflicts)",
    "scenario_stale_parent": (
        "scenario 'plan': version 1 is no longer the latest (the latest is version 2): compare "
        "them, or save anyway"
    ),
    "archive_conflict": "scenario 'plan': could not archive after 50 attempts",
    "no_such_scenario": "scenario 'ghost': no such scenario",
    "no_such_scenario_versions": "scenario 'ghost': no such scenario",
    "no_such_version": "scenario 'plan' version 9: no such scenario or version",
    "no_such_latest_version": "scenario 'ghost': no such scenario or version",
    "not_json": (
        "scenario: not JSON (line 1, column 2: Expecting property name enclosed in double quotes)"
    ),
    "no_name_in_json": "scenario: a scenario needs a non-empty name",
    "store_unavailable": (
        "scenario: the scenario store postgresql://planner:***@/db?host=<tmp>/no-server cannot be "
        "reached (connection is bad: connection to server on socket "
        '"<tmp>/no-server/.s.PGSQL.5432" failed: No such file or directory): check that its '
        "database server is running and that "
        "the URL, user and password are right, then retry"
    ),
    "store_auth_failed": (
        "scenario: the scenario store postgresql://ghost:***@/db?host=<tmp>/sock refused the "
        'login (connection failed: connection to server on socket "<tmp>/sock/.s.PGSQL.5432" '
        'failed: FATAL:  password authentication failed for user "ghost"): check the user and '
        "password in the URL (and that the server admits that user); retrying will not help"
    ),
    "database_locked": LOCKED + "another process held <tmp>/s.duckdb.lock for more than 0 s",
    "database_locked_by_a_thread": LOCKED + "timed out waiting for another thread",
    "database_damaged": f"the database <tmp>/f.duckdb is damaged and cannot be read "
    f"({NOT_A_DATABASE}); it is not in use by another process: restore it from a backup, or move "
    "it aside to start anew",
    "store_damaged": f"the scenario store <tmp>/f.duckdb is damaged and cannot be read "
    f"({NOT_A_DATABASE}); it is not in use by another process. Nothing can be saved in it: move "
    "the file aside (keep it, what is readable can be recovered from it) to start a new store, "
    "or restore it from a backup",
    "dataset_damaged": f"this dataset's file is damaged: <tmp>/f.duckdb ({NOT_A_DATABASE}). "
    "Remove the dataset and import its data again, or restore the file from a backup",
}

# the code and params of each case's error
KINDS = ["history", "items", "counts", "subscriptions", "spend"]
SF_STAGES = ["lead", "opportunity", "won"]
CODES: dict[str, tuple[str, dict]] = {
    "too_few_stages": ("too_few_stages", {}),
    "too_many_stages": ("too_many_stages", {"max": 12}),
    "bad_stage_key": ("bad_stage_key", {"stage_key": "Won"}),
    "duplicate_stage_keys": ("duplicate_stage_keys", {"keys": ["lead", "won", "lead"]}),
    "too_few_stages_in_a_mapping": ("too_few_stages", {}),
    "mapping_not_object": ("mapping_not_object", {}),
    "mapping_unknown_keys": ("mapping_unknown_keys", {"keys": ["colums"]}),
    "mapping_bad_kind": ("mapping_bad_kind", {"kinds": KINDS, "kind": "deals"}),
    "mapping_bad_stages": ("mapping_bad_stages", {}),
    "mapping_unknown_field": ("mapping_unknown_field", {"kind": "counts", "field": "revenue",
                              "fields": ["month", "stage", "count", "source", "segment"]}),
    "mapping_bad_stage_date_key": ("mapping_bad_stage_date_key", {"stage_key": "Lead"}),
    "mapping_bad_unresolved": ("mapping_bad_unresolved",
                               {"choices": ["open", "lost", "disqualified", "recycled"]}),
    "mapping_bad_values": ("mapping_bad_values", {}),
    "value_not_a_stage": ("value_not_a_stage", {"table": "stage", "raw": "demo", "target": "demo"}),
    "value_not_an_outcome": ("value_not_an_outcome",
                             {"table": "status", "raw": "maybe", "target": "maybe"}),
    "mapping_name_length": ("mapping_name_length", {"max": 80}),
    "mapping_name_builtin": ("mapping_name_builtin", {"name": "olist"}),
    "mapping_no_kind": ("mapping_no_kind", {"kinds": KINDS}),
    "mapping_unknown_keys_when_saved": ("mapping_unknown_keys", {"keys": ["extra"]}),
    "no_such_mapping": ("no_such_mapping", {"name": "nope"}),
    "unknown_preset": ("unknown_preset", {"name": "nope", "presets": list(PRESETS)}),
    "mapping_file_count": ("mapping_file_count", {"count": 1, "roles": ["main"],
                           "files": ["a", "b"]}),
    "join_file_missing": ("join_file_missing", {}),
    "stage_date_not_in_design": ("stage_date_not_in_design",
                                 {"stage": "demo", "design": SF_STAGES}),
    "stages_do_not_fit": ("stages_do_not_fit", {"stages": ["lead", "mql", "sql", "opportunity",
                          "won"], "design": SF_STAGES}),
    "design_change_with_history": ("design_change_with_history", {}),
    "constraint_violation": ("constraint_violation", {"detail": CHECK_FAILED}),
    "no_funnel_data": ("no_funnel_data", {}),
    "window_reversed": ("window_reversed", {"start": "2025-06", "end": "2025-01"}),
    "window_reversed_in_metrics": ("window_reversed", {"start": "2025-06", "end": "2025-01"}),
    "bad_horizon": ("bad_horizon", {"max": 120, "horizon": 0}),
    "no_resolved_items": ("no_resolved_items",
                          {"stage": "visitor", "start": "2024-01", "end": "2024-01"}),
    "bad_month": ("bad_month", {"name": "start", "value": "April"}),
    "bad_stale_after": ("bad_stale_after", {"stage": "oportunity", "value": 2,
                        "stages": ["visitor", "lead", "opportunity"]}),
    "bad_stale_after_negative": ("bad_stale_after", {"stage": "*", "value": -1,
                                 "stages": ["visitor", "lead", "opportunity"]}),
    "bad_split": ("bad_split", {"by": "region"}),
    "dataset_name_empty": ("dataset_name_empty", {}),
    "dataset_name_invalid": ("dataset_name_invalid", {"max": 80}),
    "dataset_name_taken": ("dataset_name_taken", {"name": "olist"}),
    "dataset_read_only": ("dataset_read_only", {}),
    "no_such_dataset": ("no_such_dataset", {"dataset": "gone-123abc"}),
    "no_such_dataset_removed": ("no_such_dataset", {"dataset": "gone-123abc"}),
    "dataset_index_damaged": ("dataset_index_damaged",
                              {"path": "<tmp>/datasets/index.json"}),
    "scenario_name_empty": ("scenario_name_empty", {}),
    "scenario_name_invalid": ("scenario_name_invalid", {"max": 120}),
    "scenario_not_object": ("scenario_not_object", {}),
    "scenario_invalid": ("scenario_invalid", {"field": "start",
                         "reason": "is required: the first month, written YYYY-MM"}),
    "author_required": ("author_required", {}),
    "archive_author_required": ("archive_author_required", {}),
    "save_conflict": ("save_conflict", {"attempts": 50}),
    "scenario_stale_parent": ("scenario_stale_parent", {"parent": 1, "head": 2}),
    "archive_conflict": ("archive_conflict", {"attempts": 50}),
    "no_such_scenario": ("no_such_scenario", {}),
    "no_such_scenario_versions": ("no_such_scenario", {}),
    "no_such_version": ("no_such_version", {}),
    "no_such_latest_version": ("no_such_version", {}),
    "not_json": ("not_json", {"line": 1, "column": 2,
                 "detail": "Expecting property name enclosed in double quotes"}),
    "no_name_in_json": ("scenario_name_empty", {}),
    "store_unavailable": ("store_unavailable", {
        "store": "postgresql://planner:***@/db?host=<tmp>/no-server",
        "detail": 'connection is bad: connection to server on socket '
        '"<tmp>/no-server/.s.PGSQL.5432" failed: No such file or directory'}),
    "store_auth_failed": ("store_auth_failed", {
        "store": "postgresql://ghost:***@/db?host=<tmp>/sock",
        "detail": 'connection failed: connection to server on socket "<tmp>/sock/.s.PGSQL.5432" '
        'failed: FATAL:  password authentication failed for user "ghost"'}),
    "database_locked": ("database_locked", {"path": "<tmp>/s.duckdb",
                        "detail": "another process held <tmp>/s.duckdb.lock for more than 0 s"}),
    "database_locked_by_a_thread": ("database_locked", {"path": "<tmp>/s.duckdb",
                                    "detail": "timed out waiting for another thread"}),
    "database_damaged": ("database_damaged", {"path": "<tmp>/f.duckdb", "detail": NOT_A_DATABASE}),
    "store_damaged": ("store_damaged", {"path": "<tmp>/f.duckdb", "detail": NOT_A_DATABASE}),
    "dataset_damaged": ("dataset_damaged", {"path": "<tmp>/f.duckdb", "detail": NOT_A_DATABASE}),
}  # fmt: skip


def raised(case: str, tmp: Path) -> DataLayerError:
    """The error a case raises (``tmp``: a folder of its own)."""
    with pytest.raises(DataLayerError) as err:
        CASES[case](tmp)
    return err.value


def _tmp_out(value, tmp: Path):
    return value.replace(str(tmp.resolve()), TMP) if isinstance(value, str) else value


@pytest.mark.parametrize("case", list(CASES))
def test_each_error_has_its_code_and_params_and_the_english_text_it_always_had(case, tmp_path):
    e = raised(case, tmp_path)
    cls = next((c for c, cases in CLASSES.items() if case in cases), DataLayerError)
    assert type(e) is cls
    assert _tmp_out(str(e), tmp_path) == EXPECT[case]
    code, params = CODES[case]
    assert e.code == code
    assert {k: _tmp_out(v, tmp_path) for k, v in e.params.items()} == params
    if isinstance(e, ScenarioStoreError):  # the reason is the text after the scenario's name
        assert e.reason == message(e.code, e.params) and str(e).endswith(": " + e.reason)
    else:
        assert str(e) == message(e.code, e.params)


def test_an_invalid_scenario_keeps_the_models_error_as_its_cause(tmp_path):
    """The UI words the model's error (its field and reason) in the user's language."""
    e = raised("scenario_invalid", tmp_path)
    assert isinstance(e.__cause__, ScenarioError)
    assert (e.__cause__.field, e.__cause__.reason) == (e.params["field"], e.params["reason"])


def test_every_case_has_its_text_and_code():
    assert set(CASES) == set(EXPECT) == set(CODES)


def test_every_code_has_a_case_and_the_raise_sites_use_registered_codes():
    """A code written at a raise site in db/ and missing from the registry (and so from the
    translations) fails here, without the error having to happen."""
    assert {code for code, _ in CODES.values()} == set(MESSAGES)
    used = h.data_error_codes_in_db()
    assert len(used) >= 40, "few codes found: has the way they are written changed?"
    assert set(used) | {DATABASE_LOCKED} == set(MESSAGES), set(used) ^ set(MESSAGES)
    assert not set(MESSAGES) & set(IMPORT_REASONS)  # the UI looks a code up in either


def test_messages_use_only_their_params(tmp_path):
    for case in CASES:
        (tmp_path / case).mkdir()
        e = raised(case, tmp_path / case)
        names = {f for _, f, _, _ in Formatter().parse(MESSAGES[e.code]) if f}
        assert names == set(e.params), case
        assert not names & {"key", "language"}, case  # the UI's translate() takes those


def test_lists_read_as_english_and_an_unregistered_code_still_makes_a_message():
    assert message("stages_do_not_fit", {"stages": ("a", "b"), "design": []}) == (
        "the file's stages (a, b) do not fit the database's stage design (none): replace the "
        "data or change the mapping"
    )
    e = DataLayerError(code="made_up_problem", params={"n": 2})
    assert str(e) == "made up problem {'n': 2}" and e.code == "made_up_problem"
    plain = DataLayerError("the CLI's own words")
    assert str(plain) == "the CLI's own words" and plain.code is None and plain.params == {}
