"""The scenario store's promises, held for both backends (the embedded DuckDB file and
PostgreSQL): parent-aware saves, concurrent savers, killed savers, the command line."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import scenarios
from db.errors import ScenarioStoreError
from db.sample import sample_scenario

BACKENDS = ["duckdb", "postgresql"]
ROOT = Path(__file__).resolve().parents[2]


def variant(i: int) -> dict:
    sc = copy.deepcopy(sample_scenario())
    sc["inflow"] = 1000 + i
    sc.pop("target")
    return sc


@pytest.fixture(params=BACKENDS)
def target(request, tmp_path) -> str:
    """Where a fresh, empty store lives: a DuckDB file or a new PostgreSQL database's URL."""
    if request.param == "duckdb":
        return str(tmp_path / "s.duckdb")
    return request.getfixturevalue("pg_database")


@pytest.fixture
def open_store(target):
    """``db.scenarios.open_store`` of the test's store; their connections closed after it."""
    opened = []

    def _open(where: str = target, **options):
        opened.append(store := scenarios.open_store(where, **options))
        return store

    yield _open
    for store in opened:
        if hasattr(store, "close_all"):
            store.close_all()


# -- parent-aware saves ----------------------------------------------------------------------
def test_two_editors_of_one_version_the_second_is_told_it_is_no_longer_the_latest(open_store):
    first, second = open_store(), open_store()
    assert first.save("plan", variant(1), author="sato") == 1
    # both load version 1 and edit it
    base_a, base_b = first.record("plan"), second.record("plan")
    assert base_a["version"] == base_b["version"] == 1
    assert first.save("plan", variant(2), author="sato", parent=1) == 2
    with pytest.raises(ScenarioStoreError) as err:
        second.save("plan", variant(3), author="suzuki", parent=1)
    assert err.value.code == "scenario_stale_parent"
    assert err.value.params == {"parent": 1, "head": 2}
    assert [v["version"] for v in second.versions("plan")] == [1, 2]  # nothing saved
    # "save anyway": the next version on top of the head; the first editor's v2 stays
    assert second.save("plan", variant(3), author="suzuki", parent=1, force=True) == 3
    assert second.load("plan", 2)["inflow"] == 1002 and second.load("plan", 3)["inflow"] == 1003
    # saving on the head, or without a parent, goes on as before
    assert first.save("plan", variant(4), author="sato", parent=3) == 4
    assert first.save("plan", variant(5), author="sato") == 5
    assert first.save("new name", variant(6), author="sato", parent=None) == 1


def test_a_parent_for_a_name_with_no_versions_saves_version_1(open_store):
    assert open_store().save("fresh", variant(1), author="a", parent=7) == 1


# -- concurrent and killed savers ------------------------------------------------------------
SAVER = """
import json, os, sys, time
from db.scenarios import open_store
target, who, count, scenario_file, go = sys.argv[1:6]
scenario = json.load(open(scenario_file))
# the file store's lock may keep a saver waiting its turn behind 29 others: no time limit here
# (whether the wait is fair is the lock's own test); PostgreSQL has no such lock
store = open_store(target, **({} if "://" in target else {"lock_timeout": 600}))
while not os.path.exists(go):  # every saver imported and ready: start together
    time.sleep(0.01)
for i in range(int(count)):
    scenario["inflow"] = 1000 + i
    v = store.save("shared", scenario, author=who, note=f"{who}-{i}")
    print("ack", v, f"{who}-{i}", flush=True)  # acknowledged
"""


def _saver(target: str, who: str, count: int, folder) -> subprocess.Popen:
    scenario_file = folder / "scenario.json"
    if not scenario_file.exists():
        scenario_file.write_text(json.dumps(variant(0)), encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-c", SAVER, target, who, str(count), str(scenario_file),
         str(folder / "go")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip


def _acknowledged(stdout: str) -> dict[int, str]:
    """The saves a saver printed: version -> note (other lines, such as the progress bar DuckDB
    prints for a query over 2 s on a loaded machine, are not acknowledgements)."""
    acks = (line.split() for line in stdout.splitlines() if line.startswith("ack "))
    return {int(v): note for _, v, note in acks}


@contextlib.contextmanager
def _reaped(procs: list[subprocess.Popen]):
    """Kill and reap the savers still running when the block ends (a failed assertion too)."""
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            if not proc.stdout.closed:
                proc.communicate()


def test_thirty_processes_saving_twenty_versions_each_lose_and_repeat_none(target, tmp_path):
    acked: dict[int, str] = {}
    with _reaped([_saver(target, f"p{k}", 20, tmp_path) for k in range(30)]) as procs:
        (tmp_path / "go").touch()
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            got = _acknowledged(out)
            assert len(got) == 20 and not set(got) & set(acked)  # no number handed out twice
            acked |= got
    store = scenarios.open_store(target)
    try:
        versions = store.versions("shared")
        assert [v["version"] for v in versions] == list(range(1, 601))  # gapless, none lost
        assert {v["version"]: v["note"] for v in versions} == acked
        assert {v["note"] for v in versions} == {f"p{k}-{i}" for k in range(30) for i in range(20)}
    finally:
        getattr(store, "close_all", lambda: None)()


def test_a_saver_killed_at_any_moment_loses_no_acknowledged_save(open_store, target, tmp_path):
    """kill -9 of a saving process at (seeded) random moments, five times: every version it
    acknowledged is there and reads back as saved, and no number is reused."""
    rng = random.Random(13)
    (tmp_path / "go").touch()
    acked: dict[int, str] = {}
    for round_ in range(5):
        with _reaped([_saver(target, f"k{round_}", 10_000, tmp_path)]) as (proc,):
            out_lines = []
            while sum(x.startswith("ack ") for x in out_lines) < 3 and proc.poll() is None:
                out_lines.append(proc.stdout.readline())
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(proc.pid, signal.SIGKILL)
            rest, _ = proc.communicate(timeout=60)
        got = _acknowledged("".join(out_lines) + rest)
        assert got and not set(got) & set(acked)
        acked |= got
        store = open_store()
        stored = {v["version"]: v["note"] for v in store.versions("shared")}
        assert stored.items() >= acked.items()  # every acknowledged save, as acknowledged
        for version, note in acked.items():
            assert store.record("shared", version)["scenario"]["inflow"] == 1000 + int(
                note.rsplit("-", 1)[1]
            )
    # and the store goes on: the next save takes a number never used before
    assert open_store().save("shared", variant(1), author="after") > max(acked)


# -- the command line ------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "db", "scenarios", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_command_line_lists_saves_shows_and_refuses_a_stale_parent(target, tmp_path):
    file = tmp_path / "plan.json"
    file.write_text(json.dumps(variant(1)), encoding="utf-8")
    out = _cli("--store", target, "save", "plan", str(file), "--author", "sato", "--note", "n1")
    assert (out.returncode, out.stdout, out.stderr) == (0, "saved plan version 1\n", "")
    assert _cli("--store", target, "save", "plan", str(file), "--author", "ito").returncode == 0
    stale = _cli("--store", target, "save", "plan", str(file), "--author", "x", "--parent", "1")
    assert stale.returncode == 1 and stale.stdout == ""
    assert stale.stderr == (
        "error: scenario 'plan': version 1 is no longer the latest (the latest is version 2): "
        "compare them, or save anyway\n"
    )
    forced = _cli(
        "--store", target, "save", "plan", str(file), "--author", "x", "--parent", "1", "--force"
    )
    assert forced.stdout == "saved plan version 3\n"
    listing = _cli("--store", target, "list")
    assert listing.returncode == 0
    name, version, _, author, note = listing.stdout.rstrip("\n").split("\t")
    assert (name, version, author, note) == ("plan", "v3", "x", "")
    shown = _cli("--store", target, "show", "plan", "-v", "1")
    assert json.loads(shown.stdout) == variant(1)


def test_a_store_that_cannot_be_reached_is_one_error_line_without_the_password(tmp_path):
    url = f"postgresql://planner:Sup3r%2Fs3cret@/plans?host={tmp_path}/none&password=Other-s3cret"
    out = _cli("--store", url, "list")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith(
        f"error: scenario: the scenario store postgresql://planner:***@/plans?host={tmp_path}/none"
        "&password=*** cannot be reached (connection is bad: connection to server on socket"
    )
    assert len(out.stderr.splitlines()) == 1 and "Traceback" not in out.stderr
    for secret in ("Sup3r", "s3cret", "Other"):
        assert secret not in out.stderr


def test_a_database_the_server_refuses_is_store_unavailable_without_the_password(pg_database):
    from tests.pg import url_with_database

    url = url_with_database(pg_database, "no_such_db").replace(":///", "://planner:pw-XYZ@/")
    store = scenarios.open_store(url, retry_seconds=0.3)
    with pytest.raises(ScenarioStoreError) as err:
        store.list()
    assert err.value.code == "store_unavailable"
    assert 'database "no_such_db" does not exist' in err.value.params["detail"]
    assert "pw-XYZ" not in str(err.value) and err.value.__cause__ is None
