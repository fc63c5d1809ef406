"""Two app servers on one PostgreSQL scenario store (PLANNER_STORE): a version saved in a browser
on one server is listed on the other server's Scenarios page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from db.scenarios import open_store
from tests import pg

from .conftest import streamlit_server
from .test_scenarios import save, settle

pytestmark = pytest.mark.e2e


@pytest.fixture
def store_url():
    """A new database on the test PostgreSQL server (PLANNER_TEST_PG's, or one started here)."""
    try:
        server = pg.server()
    except RuntimeError as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    try:
        yield server.database()
    finally:
        server.stop()


def _listed(page, url: str) -> list[str]:
    """The names in the History tab's scenario list of the Scenarios page, freshly loaded."""
    page.goto(f"{url}/scenarios")
    settle(page)
    page.get_by_role("tab", name="History").click()
    page.get_by_label("Scenario", exact=True).click()
    names = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return names


def test_a_version_saved_on_one_server_is_listed_on_the_other(
    chromium_browser, tmp_path, monkeypatch, store_url
):
    monkeypatch.setenv("PLANNER_STORE", store_url)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with streamlit_server(tmp_path / "a") as url_a, streamlit_server(tmp_path / "b") as url_b:
        assert url_a != url_b
        pages = {}
        for who, url in (("a", url_a), ("b", url_b)):
            ctx = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
            pages[who] = ctx.new_page()
            pages[who].goto(f"{url}/scenarios")
            settle(pages[who])
        save(pages["a"], "en", "sato", "Plan from A", "saved on server A")
        expect(pages["a"].get_by_text("Saved “Plan from A” as version 1.")).to_be_visible()
        assert "Plan from A" in _listed(pages["b"], url_b)
        save(pages["b"], "en", "ito", "Plan from B", "saved on server B")
        expect(pages["b"].get_by_text("Saved “Plan from B” as version 1.")).to_be_visible()
        assert {"Plan from A", "Plan from B"} <= set(_listed(pages["a"], url_a))
        for page in pages.values():
            page.context.close()
    store = open_store(store_url)
    try:
        assert [(r["name"], r["author"]) for r in store.list()] == [
            ("Plan from A", "sato"),
            ("Plan from B", "ito"),
        ]
    finally:
        store.close_all()
