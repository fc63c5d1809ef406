"""The embedded scenario store's files: a fair lock, a log kept through damage, and version
numbers that are never handed out twice (used by ``db.scenarios.ScenarioStore``).

**A fair lock.** Every operation holds an exclusive ``fcntl.flock`` on ``<store>.lock``. Waiters
used to poll it with growing sleeps, so a newcomer could take it before someone who had waited
for seconds (one save of 30 writers waited over 30 s and was refused). Now each waiter first
takes a ticket: a file ``<store>.lock.queue/<time>-<pid>-<thread>-<random>``, flock'ed by its
owner while it waits and works. A waiter goes when no live ticket is older than its own (it
watches the nearest older one), so the lock is handed on in order of arrival. A ticket whose
owner died is not locked any more: it is skipped, and removed once a few seconds old. The
flock on ``<store>.lock`` itself still guards the file (against anything that skips the queue).

**A log kept through damage.** DuckDB writes committed saves to ``<store>.wal`` and folds them
into the file when the connection closes. A log left by a crash is replayed on the next open;
DuckDB 2.0 silently replays a log cut off mid-record up to its last whole commit, and refuses
the whole store when the log has garbage after it ("Failure while replaying WAL"). So before
opening, a leftover log is copied (:func:`snapshot_wal`). When DuckDB cannot replay it, the log
is moved aside to ``<store>.wal.damaged-<time>`` and the longest prefix of it that DuckDB does
replay (cut at a record boundary) is put back: everything readable is recovered, nothing is
deleted. When versions acknowledged as saved are not in the store after the open (a log cut
off), the copy is kept under that name too. Either way an event is appended to
``<store>.recovery.json`` and the store reports it as a ``StoreWarning`` (``store_recovered``:
which versions may be missing).

**Version numbers never reused.** ``<store>.versions.json`` keeps, per scenario name, the highest
version ever claimed (written and fsync'ed before the version's insert) and the highest saved
(after its commit). It lives outside DuckDB's log, so a version lost with a damaged log keeps its
number: the next save takes one past the highest of the store and of both marks. The saved mark
also tells which versions went missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import shutil
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import duckdb

from db.errors import DatabaseDamagedError, DatabaseLockedError, StoreWarning

POLL = 0.003  # seconds between looks at the ticket ahead (and at the lock)
STALE_TICKET = 5.0  # seconds after which an unlocked ticket (its owner died) is removed
MAX_MISSING = 50  # versions named in one warning
MAX_PREFIX_TRIES = 40  # record boundaries tried when a damaged log is cut back


# ----- the fair lock ----------------------------------------------------------------------------
def _ticket() -> str:
    return f"{time.time_ns():020d}-{os.getpid()}-{threading.get_native_id()}-{secrets.token_hex(4)}"


def _ticket_age(name: str) -> float:
    try:
        return time.time() - int(name.split("-", 1)[0]) / 1e9
    except ValueError:
        return float("inf")


def _live_ticket_ahead(queue: str, mine: str) -> tuple[int, str] | None:
    """An open descriptor and the name of the nearest older ticket whose owner still holds it,
    or None."""
    for name in sorted((e for e in os.listdir(queue) if e < mine), reverse=True):
        path = os.path.join(queue, name)
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # its owner is done
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return fd, name  # alive: wait for it
        os.close(fd)  # nobody holds it: its owner died (or has not locked it yet)
        if _ticket_age(name) > STALE_TICKET:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    return None


def _poll_flock(fd: int, mode: int, deadline: float) -> bool:
    """Take ``mode`` on ``fd``, polling until ``deadline``; False when it passed."""
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)


@contextlib.contextmanager
def fair_lock(store: str, lock_path: str, timeout: float) -> Iterator[float]:
    """Hold the exclusive lock ``lock_path`` of ``store``, taken in order of arrival; yields how
    long it was waited for. ``DatabaseLockedError`` after ``timeout`` seconds."""
    start = time.monotonic()
    deadline = start + timeout
    queue = lock_path + ".queue"
    os.makedirs(queue, exist_ok=True)
    mine = _ticket()
    ticket = os.path.join(queue, mine)
    tfd = os.open(ticket, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    lfd = -1
    try:
        fcntl.flock(tfd, fcntl.LOCK_EX)  # a fresh file: never blocks
        held_too_long = f"another process held {lock_path} for more than {timeout:g} s"
        while (ahead := _live_ticket_ahead(queue, mine)) is not None:
            fd, name = ahead
            try:
                passed = _poll_flock(fd, fcntl.LOCK_SH, deadline)
            finally:
                os.close(fd)
            if not passed:
                ours = name.split("-")[1:2] == [str(os.getpid())]
                raise DatabaseLockedError(
                    store, "timed out waiting for another thread" if ours else held_too_long
                )
        lfd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _poll_flock(lfd, fcntl.LOCK_EX, deadline):
            raise DatabaseLockedError(store, held_too_long)
        yield time.monotonic() - start
    finally:
        if lfd >= 0:
            os.close(lfd)  # releases the lock
        with contextlib.suppress(FileNotFoundError):
            os.unlink(ticket)
        os.close(tfd)  # lets the next ticket go


# ----- version numbers never reused ------------------------------------------------------------
class VersionMarks:
    """Per name, the highest version claimed and the highest saved, in ``<store>.versions.json``
    (read and written under the store's lock; written atomically and fsync'ed)."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.path = store + ".versions.json"

    def read(self) -> dict[str, dict[str, int]]:
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
            marks = {k: {str(n): int(v) for n, v in data[k].items()} for k in ("claimed", "saved")}
        except FileNotFoundError:
            return {"claimed": {}, "saved": {}}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            detail = f"the versions' high-water marks cannot be read: {exc}"
            raise DatabaseDamagedError(self.path, detail, code="store_damaged") from None
        return marks

    def _write(self, marks: dict[str, dict[str, int]]) -> None:
        tmp = f"{self.path}.tmp-{os.getpid()}-{threading.get_native_id()}"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(marks, f, ensure_ascii=False, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def claim(self, name: str, head: int) -> int:
        """The number of a new version of ``name`` (one past the store's ``head`` and every
        number handed out before), recorded before it is used."""
        marks = self.read()
        version = max(head, marks["claimed"].get(name, 0), marks["saved"].get(name, 0)) + 1
        marks["claimed"][name] = version
        self._write(marks)
        return version

    def saved(self, name: str, version: int) -> None:
        """Record that ``version`` of ``name`` was committed (acknowledged to its saver)."""
        marks = self.read()
        marks["saved"][name] = max(version, marks["saved"].get(name, 0))
        self._write(marks)


def missing_versions(con: duckdb.DuckDBPyConnection, marks: VersionMarks) -> list[str]:
    """The versions acknowledged as saved that the store does not hold ("name v5")."""
    saved = marks.read()["saved"]
    if not saved:
        return []
    has_table = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'scenario_versions'"
    ).fetchone()[0]
    heads = dict(
        con.execute("SELECT name, max(version) FROM scenario_versions GROUP BY name").fetchall()
        if has_table
        else []
    )
    out = []
    for name in sorted(saved):
        out += [f"{name} v{v}" for v in range(int(heads.get(name) or 0) + 1, saved[name] + 1)]
    return out


def file_state(store: str) -> tuple:
    """What changes when the store's file or its log is written: inode, size, mtime of each."""
    out: list[Any] = []
    for path in (store, store + ".wal"):
        try:
            s = os.stat(path)
            out.append((s.st_ino, s.st_size, s.st_mtime_ns))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def checked(store: str, key: tuple) -> bool:
    """Whether ``key`` (a :func:`file_state`) is the state recorded by :func:`mark_checked`."""
    try:
        with open(store + ".checked", encoding="utf-8") as f:
            return f.read() == json.dumps(key)
    except (OSError, ValueError):
        return False


def mark_checked(store: str) -> tuple:
    """Record the store's files as they are now as read whole (by the caller, under the lock:
    it read them whole, then wrote them only through DuckDB); returns their state."""
    key = file_state(store)
    tmp = f"{store}.checked.tmp-{os.getpid()}-{threading.get_native_id()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(key))
    os.replace(tmp, store + ".checked")
    return key


# ----- the log: kept through damage ------------------------------------------------------------
def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def snapshot_wal(store: str) -> str | None:
    """A copy of a log left by a crash (``<store>.wal``), taken before DuckDB replays (and
    drops) it; None when there is none."""
    wal = store + ".wal"
    try:
        if os.path.getsize(wal) == 0:
            return None
    except FileNotFoundError:
        return None
    copy = f"{wal}.open-{os.getpid()}-{threading.get_native_id()}"
    shutil.copyfile(wal, copy)
    return copy


def is_wal_error(exc: BaseException) -> bool:
    return "wal" in str(exc).lower()


def _record_boundaries(data: bytes) -> list[int]:
    """The offsets in a DuckDB log where a whole record ends, found by walking its records
    ([size u64][checksum u64][payload]) from the start that gives the longest walk past the
    log's header."""
    best: list[int] = []
    for start in range(min(256, len(data))):
        off, ends = start, []
        while off + 16 <= len(data):
            (size,) = struct.unpack_from("<Q", data, off)
            if size == 0 or off + 16 + size > len(data):
                break
            off += 16 + size
            ends.append(off)
        if len(ends) > len(best):
            best = ends
    return best


def _replays(store: str) -> bool:
    try:
        duckdb.connect(store, read_only=True).close()  # replays the log in memory, writes nothing
    except duckdb.Error:
        return False
    return True


def set_damaged_wal_aside(store: str, exc: BaseException) -> tuple[str, int, int]:
    """Move a log DuckDB cannot replay to ``<store>.wal.damaged-<time>`` and put back its longest
    prefix that DuckDB replays; returns (where it went, bytes put back, bytes it had)."""
    wal = store + ".wal"
    aside = f"{wal}.damaged-{_stamp()}"
    os.replace(wal, aside)
    with open(aside, "rb") as f:
        data = f.read()
    found = re.search(r"byte position (\d+)", str(exc))
    cuts = set(_record_boundaries(data))
    if found:
        cuts.add(int(found.group(1)))
    for cut in sorted((c for c in cuts if 0 < c < len(data)), reverse=True)[:MAX_PREFIX_TRIES]:
        with open(wal, "wb") as f:
            f.write(data[:cut])
        if _replays(store):
            return aside, cut, len(data)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(wal)
    return aside, 0, len(data)


def put_wal_back(store: str, aside: str) -> None:
    """Undo :func:`set_damaged_wal_aside` (the log was not what kept the store from opening)."""
    os.replace(aside, store + ".wal")


def keep_snapshot(store: str, snapshot: str) -> str:
    """Keep a log's copy as ``<store>.wal.damaged-<time>``; returns that name."""
    aside = f"{store}.wal.damaged-{_stamp()}"
    os.replace(snapshot, aside)
    return aside


def record_recovery(store: str, aside: str, missing: list[str]) -> None:
    """Append a recovery event to ``<store>.recovery.json`` (what :func:`warnings` reports)."""
    path = store + ".recovery.json"
    events = _events(path)
    events.append({"at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                   "aside": aside, "missing": missing})  # fmt: skip
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(events, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def reported(store: str, missing: list[str]) -> bool:
    """Whether the last recovery on record already named exactly these missing versions."""
    events = _events(store + ".recovery.json")
    return bool(missing) and bool(events) and events[-1].get("missing") == missing


def _events(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as f:
            events = json.load(f)
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return [{"at": "?", "aside": path, "missing": ["?"]}]
    return events if isinstance(events, list) else []


def warnings(store: str) -> list[StoreWarning]:
    """The store's recoveries still on record, oldest first (``store_recovered``)."""
    path = store + ".recovery.json"
    out = []
    for e in _events(path):
        if not isinstance(e, dict):
            continue
        missing = [str(m) for m in e.get("missing") or []]
        if len(missing) > MAX_MISSING:
            missing = missing[:MAX_MISSING] + [f"… (+{len(missing) - MAX_MISSING})"]
        params = {"at": str(e.get("at")), "aside": str(e.get("aside")), "missing": missing,
                  "record": path}  # fmt: skip
        out.append(StoreWarning("store_recovered", params))
    return out
