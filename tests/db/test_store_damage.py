"""The embedded scenario store under damage and load: a damaged file is "damaged" (never "in use
by another process") and takes no save; a damaged or cut-off log is recovered as far as it can be
read and kept aside; a version number is never handed out twice; waiters get the lock in order
of arrival; a damaged dataset file is damaged, not locked."""

from __future__ import annotations

import copy
import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import connection
from db.errors import DatabaseDamagedError, DatabaseLockedError, DataLayerError
from db.sample import sample_scenario
from db.scenarios import ScenarioStore

ROOT = Path(__file__).resolve().parents[2]


def _scenario(i: int) -> dict:
    sc = copy.deepcopy(sample_scenario())
    sc["inflow"] = 1000 + i
    return sc


def _outcome(call) -> str:
    """ "ok", or the code of the project's error; any other exception fails the test."""
    try:
        call()
    except DataLayerError as exc:
        return str(exc.code)
    return "ok"


def _store_with(path: Path, versions: int) -> ScenarioStore:
    store = ScenarioStore(path, lock_timeout=5)
    for i in range(versions):
        store.save("plan", _scenario(i), author="sato")
    return store


def _saved_with_a_log(path: Path, no_checkpoint) -> ScenarioStore:
    """Versions 1-3 in the file, 4 and 5 only in its log (as after a crash)."""
    store = _store_with(path, 3)
    no_checkpoint()
    store.save("plan", _scenario(4), author="sato")
    store.save("plan", _scenario(5), author="sato")
    no_checkpoint.undo()
    assert os.path.getsize(str(path) + ".wal") > 0
    return store


# ----- a damaged file is damaged, not locked --------------------------------------------------
def _truncate(path: Path) -> None:
    _store_with(path, 2)
    os.truncate(path, path.stat().st_size // 2)


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _directory(path: Path) -> None:
    path.mkdir()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_truncate, _garbage, _directory, _empty])
def test_a_damaged_store_is_damaged_not_in_use(tmp_path, damage):
    path = tmp_path / "s.duckdb"
    damage(path)
    store = ScenarioStore(path, lock_timeout=1)
    for call in (store.list, lambda: store.save("plan", _scenario(9), author="ito")):
        with pytest.raises(DatabaseDamagedError) as caught:
            call()
        assert not isinstance(caught.value, DatabaseLockedError)
        assert caught.value.code == "store_damaged"
        assert caught.value.params["path"] == str(path)
        assert "damaged" in str(caught.value) and "is in use by another" not in str(caught.value)
        assert "move the file aside" in str(caught.value)


def test_no_save_is_accepted_on_a_store_that_cannot_be_read(tmp_path):
    """Garbage over one block at a time: whenever the versions cannot be listed, a save is
    refused too (it was accepted), and every failure is the project's own ``store_damaged``."""
    base = tmp_path / "base.duckdb"
    _store_with(base, 3)
    size = base.stat().st_size
    seen = set()
    for offset in range(12288, size, 65536):
        path = tmp_path / f"at{offset}.duckdb"
        path.write_bytes(base.read_bytes())
        with open(path, "r+b") as f:
            f.seek(offset)
            f.write(b"\xa5" * 4096)
        store = ScenarioStore(path, lock_timeout=1)
        listed = _outcome(store.list)
        saved = _outcome(lambda store=store: store.save("plan", _scenario(9), author="ito"))
        assert {listed, saved} <= {"ok", "store_damaged"}, (offset, listed, saved)
        assert not (listed == "store_damaged" and saved == "ok"), offset
        seen.add((listed, saved))
    assert ("store_damaged", "store_damaged") in seen


# ----- the log ---------------------------------------------------------------------------------
def test_a_cut_off_log_never_has_a_version_number_reused(tmp_path, no_checkpoint):
    path = tmp_path / "s.duckdb"
    store = _saved_with_a_log(path, no_checkpoint)
    wal = Path(str(path) + ".wal")
    original = wal.read_bytes()
    os.truncate(wal, len(original) - 1)  # cut in the middle of version 5's record
    # DuckDB 2.0 replays the log up to its last whole commit and says nothing: version 5 is lost
    assert [r["version"] for r in store.versions("plan")] == [1, 2, 3, 4]
    assert store.save("plan", _scenario(6), author="ito") == 6  # not 5 again
    assert store.load("plan", 4)["inflow"] == 1004 and store.load("plan", 6)["inflow"] == 1006
    (warning,) = store.warnings()
    assert warning.code == "store_recovered" and warning.params["missing"] == ["plan v5"]
    aside = Path(warning.params["aside"])
    assert aside.name.startswith("s.duckdb.wal.damaged-")
    assert aside.read_bytes() == original[:-1]  # kept, never deleted
    assert "plan v5" in str(warning)


@pytest.mark.parametrize("garbage", [b"\x10" + b"\0" * 7 + b"\xab" * 100, b"\xff" * 64])
def test_garbage_after_the_log_is_set_aside_and_every_readable_version_kept(
    tmp_path, no_checkpoint, garbage
):
    path = tmp_path / "s.duckdb"
    store = _saved_with_a_log(path, no_checkpoint)
    wal = Path(str(path) + ".wal")
    with open(wal, "ab") as f:
        f.write(garbage)
    damaged = wal.read_bytes()
    # the whole store was unreadable; now the log is moved aside and its readable part replayed
    assert [r["version"] for r in store.versions("plan")] == [1, 2, 3, 4, 5]
    assert store.load("plan", 5)["inflow"] == 1005
    (warning,) = store.warnings()
    assert warning.params["missing"] == []
    assert Path(warning.params["aside"]).read_bytes() == damaged
    assert store.save("plan", _scenario(6), author="ito") == 6


def test_a_log_left_by_a_crash_is_replayed_without_a_warning(tmp_path, no_checkpoint):
    store = _saved_with_a_log(tmp_path / "s.duckdb", no_checkpoint)
    assert [r["version"] for r in store.versions("plan")] == [1, 2, 3, 4, 5]
    assert store.warnings() == []
    assert not list(tmp_path.glob("*.damaged-*"))


def test_damaged_version_marks_are_damaged(tmp_path):
    store = _store_with(tmp_path / "s.duckdb", 1)
    Path(str(store.path) + ".versions.json").write_text("{not json")
    with pytest.raises(DatabaseDamagedError, match="high-water"):
        store.save("plan", _scenario(2), author="ito")


# ----- a fair lock -----------------------------------------------------------------------------
_WAITER = """
import sys
from db.scenarios import ScenarioStore
from db.sample import sample_scenario
print("ready", flush=True)
ScenarioStore(sys.argv[1], lock_timeout=60).save("order", sample_scenario(), author="w",
                                                 note=sys.argv[2])
"""


def test_waiters_get_the_lock_in_order_of_arrival(tmp_path):
    """While the lock is held, four processes arrive one after the other; they save in that
    order (they used to poll with growing sleeps, so a newcomer could go first)."""
    path = tmp_path / "s.duckdb"
    store = ScenarioStore(path)
    queue = Path(store.lock_path + ".queue")
    fd = os.open(store.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    try:
        for i in range(4):
            p = subprocess.Popen([sys.executable, "-c", _WAITER, str(path), str(i)], env=env,
                                 stdout=subprocess.PIPE, text=True)  # fmt: skip
            procs.append(p)
            assert p.stdout.readline().strip() == "ready"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # until its ticket is in the queue
                if queue.is_dir() and len(os.listdir(queue)) == i + 1:
                    break
                time.sleep(0.01)
            time.sleep(0.2)  # and it has looked at the lock at least once
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        for p in procs:
            p.wait(60)
            p.stdout.close()
    assert [p.returncode for p in procs] == [0] * 4
    assert [v["note"] for v in store.versions("order")] == ["0", "1", "2", "3"]
    assert not queue.is_dir() or os.listdir(queue) == []


def test_a_dead_waiters_ticket_is_skipped(tmp_path):
    store = ScenarioStore(tmp_path / "s.duckdb", lock_timeout=5)
    queue = Path(store.lock_path + ".queue")
    queue.mkdir()
    (queue / f"{time.time_ns() - 10**11:020d}-1-1-dead").write_bytes(b"")  # nobody holds it
    assert store.save("plan", _scenario(1), author="ito") == 1
    assert os.listdir(queue) == []


# ----- any database file -----------------------------------------------------------------------
def test_connect_says_damaged_for_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "f.duckdb"
    path.write_text("name,amount\n")
    with pytest.raises(DatabaseDamagedError) as caught:
        connection.connect(path)
    assert caught.value.code == "database_damaged"


def test_no_connection_prints_a_progress_bar(tmp_path):
    """DuckDB's progress bar is on by default and printed itself on stdout for a query over
    2 s, into `python -m db scenarios export > file.json`."""
    from db.connection import connect
    from db.datasets import Datasets

    setting = "SELECT current_setting('enable_progress_bar')"
    store = _store_with(tmp_path / "s.duckdb", 1)
    with store._open() as con:
        assert con.execute(setting).fetchone() == (False,)
    assert connect(tmp_path / "f.duckdb").execute(setting).fetchone() == (False,)
    ds = Datasets(tmp_path).create("leads")
    from db.datasets import open_dataset_file

    con = open_dataset_file(ds.path)
    try:
        assert con.execute(setting).fetchone() == (False,)
    finally:
        con.close()
