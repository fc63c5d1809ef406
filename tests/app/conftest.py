"""AppTest fixtures: the app opened on its default scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.state import default_scenario_file

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 60  # the first run imports numpy/pandas/altair and fills the caches


@pytest.fixture
def scenario_json() -> dict:
    """The scenario the app opens on (the sample baseline, or the example until it exists)."""
    return json.loads(default_scenario_file().read_text(encoding="utf-8-sig"))


def open_app(locale: str | None = "en-US", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if locale is not None:
        at.context = {"locale": locale}
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


@pytest.fixture(autouse=True)
def _navigation_mode(monkeypatch):
    """AppTest (1.67) resets ``PagesManager.uses_pages_directory`` before every run; with a
    ``pages/`` folder beside app.py the rerun then takes the legacy (v1) path and runs the page
    file without app.py (no sidebar, no state init). A real server sets the flag to False once
    app.py's ``st.navigation`` has run; this makes AppTest do the same from the start."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
