"""The funnel data as a whole: its fingerprint (the app's cache key), where it came from, and an
import that replaces all of it in one transaction (a failure at any statement changes nothing)."""

from __future__ import annotations

import duckdb
import pytest

import tests.db.helpers as h
from db.funnel import data_origin, data_version, row_counts
from db.imports import import_file, save_mapping
from db.imports.presets import preset
from db.sample import open_sample_database
from db.schema import FUNNEL_TABLES, set_stage_design, stage_keys

ALL_TABLES = (*FUNNEL_TABLES, "imports", "stage_design", "mapping_presets", "meta")


@pytest.fixture
def sample() -> duckdb.DuckDBPyConnection:
    """A private, writable in-memory copy of the sample company."""
    c = open_sample_database()
    yield c
    c.close()


def _first_row(table: str) -> str:
    return f"rowid = (SELECT min(rowid) FROM {table})"


# ----- the fingerprint --------------------------------------------------------------------------
def test_fingerprint_is_stable_for_the_same_data(sample):
    v = data_version(sample)
    assert data_version(sample) == v
    assert data_version(sample.cursor()) == v
    other = open_sample_database()  # the same data loaded again
    try:
        assert data_version(other) == v
    finally:
        other.close()


def test_fingerprint_ignores_the_import_log_and_saved_mappings(sample):
    v = data_version(sample)
    save_mapping(sample, "my counts", preset("monthly_counts"))
    sample.execute(
        "INSERT INTO imports VALUES (999, now()::TIMESTAMP, 'x.csv', NULL, 'stage_counts', 0, 0,"
        " '{}')"
    )
    assert data_version(sample) == v


@pytest.mark.parametrize("table", FUNNEL_TABLES)
def test_fingerprint_changes_when_one_row_changes(sample, table):
    assert sample.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 1
    v = data_version(sample)
    sample.execute(f"UPDATE {table} SET import_id = 99 WHERE {_first_row(table)}")
    changed = data_version(sample)
    assert changed != v
    sample.execute(f"UPDATE {table} SET import_id = NULL WHERE {_first_row(table)}")
    assert data_version(sample) == v  # the same rows again: the same fingerprint


@pytest.mark.parametrize("table", FUNNEL_TABLES)
def test_fingerprint_changes_when_a_row_is_added_or_removed(sample, table):
    v = data_version(sample)
    sample.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE {_first_row(table)}")
    duplicated = data_version(sample)
    assert duplicated != v
    sample.execute(f"DELETE FROM {table} WHERE {_first_row(table)}")
    sample.execute(f"DELETE FROM {table} WHERE {_first_row(table)}")
    assert data_version(sample) not in (v, duplicated)


@pytest.mark.parametrize("table", FUNNEL_TABLES)
def test_fingerprint_sees_a_pair_of_equal_rows_replaced_by_another_pair(sample, table):
    """Same count, and each pair's hashes would cancel in an XOR of the row hashes."""
    lo, hi = sample.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
    first, last = (sample.execute(f"SELECT * FROM {table} WHERE rowid = ?", [r]).fetchall()
                   for r in (lo, hi))  # fmt: skip
    assert first != last
    width = len(first[0])
    insert = f"INSERT INTO {table} VALUES ({', '.join('?' * width)})"
    sample.execute(f"DELETE FROM {table} WHERE rowid IN (?, ?)", [lo, hi])
    for row in first * 2 + last * 2:
        sample.execute(insert, list(row))
    v = data_version(sample)  # the first and the last row twice each
    cols = ", ".join(d[0] for d in sample.execute(f"FROM {table} LIMIT 0").description)
    sample.execute(
        f"DELETE FROM {table} WHERE ({cols}) IS NOT DISTINCT FROM ({', '.join('?' * width)})",
        list(first[0]),
    )
    for row in last * 2:
        sample.execute(insert, list(row))
    assert data_version(sample) != v  # now the last row four times, the first not at all


def test_fingerprint_changes_with_the_stage_design(sample):
    v = data_version(sample)
    set_stage_design(sample, ["visitor", "lead", "mql", "opportunity", "won"])
    assert data_version(sample) != v


# ----- where the data came from -----------------------------------------------------------------
def test_origin_names_the_imports_whose_rows_are_there(sample):
    assert data_origin(sample) == ("sample", "")
    import_file(sample, h.csv_bytes(h.COUNTS_JA), "monthly_counts", name="counts.csv")
    import_file(sample, h.csv_bytes(h.COUNTS_JA), "monthly_counts", name="again.csv")
    assert data_origin(sample) == ("imported", "counts.csv, again.csv")
    import_file(sample, h.csv_bytes(h.COUNTS_JA), "monthly_counts", name="last.csv", replace=True)
    assert data_origin(sample) == ("imported", "last.csv")  # the others' rows are gone


# ----- replacing all of the data: one transaction -----------------------------------------------
def _state(con) -> dict:
    """Row counts of every table, the stage design and the content fingerprint."""
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ALL_TABLES}
    return {"counts": counts, "design": stage_keys(con), "version": data_version(con)}


class Boom(Exception):
    pass


class FailingConnection:
    """A connection that fails at the ``fail_at``-th statement inside a transaction (0: never),
    recording the statements it ran there."""

    def __init__(self, con: duckdb.DuckDBPyConnection, fail_at: int = 0) -> None:
        self._con = con
        self._fail_at = fail_at
        self._in_transaction = False
        self.statements: list[str] = []

    def _count(self, sql: str) -> None:
        text = " ".join(sql.split())
        if text == "BEGIN TRANSACTION":
            self._in_transaction = True
        elif text in ("COMMIT", "ROLLBACK"):
            self._in_transaction = False
        elif self._in_transaction:
            self.statements.append(text)
            if len(self.statements) == self._fail_at:
                raise Boom(text)

    def execute(self, sql, *args, **kwargs):
        self._count(sql)
        return self._con.execute(sql, *args, **kwargs)

    def executemany(self, sql, *args, **kwargs):
        self._count(sql)
        return self._con.executemany(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def _replace_all(con, name: str = "hubspot.csv"):
    """A history file with its own stage design, replacing all the data."""
    return import_file(con, h.csv_bytes(h.HUBSPOT), "hubspot_contacts", name=name,
                       replace_all=True)  # fmt: skip


def test_replace_all_leaves_only_the_imported_rows(sample):
    assert all(row_counts(sample).values())
    result = _replace_all(sample)
    assert row_counts(sample) == {"stage_history": result.rows_written, "stage_counts": 0,
                                  "subscriptions": 0, "marketing_spend": 0}  # fmt: skip
    assert data_origin(sample) == ("imported", "hubspot.csv")
    assert stage_keys(sample) == list(result.stages) != ["visitor", "lead", "opportunity", "won"]


def test_replace_all_fails_at_any_statement_and_changes_nothing(sample):
    """The transaction's statements are found by a run that succeeds (on another copy); then the
    import fails at each of them in turn, and every table is exactly as before each time."""
    probe_db = open_sample_database()
    try:
        probe = FailingConnection(probe_db)
        _replace_all(probe)
    finally:
        probe_db.close()
    statements = probe.statements
    for t in FUNNEL_TABLES:  # every funnel table is emptied inside the transaction
        assert f"DELETE FROM {t}" in statements
    assert statements[-1].startswith("INSERT INTO imports")
    before = _state(sample)
    for k in range(1, len(statements) + 1):
        failing = FailingConnection(sample, fail_at=k)
        with pytest.raises(Boom):
            _replace_all(failing)
        assert failing.statements[-1].split()[:3] == statements[k - 1].split()[:3]
        assert _state(sample) == before, f"changed after a failure at {statements[k - 1]!r}"
    # the connection is usable afterwards: the same import then goes through
    _replace_all(sample)
    assert data_origin(sample) == ("imported", "hubspot.csv")
