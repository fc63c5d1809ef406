"""Scenario storage: versions, diff, export/import, concurrent saves, crash safety, lock errors."""

from __future__ import annotations

import copy
import multiprocessing as mp
import os
import subprocess
import sys
import textwrap
import threading

import duckdb
import pytest

from db.errors import DatabaseLockedError, ScenarioStoreError
from db.sample import sample_scenario
from db.scenarios import ScenarioStore
from tests.db.helpers import another_process


def _variant(i: int) -> dict:
    sc = copy.deepcopy(sample_scenario())
    sc["inflow"] = 1000 + i
    sc.pop("target")
    return sc


def test_versions_list_load_diff_export_import(tmp_path):
    store = ScenarioStore(tmp_path / "s.duckdb")
    assert store.save("FY26", _variant(1), author="sato", note="first") == 1
    assert store.save("FY26", _variant(2), author="suzuki", note="more leads") == 2
    assert store.save("Other", _variant(3), author="sato") == 1
    listing = {r["name"]: r for r in store.list()}
    assert listing["FY26"]["version"] == 2 and listing["FY26"]["versions"] == 2
    assert listing["FY26"]["author"] == "suzuki" and listing["FY26"]["note"] == "more leads"
    assert store.load("FY26", 1)["inflow"] == 1001 and store.load("FY26")["inflow"] == 1002
    assert store.diff("FY26", 1, 2) == [{"path": "inflow", "a": 1001, "b": 1002}]
    name, v = store.import_json(store.export_json("FY26", 1), author="ito")
    assert (name, v) == ("FY26", 3) and store.load("FY26", 3) == store.load("FY26", 1)
    assert [x["author"] for x in store.versions("FY26")] == ["sato", "suzuki", "ito"]
    with pytest.raises(ScenarioStoreError, match="no such"):
        store.load("FY26", 9)
    with pytest.raises(ScenarioStoreError, match="invalid scenario"):
        store.save("FY26", {"start": "2026-13"}, author="x")
    assert len(store.versions("FY26")) == 3


def _save_many(path: str, who: str, n: int) -> None:
    store = ScenarioStore(path)
    for i in range(n):
        store.save("shared", _variant(i), author=who, note=f"{who}-{i}")


def _threads(path: str, who: str, n_threads: int, n: int) -> None:
    ts = [threading.Thread(target=_save_many, args=(path, f"{who}t{k}", n))
          for k in range(n_threads)]  # fmt: skip
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def test_concurrent_saves_from_threads_and_processes_lose_nothing(tmp_path):
    path = str(tmp_path / "s.duckdb")
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_threads, args=(path, f"p{k}", 3, 4)) for k in range(3)]
    for p in procs:
        p.start()
    _threads(path, "main", 3, 4)
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    versions = ScenarioStore(path).versions("shared")
    assert [v["version"] for v in versions] == list(range(1, 4 * 3 * 4 + 1))
    notes = {v["note"] for v in versions}
    assert len(notes) == 48  # every save is there, none overwritten


def test_crash_mid_save_keeps_previous_versions(tmp_path):
    path = tmp_path / "s.duckdb"
    store = ScenarioStore(path)
    store.save("plan", _variant(1), author="a")
    code = textwrap.dedent(f"""
        import os, duckdb, datetime
        con = duckdb.connect({str(path)!r})
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO scenario_versions VALUES ('plan', 2, now()::TIMESTAMP, 'b', "
                    "'half', '{{}}')")
        os._exit(9)  # the process dies before COMMIT
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert out.returncode == 9
    assert [v["version"] for v in store.versions("plan")] == [1]
    assert store.save("plan", _variant(2), author="c") == 2


def test_lock_held_too_long_is_a_clear_error(tmp_path):
    path = tmp_path / "s.duckdb"
    store = ScenarioStore(path, lock_timeout=0.3)
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT)
    code = f"""
        import fcntl, os
        fd = os.open({str(path) + ".lock"!r}, os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
    """
    try:
        with another_process(code), pytest.raises(DatabaseLockedError, match="another process"):
            store.save("plan", _variant(1), author="a")
    finally:
        os.close(fd)
    assert store.save("plan", _variant(1), author="a") == 1


def test_archive_hides_a_name_keeps_its_versions_and_restore_brings_it_back(tmp_path):
    store = ScenarioStore(tmp_path / "s.duckdb")
    store.save("keep", _variant(1), author="sato")
    store.save("old", _variant(2), author="sato")
    store.save("old", _variant(3), author="sato")
    store.archive("old", author="ito")
    assert [r["name"] for r in store.list(include_archived=False)] == ["keep"]
    rows = {r["name"]: r for r in store.list()}
    assert rows["old"]["archived"] is True and rows["keep"]["archived"] is False
    assert store.archived() == {"old"} and store.is_archived("old")
    assert store.load("old", 1)["inflow"] == 1002 and len(store.versions("old")) == 2
    store.archive("old", author="ito")  # archiving twice is harmless
    store.restore("old", author="sato")
    assert [r["name"] for r in store.list(include_archived=False)] == ["keep", "old"]
    assert store.archived() == set()
    store.save("old", _variant(4), author="sato")  # saving goes on after a restore
    assert store.versions("old")[-1]["version"] == 3
    with pytest.raises(ScenarioStoreError, match="no such"):
        store.archive("missing", author="x")
    with duckdb.connect(str(tmp_path / "s.duckdb")) as con:  # the trail of events is kept
        events = con.execute(
            "SELECT seq, author, archived FROM scenario_archive_events WHERE name = 'old' "
            "ORDER BY seq"
        ).fetchall()
    assert events == [(1, "ito", True), (2, "ito", True), (3, "sato", False)]
