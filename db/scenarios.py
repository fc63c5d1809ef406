"""Named scenarios with append-only versions (who, when, note) in a DuckDB file.

A save inserts version n+1 of a name inside a transaction; the (name, version) primary key makes
two concurrent saves of the same version collide, and the loser retries with the next number, so
nothing is lost. DuckDB lets one process write a file at a time, so every operation opens the
file under an exclusive ``fcntl.flock`` on ``<file>.lock``, handed on in order of arrival to
processes and threads alike (waiting up to ``lock_timeout`` seconds, then raising
``DatabaseLockedError``). A crash mid-save leaves an uncommitted transaction, which DuckDB
discards on the next open: the previous versions stay intact.

A damaged file (not a DuckDB file, cut short, failing its checksums, a folder) raises
``DatabaseDamagedError`` (``store_damaged``), never a lock error, and a save reads every block
before it writes, so nothing is saved into a damaged store. A log DuckDB cannot replay is moved
aside and its readable part recovered; a version number is never handed out twice, even when a
damaged log lost the version that had it; ``warnings()`` says which versions may be missing
(``db.storefile``).

Nothing is ever deleted: archiving a name appends an event (archived or restored, who, when) to
``scenario_archive_events``; the latest event of a name says whether it is archived. ``list()``
leaves archived names out unless asked, and every version of them stays loadable.

Keep the store in its own file (the default ``scenarios.duckdb``), not in the funnel database the
app keeps open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from db import storefile
from db.connection import first_line, is_damage_error, quiet, verify
from db.errors import DatabaseDamagedError, DatabaseLockedError, ScenarioStoreError, StoreWarning
from db.schema import SCENARIO_DDL

MAX_NAME = 120
STORE_FILE = "scenarios.duckdb"  # the store's file in the planner's folder (app and CLI)
ATTEMPTS = 50  # tries of a write that collides with other sessions' writes
ARCHIVE_DDL = """
-- append-only archive events: the latest event of a name says whether it is archived
CREATE TABLE IF NOT EXISTS scenario_archive_events (
    name VARCHAR NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    created_at TIMESTAMP NOT NULL,
    author VARCHAR NOT NULL,
    archived BOOLEAN NOT NULL,
    PRIMARY KEY (name, seq)
);
"""
_verified: dict[str, tuple] = {}  # store -> the state of its files when last read whole here
_ARCHIVED_NAMES = """
    SELECT name FROM scenario_archive_events
    GROUP BY name HAVING arg_max(archived, seq)
"""


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ScenarioStoreError(code="scenario_name_empty")
    name = name.strip()
    if len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
        raise ScenarioStoreError(code="scenario_name_invalid", params={"max": MAX_NAME}, name=name)
    return name


def _validate(scenario: Any, name: str) -> str:
    """The scenario's JSON text to store, once the model accepts it: its limits first (the walk
    of ``parse_scenario``, then the exact size of the text), as ``python -m model`` checks them."""
    from model import ScenarioError, parse_scenario
    from model.limits import check_text_size

    if not isinstance(scenario, dict):
        raise ScenarioStoreError(code="scenario_not_object", name=name)
    try:
        parse_scenario(scenario)
        body = json.dumps(scenario, ensure_ascii=False, sort_keys=False)
        check_text_size(body, name)
    except ScenarioError as exc:
        raise _invalid(exc, name) from exc
    return body


def _invalid(exc: Any, name: str | None, version: int | None = None) -> ScenarioStoreError:
    """The store's error for a scenario the model refuses (raise it ``from`` the model's error,
    for the UI to word it)."""
    return ScenarioStoreError(
        code="scenario_invalid",
        params={"field": exc.field, "reason": exc.reason},
        name=name,
        version=version,
    )


def _read_json(text: str) -> Any:
    """An import's JSON text, read as the model reads a scenario file: its size checked before
    ``json.loads`` does any work, integers of thousands of digits and nesting too deep for Python
    refused with the model's error instead of a ValueError or RecursionError."""
    from model import ScenarioError, parse_json

    try:
        return parse_json(text, "(import)")
    except ScenarioError as exc:
        if exc.code == "invalid_json":
            p = exc.params
            raise ScenarioStoreError(
                code="not_json",
                params={"line": p["line"], "column": p["column"], "detail": p["error"]},
            ) from None
        raise _invalid(exc, None) from exc


def _save_args(name: Any, scenario: Any, author: Any) -> tuple[str, str]:
    """The checked name and the scenario's JSON text of a save (any backend)."""
    name = _check_name(name)
    if not isinstance(author, str) or not author.strip():
        raise ScenarioStoreError(code="author_required", name=name)
    return name, _validate(scenario, name)


def _check_parent(name: str, parent: int | None, head: int, force: bool) -> None:
    """Refuse a save edited from ``parent`` when the name's head is another version (a name
    with no versions yet has nothing to overwrite)."""
    if parent is None or force or head == 0 or int(parent) == head:
        return
    raise ScenarioStoreError(
        code="scenario_stale_parent", params={"parent": int(parent), "head": head}, name=name
    )


def _archive_args(name: Any, author: Any) -> str:
    """The checked name of an archive event (any backend)."""
    name = _check_name(name)
    if not isinstance(author, str) or not author.strip():
        raise ScenarioStoreError(code="archive_author_required", name=name)
    return name


def _listing(rows: list[tuple], include_archived: bool) -> list[dict[str, Any]]:
    """``list()``'s rows: name, version, created_at, author, note, versions, archived."""
    keys = ("name", "version", "created_at", "author", "note", "versions", "archived")
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    return out if include_archived else [r for r in out if not r["archived"]]


def _versions(name: str, rows: list[tuple]) -> list[dict[str, Any]]:
    """``versions()``'s rows: version, created_at, author, note (none: no such scenario)."""
    if not rows:
        raise ScenarioStoreError(code="no_such_scenario", name=name)
    return [dict(zip(("version", "created_at", "author", "note"), r, strict=True))
            for r in rows]  # fmt: skip


def _record(row: tuple | None, name: str, version: int | None) -> dict[str, Any]:
    """``record()``'s dict of a (name, version, created_at, author, note, body) row."""
    if row is None:
        raise ScenarioStoreError(code="no_such_version", name=name, version=version)
    return {"name": row[0], "version": row[1], "created_at": row[2].isoformat(),
            "author": row[3], "note": row[4],
            "scenario": _stored(row[5], row[0], row[1])}  # fmt: skip


def _stored(body: str, name: str, version: int) -> Any:
    """A stored version's scenario, refused (``scenario_invalid``, the model's error as the
    cause) when it breaks the model's limits (a version saved before they were checked): the
    app would otherwise build a page for each of its 10,000 stages."""
    from model import ScenarioError, parse_json
    from model.limits import check_scenario

    try:
        data = parse_json(body, name)
        check_scenario(data)
    except ScenarioError as exc:
        raise _invalid(exc, name, version) from exc
    return data


def _now() -> dt.datetime:
    """UTC now, naive (the stores keep naive UTC timestamps)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ScenarioStore:
    """Scenario versions in the DuckDB file ``path``."""

    def __init__(self, path: str | Path, *, lock_timeout: float = 30.0) -> None:
        self.path = str(Path(path).resolve())
        self.lock_path = self.path + ".lock"
        self.lock_timeout = lock_timeout
        self.last_wait = 0.0  # seconds the last operation waited for the lock (bench/)
        self._marks = storefile.VersionMarks(self.path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    def _damaged(self, exc: BaseException) -> DatabaseDamagedError:
        return DatabaseDamagedError(self.path, first_line(exc), code="store_damaged")

    def _known_whole(self, key: tuple) -> bool:
        """Whether the store's files in the state ``key`` were read whole: here, or by any
        process that then wrote them only through DuckDB (``<store>.checked``)."""
        if _verified.get(self.path) == key or storefile.checked(self.path, key):
            _verified[self.path] = key
            return True
        return False

    def _check_whole(self, con: duckdb.DuckDBPyConnection, key: tuple | None = None) -> None:
        """Read every block of the store (``store_damaged`` when one cannot be), once per state
        of its files (``key``, default: now): a damaged store says so on any operation, not
        only on those that happen to read the damaged part."""
        key = storefile.file_state(self.path) if key is None else key
        if self._known_whole(key):
            return
        try:
            verify(con)
        except duckdb.Error as exc:
            raise self._damaged(exc) from None
        _verified[self.path] = key

    @contextlib.contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the store under its lock (taken in order of arrival), its every
        block read once per state of its files (and its tables made then); DuckDB's errors
        that say the file is damaged become ``DatabaseDamagedError``. The state the files are
        left in after a clean close is recorded as read whole (``<store>.checked``): the next
        operation, in any process, need not read it all again, unless something else changed
        the files meanwhile."""
        deadline = time.monotonic() + self.lock_timeout
        with storefile.fair_lock(self.path, self.lock_path, self.lock_timeout) as waited:
            self.last_wait = waited
            before = storefile.file_state(self.path)
            con = self._connect(deadline)
            clean = False
            try:
                if not self._known_whole(before):
                    con.execute(SCENARIO_DDL)
                    con.execute(ARCHIVE_DDL)
                    self._check_whole(con, before)
                yield con
                clean = True
            except duckdb.Error as exc:
                if is_damage_error(exc):
                    raise self._damaged(exc) from None
                raise
            finally:
                con.close()
            if clean:
                _verified[self.path] = storefile.mark_checked(self.path)

    def _connect_once(self, deadline: float) -> duckdb.DuckDBPyConnection:
        # another program (not using the lock file) may hold DuckDB's own lock: wait for it too
        while True:
            try:
                return quiet(duckdb.connect(self.path))
            except duckdb.Error as exc:
                if not isinstance(exc, duckdb.IOException) or "lock" not in str(exc).lower():
                    raise self._damaged(exc) from exc  # never "in use" for a file it cannot read
                if time.monotonic() >= deadline:
                    raise DatabaseLockedError(self.path, first_line(exc)) from None
                time.sleep(0.05)

    def _connect(self, deadline: float) -> duckdb.DuckDBPyConnection:
        """Open the file, recovering from a damaged or cut-off log (``db.storefile``): a log
        DuckDB cannot replay is moved aside and its readable prefix put back; a log that lost
        acknowledged versions is kept; either is recorded for ``warnings()``."""
        snapshot = storefile.snapshot_wal(self.path)
        aside = None
        try:
            try:
                con = self._connect_once(deadline)
            except DatabaseDamagedError as exc:
                if snapshot is None or not storefile.is_wal_error(exc.__cause__ or exc):
                    raise
                aside, _, _ = storefile.set_damaged_wal_aside(self.path, exc.__cause__ or exc)
                try:
                    con = self._connect_once(deadline)
                except DatabaseDamagedError:
                    storefile.put_wal_back(self.path, aside)  # the file itself is damaged
                    raise
            if snapshot is not None:
                try:
                    missing = storefile.missing_versions(con, self._marks)
                except (duckdb.Error, DatabaseDamagedError):
                    con.close()
                    raise
                if aside is None and storefile.reported(self.path, missing):
                    missing = []  # the same versions are on record already
                if aside is not None or missing:
                    if aside is None:
                        aside, snapshot = storefile.keep_snapshot(self.path, snapshot), None
                    storefile.record_recovery(self.path, aside, missing)
            return con
        finally:
            if snapshot is not None:
                with contextlib.suppress(FileNotFoundError):
                    Path(snapshot).unlink()

    @contextlib.contextmanager
    def _new_version(self, con: duckdb.DuckDBPyConnection, name: str, head: int) -> Iterator[int]:
        """For ``save()``, inside its transaction: the number of the new version of ``name``.
        Every block of the store has been read (``_open``: a damaged store refuses the save
        with ``store_damaged``). The number is one past the store's ``head`` and every number handed
        out before (the high-water mark outside DuckDB's log, ``db.storefile.VersionMarks``),
        recorded before the insert, so a version lost with a damaged log never has its number
        reused; after the body (insert and commit) the version is marked saved."""
        self._check_whole(con)
        version = self._marks.claim(name, head)
        yield version
        self._marks.saved(name, version)

    def warnings(self) -> list[StoreWarning]:
        """The store's recoveries on record (``store_recovered``: its log was damaged or cut off;
        which versions may be missing), for the UI and the CLI to show."""
        return storefile.warnings(self.path)

    # -- writing -------------------------------------------------------------------------------
    def save(
        self,
        name: str,
        scenario: dict[str, Any],
        *,
        author: str,
        note: str = "",
        parent: int | None = None,
        force: bool = False,
    ) -> int:
        """Append a new version of ``name``; returns its number (1 for a new name).

        ``parent`` is the version the scenario was edited from: when it is no longer the head
        (someone saved a later version meanwhile) the save raises ``scenario_stale_parent``
        (params ``parent``, ``head``) unless ``force``, which saves it as the next version
        anyway. ``parent=None`` saves on top of whatever the head is. The number is one past
        the highest ever handed out (``_new_version``), never reused."""
        name, body = _save_args(name, scenario, author)
        for attempt in range(ATTEMPTS):
            with self._open() as con:
                try:
                    con.execute("BEGIN TRANSACTION")
                    (head,) = con.execute(
                        "SELECT coalesce(max(version), 0) FROM scenario_versions WHERE name = ?",
                        [name],
                    ).fetchone()
                    _check_parent(name, parent, int(head), force)
                    with self._new_version(con, name, int(head)) as version:
                        con.execute(
                            "INSERT INTO scenario_versions VALUES (?, ?, ?, ?, ?, ?)",
                            [name, version, _now(), author.strip(), note or "", body],
                        )
                        con.execute("COMMIT")
                    return version
                except (duckdb.ConstraintException, duckdb.TransactionException):
                    with contextlib.suppress(duckdb.Error):
                        con.execute("ROLLBACK")
            time.sleep(0.001 * (attempt + 1) * random.random())
        raise ScenarioStoreError(code="save_conflict", params={"attempts": ATTEMPTS}, name=name)

    def archive(self, name: str, *, author: str) -> None:
        """Hide ``name`` from ``list(include_archived=False)``; its versions stay (an event is
        appended, nothing is deleted)."""
        self._archive_event(name, author, True)

    def restore(self, name: str, *, author: str) -> None:
        """Undo :meth:`archive` (another appended event)."""
        self._archive_event(name, author, False)

    def _archive_event(self, name: str, author: str, archived: bool) -> None:
        name = _archive_args(name, author)
        for attempt in range(ATTEMPTS):
            with self._open() as con:
                if (
                    con.execute(
                        "SELECT count(*) FROM scenario_versions WHERE name = ?", [name]
                    ).fetchone()[0]
                    == 0
                ):
                    raise ScenarioStoreError(code="no_such_scenario", name=name)
                try:
                    con.execute("BEGIN TRANSACTION")
                    con.execute(
                        "INSERT INTO scenario_archive_events SELECT ?, coalesce(max(seq), 0) + 1, "
                        "?, ?, ? FROM scenario_archive_events WHERE name = ?",
                        [name, dt.datetime.now(dt.UTC).replace(tzinfo=None), author.strip(),
                         archived, name],
                    )  # fmt: skip
                    con.execute("COMMIT")
                    return
                except (duckdb.ConstraintException, duckdb.TransactionException):
                    with contextlib.suppress(duckdb.Error):
                        con.execute("ROLLBACK")
            time.sleep(0.001 * (attempt + 1) * random.random())
        raise ScenarioStoreError(code="archive_conflict", params={"attempts": ATTEMPTS}, name=name)

    def import_json(
        self, text: str, *, author: str, note: str | None = None, name: str | None = None
    ) -> tuple[str, int]:
        """Save a JSON export (or a bare scenario) as a new version; returns (name, version)."""
        data = _read_json(text)
        if isinstance(data, dict) and isinstance(data.get("scenario"), dict):
            scenario = data["scenario"]
            name = name or data.get("name") or scenario.get("name")
            note = note if note is not None else f"imported (was version {data.get('version')})"
        else:
            scenario = data
            name = name or (data.get("name") if isinstance(data, dict) else None)
        return _check_name(name), self.save(
            _check_name(name), scenario, author=author, note=note or "imported"
        )

    # -- reading -------------------------------------------------------------------------------
    def list(self, *, include_archived: bool = True) -> list[dict[str, Any]]:
        """One row per name: latest version, when and by whom it was saved, its note, and
        whether the name is archived (archived names are left out with
        ``include_archived=False``)."""
        with self._open() as con:
            rows = con.execute(
                f"""SELECT v.name, max(v.version), arg_max(v.created_at, v.version),
                          arg_max(v.author, v.version), arg_max(v.note, v.version), count(*),
                          bool_or(a.name IS NOT NULL)
                   FROM scenario_versions v LEFT JOIN ({_ARCHIVED_NAMES}) a ON a.name = v.name
                   GROUP BY v.name ORDER BY v.name"""
            ).fetchall()
        return _listing(rows, include_archived)

    def archived(self) -> set[str]:
        """The names whose latest archive event archived them."""
        with self._open() as con:
            return {r[0] for r in con.execute(_ARCHIVED_NAMES).fetchall()}

    def is_archived(self, name: str) -> bool:
        return name in self.archived()

    def versions(self, name: str) -> list[dict[str, Any]]:
        """Every version of ``name``, oldest first: version, created_at, author, note."""
        with self._open() as con:
            rows = con.execute(
                "SELECT version, created_at, author, note FROM scenario_versions "
                "WHERE name = ? ORDER BY version",
                [name],
            ).fetchall()
        return _versions(name, rows)

    def record(self, name: str, version: int | None = None) -> dict[str, Any]:
        """A version (default: the latest) with its metadata and ``scenario``."""
        with self._open() as con:
            if version is None:
                row = con.execute(
                    "SELECT name, version, created_at, author, note, body FROM scenario_versions "
                    "WHERE name = ? ORDER BY version DESC LIMIT 1",
                    [name],
                ).fetchone()
            else:
                row = con.execute(
                    "SELECT name, version, created_at, author, note, body FROM scenario_versions "
                    "WHERE name = ? AND version = ?",
                    [name, int(version)],
                ).fetchone()
        return _record(row, name, version)

    def load(self, name: str, version: int | None = None) -> dict[str, Any]:
        """The scenario JSON of a version (default: the latest)."""
        return self.record(name, version)["scenario"]

    def export_json(self, name: str, version: int | None = None) -> str:
        """A version as JSON text with its metadata (``import_json`` reads it back)."""
        return json.dumps(self.record(name, version), ensure_ascii=False, indent=2) + "\n"

    def diff(self, name: str, a: int, b: int) -> list[dict[str, Any]]:
        """The fields that differ between versions ``a`` and ``b``: path, a, b."""
        return diff_scenarios(self.load(name, a), self.load(name, b))


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value:
            out[path] = {}
        for k, v in value.items():
            _flatten(v, f"{path}.{k}" if path else str(k), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) and "key" in v
                                                  for v in value):  # fmt: skip
        for v in value:  # stages are matched by key, not position
            _flatten(v, f"{path}[{v['key']}]", out)
    else:
        out[path] = value


def diff_scenarios(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Flattened differences between two scenarios (stages matched by key)."""
    fa, fb = {}, {}
    _flatten(a, "", fa)
    _flatten(b, "", fb)
    out = []
    for k in list(fa) + [k for k in fb if k not in fa]:
        va, vb = fa.get(k), fb.get(k)
        if va != vb or (k in fa) != (k in fb):
            out.append({"path": k, "a": va, "b": vb})
    return out


def is_store_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a PostgreSQL store (a libpq URL) rather than a DuckDB file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def open_store(target: str | os.PathLike[str], **options: Any) -> ScenarioStore:
    """The scenario store at ``target``: a ``postgresql://`` URL (``db.pgstore``, shared by
    several app servers) or the path of a DuckDB file (the default, embedded store)."""
    if is_store_url(target):
        from db.pgstore import PgScenarioStore

        return PgScenarioStore(str(target), **options)
    return ScenarioStore(target, **options)
