"""The Scenarios page's reads of the store (ui.saving.read), without a page: cached until the
store's file changes, so a save by another session or process shows on the next run."""

from __future__ import annotations

import pytest

from db.scenarios import ScenarioStore
from ui import saving

from .test_compare_tables import SIMPLE


@pytest.fixture
def store(tmp_path, monkeypatch) -> ScenarioStore:
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    return ScenarioStore(tmp_path / "scenarios.duckdb")


def test_the_stamp_of_a_store_changes_with_its_file(store, tmp_path):
    path = str(tmp_path / "scenarios.duckdb")
    before = saving._stamp(path)
    store.save("Plan", SIMPLE, author="Sato")
    after = saving._stamp(path)
    assert after != before and after[0] is not None


def test_a_read_sees_a_save_made_elsewhere(store):
    assert saving.read("list") == []
    store.save("Plan", SIMPLE, author="Sato")  # another process, as far as the page knows
    assert [(r["name"], r["version"]) for r in saving.read("list")] == [("Plan", 1)]
    store.save("Plan", SIMPLE | {"inflow": 6000}, author="Ito", force=True)
    assert [r["version"] for r in saving.read("versions", "Plan")] == [1, 2]
    assert saving.read("load", "Plan", 2)["inflow"] == 6000


def test_a_read_is_a_copy(store):
    store.save("Plan", SIMPLE, author="Sato")
    saving.read("load", "Plan", 1)["inflow"] = 1
    assert saving.read("load", "Plan", 1)["inflow"] == 5000
