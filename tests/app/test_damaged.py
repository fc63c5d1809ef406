"""Damaged files (AppTest): a dataset whose DuckDB file is cut short or garbage gives the page the
project's own error in the user's language (it gave Streamlit's redacted error), and a shared
link on a damaged scenario store opens the app on the default scenario and says the store is
damaged (the app's start crashed)."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from db.datasets import Datasets
from db.scenarios import ScenarioStore
from tests.app.conftest import APP, TIMEOUT, open_app
from ui import state

PAGE = "pages/data.py"
DAMAGED = {
    "en-US": "this dataset's file is damaged: ",
    "ja-JP": "このデータセットのファイルが壊れています: ",
}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


def _garbage(path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _cut_short(path) -> None:
    os.truncate(path, path.stat().st_size // 2)


@pytest.mark.parametrize("damage", [_garbage, _cut_short])
@pytest.mark.parametrize("locale", ["en-US", "ja-JP"])
def test_a_damaged_dataset_says_so_on_the_page_in_the_users_language(home, locale, damage):
    ds = Datasets(home).create("broken")
    damage(ds.path)
    at = open_app(locale=locale, page=PAGE)
    (box,) = [s for s in at.sidebar.selectbox if s.key.startswith("sidebar.dataset.")]
    box.select(ds.id).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(e.startswith(DAMAGED[locale]) for e in errors), errors
    (text,) = [e for e in errors if e.startswith(DAMAGED[locale])]
    assert str(ds.path) in text and "in use" not in text and "使用中です" not in text
    at.switch_page("pages/sources.py").run()  # the other page that reads the dataset
    assert not at.exception, at.exception
    assert any(e.value.replace("\\", "").startswith(DAMAGED[locale]) for e in at.error)


def _open_link(locale: str, **params: str) -> AppTest:
    """The app's first run on a shared link with ``params``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.context = {"locale": locale}
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        ("en-US", "The shared link's scenario “plan”, version 2, cannot be opened: the scenario "
                  "store "),
        ("ja-JP", "共有リンクのシナリオ「plan」(バージョン2)は開けません。シナリオの保存先 "),
    ],
)  # fmt: skip
@pytest.mark.parametrize("damage", ["garbage", "cut short"])
def test_a_share_link_on_a_damaged_store_starts_on_the_default_and_says_damaged(
    home, scenario_json, locale, says, damage
):
    path = home / state.STORE_FILE
    if damage == "garbage":
        path.write_bytes(b"SQLite format 3\0" + bytes(4096))
    else:
        ScenarioStore(path).save("plan", scenario_json, author="sato")
        _cut_short(path)
    at = _open_link(locale, scenario="plan", v="2")
    assert not at.exception, at.exception
    (warning,) = [w.value.replace("\\", "") for w in at.sidebar.warning if "plan" in w.value]
    assert warning.startswith(says), warning
    assert str(home / state.STORE_FILE) in warning
    assert ("damaged" in warning) if locale == "en-US" else ("壊れていて" in warning)
    assert "not saved here" not in warning and "保存されていません" not in warning
    assert at.session_state["scenario_json"] == scenario_json  # the default scenario


def test_every_store_warning_has_a_text_in_both_languages():
    from db.errors import STORE_WARNINGS
    from ui.i18n import CATALOGS

    for language in ("en", "ja"):
        keys = {
            k.removeprefix("scn.warn.") for k in CATALOGS[language] if k.startswith("scn.warn.")
        }
        assert keys == set(STORE_WARNINGS), (language, keys ^ set(STORE_WARNINGS))


def test_a_recovered_store_says_which_versions_may_be_missing_on_the_page_and_the_cli(
    home, no_checkpoint
):
    """The store recovered from a cut-off log (version 5 of "plan" lost, its number never
    reused): the Scenarios page and `python -m db scenarios` say so until the record is
    deleted (the recovery was only on record in a file nobody read)."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.db.test_store_damage import _saved_with_a_log

    path = home / "scenarios.duckdb"
    store = _saved_with_a_log(path, no_checkpoint)
    wal = Path(str(path) + ".wal")
    os.truncate(wal, wal.stat().st_size - 1)
    assert [r["version"] for r in store.versions("plan")] == [1, 2, 3, 4]
    at = open_app(page="pages/scenarios.py")
    (warning,) = [w.value for w in at.warning if "log was damaged" in w.value]
    assert "Versions that may be missing: plan v5." in warning
    cli = subprocess.run(
        [sys.executable, "-m", "db", "scenarios", "--store", str(path), "list"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], check=True,
    )  # fmt: skip
    assert cli.stderr.startswith("warning: ") and "plan v5" in cli.stderr
    assert cli.stdout.count("\n") == 1 and cli.stdout.startswith("plan\tv4\t")
    Path(str(path) + ".recovery.json").unlink()  # checked: the warning goes
    assert not [w for w in open_app(page="pages/scenarios.py").warning if "log" in w.value]


@pytest.mark.parametrize("locale", ["en-US", "ja-JP"])
def test_a_scenario_built_from_a_dataset_now_damaged_says_so_in_the_sidebar(
    home, scenario_json, locale
):
    """The sidebar checks whether the scenario's dataset changed since; its file damaged, the
    check crashed every page."""
    ds = Datasets(home).create("leads")
    data = dict(scenario_json)
    data["notes"] = {"dataset": {"id": ds.id, "name": "leads", "fingerprint": "0" * 16}}
    _garbage(ds.path)
    at = open_app(locale)
    at.session_state["scenario_json"] = data
    at.run()
    assert not at.exception, at.exception
    (warning,) = [w.value for w in at.sidebar.warning]
    assert (
        warning
        == {
            "en-US": "The file of the dataset “leads” this scenario was built from is damaged: "
            "its data cannot be checked. Choose it in Data source to see what to do.",
            "ja-JP": "このシナリオを作ったデータセット「leads」のファイルが壊れているため、"
            "データを確認できません。データソースで選ぶと対処方法が表示されます。",
        }[locale]
    )
