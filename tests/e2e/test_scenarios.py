"""The Scenarios page in a real browser: save, a shared link opened in a new browser context,
two contexts saving at the same time, and screenshots of every state in both languages
(tests/e2e/screenshots/scenarios-*.png)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from db.scenarios import ScenarioStore

from .conftest import streamlit_server

pytestmark = pytest.mark.e2e

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
TEXT = {
    "en": {"author": "Your name", "name": "Scenario name", "note": "Note",
           "save": "Save as a new version", "title": "Scenarios", "lang": "English",
           "tabs": ["Save", "History", "Compare", "Import / export", "Downloads"],
           "pick": "Scenarios to compare (two to four)"},
    "ja": {"author": "あなたの名前", "name": "シナリオ名", "note": "メモ",
           "save": "新しいバージョンとして保存", "title": "シナリオ", "lang": "日本語",
           "tabs": ["保存", "履歴", "比較", "インポート/エクスポート", "ダウンロード"],
           "pick": "比較するシナリオ(2〜4件)"},
}  # fmt: skip


@pytest.fixture(scope="module")
def scn_server(tmp_path_factory, chromium_browser):
    """A server of this module's own, with its scenario store where the test can read it."""
    folder = tmp_path_factory.mktemp("scenarios-server")
    with streamlit_server(folder) as url:
        yield url, folder / "home" / "scenarios.duckdb"


def settle(page: Page) -> None:
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE, timeout=30_000)


def set_language(page: Page, lang: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_role("radio", name=TEXT[lang]["lang"]).click()
    settle(page)


def fill(page: Page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Tab")
    settle(page)


def save(page: Page, lang: str, author: str, name: str, note: str) -> None:
    """Type the fields (the click that follows commits the last one) and save."""
    page.get_by_role("tab", name=TEXT[lang]["tabs"][0]).click()
    page.get_by_label(TEXT[lang]["author"], exact=True).fill(author)
    page.get_by_label(TEXT[lang]["name"], exact=True).fill(name)
    page.get_by_label(TEXT[lang]["note"], exact=True).fill(note)
    page.get_by_role("button", name=TEXT[lang]["save"]).click()
    settle(page)


def no_errors(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def test_save_then_a_shared_link_opens_the_same_view_in_a_new_context(chromium_browser, scn_server):
    url, store_path = scn_server
    ctx_a = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
    a = ctx_a.new_page()
    a.goto(f"{url}/scenarios")
    settle(a)
    set_language(a, "ja")
    save(a, "ja", "佐藤", "共有プラン", "初版")
    expect(a.get_by_text("「共有プラン」をバージョン1として保存しました。")).to_be_visible()
    link = a.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert re.search(r"page=scenarios&scenario=%E5%85%B1.*&v=1&lang=ja$", link), link
    assert link.startswith(url + "/?")
    assert "scenario=" in a.url and "v=1" in a.url  # the address bar is a share link too
    ctx_a.close()

    ctx_b = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
    b = ctx_b.new_page()
    b.goto(link)
    settle(b)
    no_errors(b)
    expect(b.locator("h1").first).to_have_text("シナリオ")
    assert b.url.split("?")[0].rstrip("/").endswith("/scenarios")
    expect(b.get_by_text("共有プラン · バージョン1")).to_be_visible()
    expect(b.locator("[data-testid='stSidebar']").get_by_text("共有プラン")).to_have_count(1)
    # an unknown version: a message, the default scenario
    b.goto(f"{url}/?scenario=%E5%85%B1%E6%9C%89&v=9&lang=en")
    settle(b)
    no_errors(b)
    expect(b.locator("[data-testid='stSidebar'] [data-testid='stAlert']")).to_contain_text(
        "not saved here"
    )
    ctx_b.close()
    assert [v["author"] for v in ScenarioStore(store_path).versions("共有プラン")] == ["佐藤"]


def test_two_contexts_saving_at_the_same_time_see_every_version(chromium_browser, scn_server):
    url, store_path = scn_server
    pages = []
    for _ in range(2):
        ctx = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = ctx.new_page()
        pg.goto(f"{url}/scenarios")
        settle(pg)
        pages.append(pg)
    a, b = pages
    for round_ in (1, 2):
        for pg, who in ((a, "A"), (b, "B")):
            pg.get_by_label("Your name", exact=True).fill(f"user {who}")
            pg.get_by_label("Scenario name", exact=True).fill(f"Plan {who}")
            pg.get_by_label("Note", exact=True).fill(f"round {round_}")
            pg.get_by_label("Note", exact=True).press("Tab")
        settle(a)
        settle(b)
        # both clicks go out before either run finishes
        a.get_by_role("button", name="Save as a new version").click(no_wait_after=True)
        b.get_by_role("button", name="Save as a new version").click(no_wait_after=True)
        settle(a)
        settle(b)
        for pg, who in ((a, "A"), (b, "B")):
            expect(pg.get_by_text(f"Saved “Plan {who}” as version {round_}.")).to_be_visible()
    store = ScenarioStore(store_path)
    for who in "AB":
        versions = store.versions(f"Plan {who}")
        assert [(v["version"], v["note"], v["author"]) for v in versions] == [
            (1, "round 1", f"user {who}"),
            (2, "round 2", f"user {who}"),
        ]
    # each browser sees both scenarios and all their versions
    for pg in (a, b):
        pg.reload()
        settle(pg)
        pg.get_by_role("tab", name="History").click()
        box = pg.get_by_label("Scenario", exact=True)
        box.click()
        options = pg.get_by_role("option").all_inner_texts()
        assert {"Plan A", "Plan B"} <= set(options), options
        pg.keyboard.press("Escape")
        pg.get_by_role("tab", name="Compare").click()
        picker = pg.locator("[data-testid='stMultiSelect']").filter(has_text="Scenarios to")
        picker.click()
        options = pg.get_by_role("option").all_inner_texts()
        for who in "AB":
            assert {f"Plan {who} · v1", f"Plan {who} · v2"} <= set(options), options
        pg.keyboard.press("Escape")
        pg.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_screenshots_of_every_state(chromium_browser, scn_server, shots, lang):
    url, _ = scn_server
    ctx = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.goto(f"{url}/scenarios")
    settle(pg)
    set_language(pg, lang)
    T = TEXT[lang]
    save(pg, lang, "Sato" if lang == "en" else "佐藤", f"Shot {lang}", "first")
    pg.screenshot(path=str(shots / f"scenarios-save-{lang}.png"), full_page=True)
    # a second version with a different target, typed on the Plan page as people write amounts
    pg.goto(f"{url}/plan?lang={lang}")
    settle(pg)
    target = pg.locator("[data-testid='stTextInput'] input").first  # the target's amount
    target.fill("90億" if lang == "ja" else "9,000,000,000")
    target.press("Enter")
    settle(pg)
    pg.get_by_role("link", name=T["title"]).click()
    settle(pg)
    save(pg, lang, "Sato" if lang == "en" else "佐藤", f"Shot {lang}", "higher target")
    # the page load started a new session, which never opened "Shot": it asks before saving
    pg.screenshot(path=str(shots / f"scenarios-stale-{lang}.png"), full_page=True)
    pg.get_by_role(
        "button", name=re.compile(r"^(Save anyway as version 2|それでもバージョン2として保存)$")
    ).click()
    settle(pg)
    no_errors(pg)

    pg.get_by_role("tab", name=T["tabs"][1]).click()
    settle(pg)
    pg.screenshot(path=str(shots / f"scenarios-history-{lang}.png"), full_page=True)

    pg.get_by_role("tab", name=T["tabs"][2]).click()
    picker = pg.locator("[data-testid='stMultiSelect']").filter(has_text=T["pick"])
    for option in (f"Shot {lang} · v1", f"Shot {lang} · v2"):
        for _ in range(3):  # a rerun under load can close the list before the click lands
            if option in picker.inner_text():
                break
            picker.click()
            pg.get_by_role("option", name=option).click()
            settle(pg)
        assert option in picker.inner_text()
    pg.keyboard.press("Escape")
    settle(pg)
    pg.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, "
                         "[data-testid='stVegaLiteChart'] svg", timeout=60_000)  # fmt: skip
    no_errors(pg)
    pg.screenshot(path=str(shots / f"scenarios-compare-{lang}.png"), full_page=True)
    pg.locator("[data-testid='stVegaLiteChart']").nth(1).scroll_into_view_if_needed()
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(shots / f"scenarios-compare-charts-{lang}.png"))
    pg.get_by_role("tab", name=T["tabs"][1]).click()
    pg.locator("[data-testid='stDataFrame']:visible").last.scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(shots / f"scenarios-diff-{lang}.png"))
    pg.get_by_role("tab", name=T["tabs"][2]).click()

    pg.get_by_role("tab", name=T["tabs"][3]).click()
    settle(pg)
    pg.screenshot(path=str(shots / f"scenarios-json-{lang}.png"), full_page=True)

    pg.get_by_role("tab", name=T["tabs"][4]).click()
    settle(pg)
    with pg.expect_download() as dl:
        pg.locator("[data-testid='stDownloadButton']").filter(has_text="xlsx").click()
    assert dl.value.suggested_filename.endswith(".xlsx")
    with pg.expect_download() as dl:
        pg.locator("[data-testid='stDownloadButton']").filter(has_text="PNG").click()
    png = dl.value.path().read_bytes()
    assert png[:4] == b"\x89PNG"
    (shots / f"scenarios-chart-{lang}.png").write_bytes(png)
    no_errors(pg)
    pg.screenshot(path=str(shots / f"scenarios-downloads-{lang}.png"), full_page=True)
    ctx.close()
