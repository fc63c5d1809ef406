"""``python -m db scenarios`` finds the app's store (issue 13): ``--store`` when given, else
``$PLANNER_STORE`` (a DuckDB file or a postgresql:// URL), else ``scenarios.duckdb`` in the
planner's folder (``$PLANNER_HOME``, or ``.planner``), as the app does (``ui.state``)."""

from __future__ import annotations

from db.cli import main
from db.pgstore import PgScenarioStore
from db.sample import SAMPLE_SCENARIO
from db.scenarios import ScenarioStore


def _save(tmp_path, *store: str) -> int:
    sc = tmp_path / "sc.json"
    sc.write_text(SAMPLE_SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    return main(["scenarios", *store, "save", "FY26", str(sc), "--author", "sato"])


def _names(store) -> list[str]:
    return [r["name"] for r in store.list()]


def test_planner_store_names_the_duckdb_store_and_store_overrides_it(tmp_path, monkeypatch,
                                                                     capsys):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    env_store, other = tmp_path / "shared.duckdb", tmp_path / "other.duckdb"
    monkeypatch.setenv("PLANNER_STORE", str(env_store))
    assert _save(tmp_path) == 0
    assert _save(tmp_path, "--store", str(other)) == 0
    assert [v["version"] for v in ScenarioStore(env_store).versions("FY26")] == [1]
    assert [v["version"] for v in ScenarioStore(other).versions("FY26")] == [1]
    capsys.readouterr()
    assert main(["scenarios", "list"]) == 0
    assert capsys.readouterr().out.startswith("FY26\tv1\t")
    assert not (tmp_path / "scenarios.duckdb").exists()


def test_without_planner_store_the_cli_uses_the_apps_file_in_planner_home(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    assert _save(tmp_path) == 0
    assert _names(ScenarioStore(tmp_path / "home" / "scenarios.duckdb")) == ["FY26"]
    monkeypatch.delenv("PLANNER_HOME")
    assert _save(tmp_path) == 0  # no PLANNER_HOME either: .planner in the working folder
    assert _names(ScenarioStore(tmp_path / ".planner" / "scenarios.duckdb")) == ["FY26"]


def test_planner_store_names_a_postgresql_store(tmp_path, monkeypatch, pg_database, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANNER_STORE", pg_database)
    assert _save(tmp_path) == 0
    assert capsys.readouterr().out == "saved FY26 version 1\n"
    with PgScenarioStore(pg_database) as s:
        assert [v["version"] for v in s.versions("FY26")] == [1]
    assert main(["scenarios", "list"]) == 0
    assert capsys.readouterr().out.startswith("FY26\tv1\t")
    # --store wins over the variable: the DuckDB file gets the next save, not the server
    assert _save(tmp_path, "--store", str(tmp_path / "own.duckdb")) == 0
    with PgScenarioStore(pg_database) as s:
        assert [v["version"] for v in s.versions("FY26")] == [1]
    assert not list(tmp_path.glob(".planner/*"))
