"""Opening the DuckDB file: one connection per process, a cursor per thread.

DuckDB lets one process write a database file; a second process gets a lock error, which is
turned into ``DatabaseLockedError`` (optionally after waiting ``lock_timeout`` seconds for the
other process to finish, which is how short-lived CLI saves queue up behind each other). A file
that is not a DuckDB database, is cut short, fails its checksums or is a folder is *damaged*, not
locked: ``DatabaseDamagedError`` (waiting does not help). ``verify`` reads every block of every
table, so that damage shows when a file is opened rather than halfway through a page or a save.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import duckdb

from db.errors import DatabaseDamagedError, DatabaseLockedError
from db.schema import create_schema


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, duckdb.IOException) and (
        "Could not set lock" in text or "Conflicting lock" in text
    )


# what DuckDB says of a file it cannot read (a folder, not a database, cut short, bad checksums,
# a log it cannot replay); a lock error is never one of them
_DAMAGE_SIGNS = (
    "not a valid duckdb database",
    "is a directory",
    "could not read enough bytes",
    "corrupt",
    "checksum",
    "failure while replaying wal",
    "invalid block",
)


def is_damage_error(exc: BaseException) -> bool:
    """True when ``exc`` says a database file is damaged (as opposed to locked, or a mistake in
    a query)."""
    if not isinstance(exc, duckdb.Error) or _is_lock_error(exc):
        return False
    text = str(exc).lower()
    if isinstance(exc, duckdb.InternalException | duckdb.SerializationException):
        return True
    return type(exc) in (duckdb.IOException, duckdb.Error) and any(
        sign in text for sign in _DAMAGE_SIGNS
    )


def first_line(exc: BaseException) -> str:
    """The first line of an error's text (DuckDB's messages run on with hints)."""
    return (str(exc).splitlines() or [type(exc).__name__])[0][:300]


def verify(con: duckdb.DuckDBPyConnection) -> None:
    """Read every row of every table of the database, all columns (every block, so DuckDB
    checks each checksum); raises the ``duckdb.Error`` of the first damaged one."""
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() ORDER BY schema_name, table_name"
    ).fetchall()
    for schema, table in tables:
        ident = '"' + schema.replace('"', '""') + '"."' + table.replace('"', '""') + '"'
        con.execute(f"SELECT count(*), bit_xor(hash(t)) FROM {ident} AS t").fetchall()


class Database:
    """The process's one connection to a database file, handing out a cursor per thread."""

    def __init__(self, path: str, con: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self.con = con
        self._local = threading.local()
        self._lock = threading.Lock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (created on first use; TEMP tables on it are private)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            with self._lock:
                cur = self.con.cursor()
            self._local.cursor = cur
        return cur

    def new_cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor (e.g. one per Streamlit session); the caller closes it."""
        with self._lock:
            return self.con.cursor()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` without DuckDB's progress bar, which is on by default and printed itself on
    stdout for a query over 2 s, into the CLI's JSON and CSV output (a session setting: it
    cannot be given as a connection's config)."""
    con.execute("SET enable_progress_bar = false")
    return con


def connect(
    path: str | Path = ":memory:",
    *,
    read_only: bool = False,
    lock_timeout: float = 0.0,
    config: dict | None = None,
) -> duckdb.DuckDBPyConnection:
    """A raw DuckDB connection, waiting up to ``lock_timeout`` s for another process's lock;
    ``DatabaseDamagedError`` (``database_damaged``) when the file is damaged."""
    target = str(path)
    deadline = time.monotonic() + lock_timeout
    delay = 0.01
    while True:
        try:
            return quiet(duckdb.connect(target, read_only=read_only, config=config or {}))
        except duckdb.Error as exc:
            if is_damage_error(exc):
                detail = first_line(exc)
                raise DatabaseDamagedError(target, detail, code="database_damaged") from None
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseLockedError(target, str(exc).splitlines()[0]) from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.2)


def open_database(
    path: str | Path = ":memory:",
    *,
    read_only: bool = False,
    stages: tuple[str, ...] | None = None,
    lock_timeout: float = 0.0,
) -> Database:
    """Open (creating if needed) a database file with the full schema and stage design."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = connect(path, read_only=read_only, lock_timeout=lock_timeout)
    if not read_only:
        create_schema(con, stages)
        con.execute("CHECKPOINT")
    return Database(str(path), con)
