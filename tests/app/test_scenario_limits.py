"""A shared link to a saved version beyond the model's limits (10,000 stages, saved before the
store checked them; opening one took a process to 24 GB): the app opens the default scenario and
says why in the user's language, in a process allowed 1.5 GB."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

import db.scenarios
from db.scenarios import ScenarioStore
from ui import state

from .conftest import APP, ROOT, TIMEOUT

STAGES = [{"key": f"s{i}", "conversion": 0.5, "lag": 1} for i in range(9_999)] + [{"key": "won"}]
BIG = {"schema": 1, "name": "big", "start": "2027-04", "stages": STAGES, "inflow": 100}


@pytest.fixture(autouse=True)
def planner_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


def save_unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Save BIG as version 1 of "big" past the store's check (as a store written before it)."""
    with monkeypatch.context() as m:
        m.setattr(db.scenarios, "_validate", lambda scenario, name: json.dumps(scenario))
        ScenarioStore(state.home() / state.STORE_FILE).save("big", BIG, author="old")


@pytest.mark.parametrize(
    "locale,says",
    [
        ("en-US", "The shared link's scenario “big”, version 1, cannot be opened: invalid "
                  "scenario: Stages: a funnel has at most 12 stages; this one has 10,000"),
        ("ja-JP", "共有リンクのシナリオ「big」(バージョン1)は開けません: "),
    ],
)  # fmt: skip
def test_a_share_link_beyond_the_limits_opens_the_default_and_says_why(
    monkeypatch: pytest.MonkeyPatch, locale: str, says: str
) -> None:
    save_unchecked(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.context = {"locale": locale}
    at.query_params["scenario"] = "big"
    at.query_params["v"] = "1"
    at.run()
    assert not at.exception, at.exception
    (warning,) = [w.value for w in at.sidebar.warning if "big" in w.value]
    assert warning.replace("\\", "").startswith(says), warning
    if locale == "ja-JP":
        assert "ファネルのステージは12個までです" in warning and "invalid" not in warning
    assert len(at.session_state["scenario_json"]["stages"]) <= 12  # the default scenario


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="prlimit (util-linux) is not here")
def test_opening_it_fits_in_a_memory_cap(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The app's first run on that link and a switch to the Plan page (which once built its
    editor for every stage), in a process allowed 1.5 GB of address space."""
    save_unchecked(monkeypatch)
    script = f"""
from streamlit.runtime.pages_manager import PagesManager
original = PagesManager.__init__
def init(self, *args, **kwargs):
    original(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False
PagesManager.__init__ = init  # as tests/app/conftest.py's _navigation_mode
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({APP!r}, default_timeout={TIMEOUT})
at.query_params["scenario"] = "big"
at.query_params["v"] = "1"
at.run()
at.switch_page("pages/plan.py").run()
print(len(at.exception), len(at.session_state["scenario_json"]["stages"]))
"""
    proc = subprocess.run(
        ["prlimit", "--as=1500000000", sys.executable, "-c", script],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    exceptions, stages = map(int, proc.stdout.split())
    assert exceptions == 0 and stages <= 12


@pytest.mark.parametrize(
    "locale,says",
    [("en-US", "Could not load: scenario “big” version 1: invalid scenario: Stages: a funnel has "
               "at most 12 stages; this one has 10,000"),
     ("ja-JP", "読み込めませんでした: ")],
)  # fmt: skip
def test_loading_it_on_the_scenarios_page_says_why(
    monkeypatch: pytest.MonkeyPatch, locale: str, says: str
) -> None:
    save_unchecked(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.context = {"locale": locale}
    at.run()
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="scn.hist.name").set_value("big").run()
    at.button(key="scn.load").click().run()
    assert not at.exception, at.exception
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any(s.startswith(says) for s in shown), shown
    if locale == "ja-JP":
        assert any("ファネルのステージは12個までです" in s for s in shown), shown
    assert len(at.session_state["scenario_json"]["stages"]) <= 12
