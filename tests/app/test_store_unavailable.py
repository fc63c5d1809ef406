"""The app on a PostgreSQL scenario store it cannot reach (PLANNER_STORE): the Scenarios page
says so in the user's language, without the URL's password and without a traceback."""

from __future__ import annotations

import re

import pytest

from .conftest import open_app

PAGE = "pages/scenarios.py"


@pytest.fixture
def unreachable_store(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    monkeypatch.setenv("PLANNER_STORE", f"postgresql://planner:Hush-99@/plans?host={tmp_path}")
    return str(tmp_path)


@pytest.mark.parametrize(
    ("locale", "start"),
    [
        ("en-US", "The saved scenarios cannot be read: the scenario store postgresql://planner:"),
        ("ja-JP", "保存したシナリオを読めません: シナリオの保存先 postgresql://planner:"),
    ],
)
def test_the_scenarios_page_says_the_store_cannot_be_reached(unreachable_store, locale, start):
    at = open_app(locale=locale, page=PAGE)
    assert not at.exception
    shown = [_plain(e.value) for e in at.error]
    assert len(shown) == 1, shown
    assert shown[0].startswith(start), shown
    assert "***@/plans" in shown[0] and "Hush-99" not in shown[0]


def _plain(markdown: str) -> str:
    """The text a markdown element shows (the page escapes user text: ``\\:``, a word joiner
    after ``:`` and before ``@`` so no link is made)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
