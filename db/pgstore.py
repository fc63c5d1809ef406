"""Scenario versions in a PostgreSQL database: one store for several app servers.

The same append-only, versioned store as ``db.scenarios.ScenarioStore`` (versions with author
and note, archive events, import/export JSON, diff), chosen by a ``postgresql://`` URL (libpq's
form, a unix socket as ``postgresql:///DB?host=/var/run/postgresql``) in ``PLANNER_STORE`` or
``python -m db scenarios --store``; ``db.scenarios.open_store`` picks the backend.

Version numbers come from transactions and constraints, not a lock file: a save inserts
max(version) + 1 of its name in a transaction, and the primary key (name, version) makes two
saves of one number collide; the loser rolls back and tries again with the next number (a
serialization failure or deadlock is retried the same way). A transaction-scoped advisory lock
on the name queues savers of one name in arrival order, so thirty of them take turns instead of
colliding thirty times. A saver killed mid-transaction leaves nothing: the server rolls the
transaction back and releases its locks.

The schema is created on first use (CREATE TABLE IF NOT EXISTS under ``pg_advisory_xact_lock``,
so concurrent first users do not trip over each other). A connection that fails (server down or
restarting) is retried with backoff for ``retry_seconds``, then raises
``ScenarioStoreError(code="store_unavailable")``; a login the server refuses (a wrong password,
a role that does not exist) is not retried: ``store_auth_failed`` at once. A save retried after
its connection broke checks first whether its commit went through (each save carries a unique
``save_id``), so a retry never saves twice. Messages name the store by its URL without the password.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import psycopg
from psycopg import errors as pgerrors
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus

from db.errors import ScenarioStoreError
from db.scenarios import (
    ARCHIVE_DDL,
    ATTEMPTS,
    ScenarioStore,
    _archive_args,
    _check_parent,
    _listing,
    _now,
    _record,
    _save_args,
    _versions,
)
from db.schema import SCENARIO_DDL

T = TypeVar("T")
RETRY_SECONDS = 3.0  # how long a failing connection is retried before store_unavailable
CONNECT_TIMEOUT = 3  # libpq's connect_timeout (seconds), unless the URL sets one
MAX_IDLE = 4  # connections a store keeps open between calls
SCHEMA_LOCK = 0x504C414E  # the advisory lock key of schema creation ("PLAN")
# the DuckDB store's tables (their SQL is PostgreSQL's too), and which save wrote a row (a save
# retried after its connection broke finds its own row instead of saving twice)
DDL = (
    SCENARIO_DDL
    + ARCHIVE_DDL
    + "ALTER TABLE scenario_versions ADD COLUMN IF NOT EXISTS save_id VARCHAR UNIQUE;"
)
_SCHEMA_EXISTS = """
    SELECT to_regclass('scenario_archive_events') IS NOT NULL AND EXISTS (
        SELECT 1 FROM pg_attribute
        WHERE attrelid = to_regclass('scenario_versions') AND attname = 'save_id'
          AND NOT attisdropped)
"""
_ARCHIVED_NAMES = """
    SELECT name FROM (SELECT DISTINCT ON (name) name, archived FROM scenario_archive_events
                      ORDER BY name, seq DESC) e
    WHERE archived
"""
# a transient conflict with another transaction: roll back and try again
_CONFLICTS = (pgerrors.UniqueViolation, pgerrors.TransactionRollback)
_USERINFO = re.compile(r"^(postgres(?:ql)?://[^:@/?#]*):[^@]*@")
_PASSWORD_PARAM = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*)", re.IGNORECASE)


# a login the server (or libpq) refused: retrying does not help, the URL's user or password, or
# the server's pg_hba.conf, must change. libpq gives no SQLSTATE for a failed connection
# (psycopg issue 1188), so the message says it: the server's English, or its Japanese
# (lc_messages=ja), or libpq's own (never translated)
_LOGIN_REFUSED = re.compile(
    r"authentication failed|role \".*\" does not exist|no pg_hba\.conf entry"
    r"|no password supplied|認証に失敗|ロール\".*\"は存在しません"
    r"|pg_hba\.conf に.*エントリがありません"
)


def login_refused(exc: psycopg.Error) -> bool:
    """Whether a failed connection is the server refusing the login (a wrong password, a role
    that does not exist, no pg_hba.conf entry, a password needed and none given), not an
    outage."""
    pgconn = getattr(exc, "pgconn", None)
    if pgconn is not None and getattr(pgconn, "needs_password", False):
        return True
    return bool(_LOGIN_REFUSED.search(str(exc)))


def redact(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` parameter) as ***."""
    text = _USERINFO.sub(r"\1:***@", url)
    return _PASSWORD_PARAM.sub(r"\1***", text)


def _password(url: str) -> str | None:
    try:
        return conninfo_to_dict(url).get("password") or None
    except psycopg.Error:
        return None


def _first_line(exc: BaseException) -> str:
    lines = [s.strip() for s in str(exc).splitlines() if s.strip()]
    return lines[0] if lines else type(exc).__name__


def _close_quietly(conn: psycopg.Connection) -> None:
    try:
        conn.close()
    except psycopg.Error:  # a broken connection may fail to close: it is gone anyway
        pass


class PgScenarioStore(ScenarioStore):
    """Scenario versions in the PostgreSQL database of ``url`` (a libpq URL).

    Each call borrows a connection: an idle one the store kept (up to ``MAX_IDLE``) or a new
    one, given back after the call unless it broke. No connection is tied to a thread, so a
    server whose threads come and go (Streamlit runs a script in a new thread) does not pile
    up connections. ``close()`` closes the idle ones."""

    def __init__(
        self,
        url: str,
        *,
        retry_seconds: float = RETRY_SECONDS,
        connect_timeout: int = CONNECT_TIMEOUT,
    ) -> None:
        self.url = url
        self.path = redact(url)  # what messages call the store
        self.retry_seconds = retry_seconds
        self.last_wait = 0.0  # the DuckDB store's lock wait; a server has no file lock
        self._password = _password(url)
        self._options: dict[str, Any] = {"autocommit": True}
        self._idle: list[psycopg.Connection] = []
        self._guard = threading.Lock()
        self._schema_ready = False
        self._schema_guard = threading.Lock()
        self._down_until = 0.0  # while the server is known down, a call tries once, not again
        self._bad_url = False  # said on first use, so a page can show it like any store error
        try:
            if "connect_timeout" not in conninfo_to_dict(url):
                self._options["connect_timeout"] = connect_timeout
        except psycopg.Error:
            self._bad_url = True

    def __repr__(self) -> str:
        return f"PgScenarioStore({self.path!r})"

    def warnings(self) -> list:
        """None: the server keeps its own log, nothing is recovered here (the DuckDB store
        reports the recoveries of a damaged file)."""
        return []

    # -- connections ---------------------------------------------------------------------------
    def _params(self, detail: str) -> dict[str, str]:
        """The store and ``detail`` for a message, the password kept out of both."""
        if self._password:
            for secret in {self._password, quote(self._password, safe="")}:
                detail = detail.replace(secret, "***")
        return {"store": self.path, "detail": redact(detail)}

    def _unavailable(self, detail: str) -> ScenarioStoreError:
        return ScenarioStoreError(code="store_unavailable", params=self._params(detail))

    def _refused(self, detail: str) -> ScenarioStoreError:
        """The server refused the login: retrying will not help."""
        return ScenarioStoreError(code="store_auth_failed", params=self._params(detail))

    def _connection(self) -> psycopg.Connection:
        """An idle connection of the store's, or a new one; the schema is made on first use."""
        conn = None
        with self._guard:
            while self._idle and conn is None:
                kept = self._idle.pop()
                conn = None if kept.closed else kept
        if conn is None:
            conn = psycopg.connect(self.url, **self._options)
        if not self._schema_ready:
            try:
                with self._schema_guard:
                    if not self._schema_ready:
                        with conn.transaction():
                            conn.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
                            if not conn.execute(_SCHEMA_EXISTS).fetchone()[0]:
                                conn.execute(DDL)  # tables made by a DBA are left as they are
                        self._schema_ready = True
            except BaseException:
                _close_quietly(conn)
                raise
        return conn

    def _release(self, conn: psycopg.Connection) -> None:
        """Keep ``conn`` for a later call, or close it (broken, or enough kept already)."""
        if not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE:
            with self._guard:
                if len(self._idle) < MAX_IDLE:
                    self._idle.append(conn)
                    return
        _close_quietly(conn)

    def close(self) -> None:
        """Close the idle connections (the store stays usable: a call opens a new one)."""
        with self._guard:
            conns, self._idle = self._idle, []
        for conn in conns:
            _close_quietly(conn)

    close_all = close

    def __del__(self) -> None:
        if hasattr(self, "_idle"):
            self.close()

    def __enter__(self) -> PgScenarioStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, work: Callable[[psycopg.Connection], T]) -> T:
        """``work(connection)``; a connection that fails is dropped and the call retried with
        backoff for ``retry_seconds``, then ``store_unavailable``. ``work`` must be safe to
        repeat (reads are; ``save`` checks for its own earlier commit). Within
        ``retry_seconds`` of a call that found the server down, a call tries once, so a page
        that reads the store several times does not wait that long for each. Any other error
        of the database (a user without the right to a table) is ``store_unavailable`` too,
        at once: never psycopg's own error."""
        if self._bad_url:
            raise self._unavailable("not a valid PostgreSQL connection URL")
        now = time.monotonic()
        deadline = now if now < self._down_until else now + self.retry_seconds
        delay = 0.1
        while True:
            conn = None
            try:
                conn = self._connection()
                result = work(conn)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if conn is not None:
                    _close_quietly(conn)
                if conn is None and login_refused(exc):  # not an outage: no retries
                    raise self._refused(_first_line(exc)) from None
                if time.monotonic() + delay > deadline:
                    self._down_until = time.monotonic() + self.retry_seconds
                    raise self._unavailable(_first_line(exc)) from None
            except psycopg.Error as exc:
                if conn is not None:
                    self._release(conn)
                raise self._unavailable(_first_line(exc)) from None
            except BaseException:  # the store's own errors (no such scenario, stale parent)
                if conn is not None:
                    self._release(conn)
                raise
            else:
                self._release(conn)
                self._down_until = 0.0
                return result
            time.sleep(delay * (0.5 + random.random() / 2))
            delay = min(delay * 2, 1.0)

    # -- writing -------------------------------------------------------------------------------
    def save(self, name, scenario, *, author, note="", parent=None, force=False) -> int:
        """Append a new version of ``name``; returns its number (see ``ScenarioStore.save``)."""
        name, body = _save_args(name, scenario, author)
        save_id = uuid.uuid4().hex

        def work(conn: psycopg.Connection) -> int:
            for attempt in range(ATTEMPTS):
                try:
                    with conn.transaction():
                        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
                        row = conn.execute(
                            "SELECT version FROM scenario_versions WHERE save_id = %s", [save_id]
                        ).fetchone()
                        if row is not None:  # committed before the connection broke
                            return int(row[0])
                        (head,) = conn.execute(
                            "SELECT coalesce(max(version), 0) FROM scenario_versions "
                            "WHERE name = %s",
                            [name],
                        ).fetchone()
                        _check_parent(name, parent, int(head), force)
                        conn.execute(
                            "INSERT INTO scenario_versions VALUES (%s, %s, %s, %s, %s, %s, %s)",
                            [name, head + 1, _now(), author.strip(), note or "", body, save_id],
                        )
                    return int(head) + 1
                except _CONFLICTS:
                    time.sleep(0.001 * (attempt + 1) * random.random())
            raise ScenarioStoreError(code="save_conflict", params={"attempts": ATTEMPTS}, name=name)

        return self._run(work)

    def _archive_event(self, name: str, author: str, archived: bool) -> None:
        name = _archive_args(name, author)

        def work(conn: psycopg.Connection) -> None:
            for attempt in range(ATTEMPTS):
                try:
                    with conn.transaction():
                        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
                        if not conn.execute(
                            "SELECT 1 FROM scenario_versions WHERE name = %s LIMIT 1", [name]
                        ).fetchone():
                            raise ScenarioStoreError(code="no_such_scenario", name=name)
                        conn.execute(
                            "INSERT INTO scenario_archive_events SELECT %s, "
                            "coalesce(max(seq), 0) + 1, %s, %s, %s FROM scenario_archive_events "
                            "WHERE name = %s",
                            [name, _now(), author.strip(), archived, name],
                        )
                    return
                except _CONFLICTS:
                    time.sleep(0.001 * (attempt + 1) * random.random())
            raise ScenarioStoreError(
                code="archive_conflict", params={"attempts": ATTEMPTS}, name=name
            )

        self._run(work)

    # -- reading -------------------------------------------------------------------------------
    def _rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return self._run(lambda conn: conn.execute(sql, params).fetchall())

    def list(self, *, include_archived: bool = True) -> list[dict[str, Any]]:
        """One row per name, as ``ScenarioStore.list`` (names in code-point order)."""
        rows = self._rows(
            f"""SELECT * FROM (
                   SELECT DISTINCT ON (v.name) v.name, v.version, v.created_at, v.author, v.note,
                          count(*) OVER (PARTITION BY v.name), a.name IS NOT NULL
                   FROM scenario_versions v LEFT JOIN ({_ARCHIVED_NAMES}) a ON a.name = v.name
                   ORDER BY v.name, v.version DESC) latest
               ORDER BY latest.name COLLATE "C\""""
        )
        return _listing(rows, include_archived)

    def archived(self) -> set[str]:
        return {r[0] for r in self._rows(_ARCHIVED_NAMES)}

    def versions(self, name: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT version, created_at, author, note FROM scenario_versions "
            "WHERE name = %s ORDER BY version",
            [name],
        )
        return _versions(name, rows)

    def record(self, name: str, version: int | None = None) -> dict[str, Any]:
        select = "SELECT name, version, created_at, author, note, body FROM scenario_versions "
        if version is None:
            rows = self._rows(select + "WHERE name = %s ORDER BY version DESC LIMIT 1", [name])
        else:
            rows = self._rows(select + "WHERE name = %s AND version = %s", [name, int(version)])
        return _record(rows[0] if rows else None, name, version)
