"""Opening the DuckDB file: one connection per process, a cursor per thread.

DuckDB lets one process write a database file; a second process gets a lock error, which is
turned into ``DatabaseLockedError`` (optionally after waiting ``lock_timeout`` seconds for the
other process to finish, which is how short-lived CLI saves queue up behind each other).
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import duckdb

from db.errors import DatabaseLockedError
from db.schema import create_schema


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, duckdb.IOException) and (
        "Could not set lock" in text or "Conflicting lock" in text
    )


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


def connect(
    path: str | Path = ":memory:",
    *,
    read_only: bool = False,
    lock_timeout: float = 0.0,
    config: dict | None = None,
) -> duckdb.DuckDBPyConnection:
    """A raw DuckDB connection, waiting up to ``lock_timeout`` s for another process's lock."""
    target = str(path)
    deadline = time.monotonic() + lock_timeout
    delay = 0.01
    while True:
        try:
            return duckdb.connect(target, read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
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
