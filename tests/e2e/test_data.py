"""The CRM data and sources pages in a real browser (a server of their own, since an import changes
the server's funnel database): the sample's quality and metrics, a baseline built and made
active, a file uploaded through the file input and imported, a broken file's message; screenshots
of every state in both languages in tests/e2e/screenshots/."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.db.helpers import SF_LEADS_EN, csv_bytes
from tests.e2e.conftest import CHROMIUM, streamlit_server
from tests.e2e.test_browser import settle

pytestmark = pytest.mark.e2e
T0 = time.monotonic()

TEXT = {
    "en": {"import": "Import", "build": "Build the baseline", "use": "Make it the active scenario",
           "active": "This baseline is the active scenario", "imported": "Imported 6 rows",
           "unchanged": "The database is unchanged.", "source": "Imported CRM data (",
           "quality": "Data quality", "sample_ro": "Sample data (read-only)"},
    "ja": {"import": "取り込む", "build": "ベースラインを作る", "use": "アクティブなシナリオにする",
           "active": "このベースラインがアクティブなシナリオです",
           "imported": "6行を取り込みました",
           "unchanged": "データベースは変更されていません。", "source": "取り込んだCRMデータ(",
           "quality": "データ品質", "sample_ro": "サンプルデータ(読み取り専用)"},
}  # fmt: skip


@pytest.fixture(scope="module")
def data_server(tmp_path_factory) -> str:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests")
    with streamlit_server(tmp_path_factory.mktemp("data-server")) as url:
        yield url


def no_exception(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def upload(page: Page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    settle(page)


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    settle(page)


def shot(page: Page, shots, name: str) -> None:
    """The whole page: the viewport is made as tall as the page's content (Streamlit scrolls
    inside its main block, so ``full_page`` alone would only show the first screen)."""
    height = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
        " return m ? m.scrollHeight : 1000; }"
    )
    page.set_viewport_size({"width": 1400, "height": int(min(max(1000, height + 40), 8000))})
    page.wait_for_timeout(400)  # charts redraw at the new size
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    print(f"{time.monotonic() - T0:6.1f}s {name}")


def choose_dataset(page: Page, name: str) -> None:
    """Choose a dataset in the sidebar's "Data source"."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    box.click()
    page.get_by_role("option", name=name, exact=True).click()
    settle(page)


def set_language(page: Page, lang: str) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("radio", name="日本語" if lang == "ja" else "English").click()
    settle(page)


def both(page: Page, shots, name: str, ja_text: str) -> None:
    """Screenshots of the current state in English, then in Japanese (one rerun each way)."""
    no_exception(page)
    shot(page, shots, f"{name}-en")
    set_language(page, "ja")
    no_exception(page)
    expect(page.get_by_text(ja_text).first).to_be_visible()
    shot(page, shots, f"{name}-ja")
    set_language(page, "en")


def test_data_page_import_quality_baseline_and_errors(page: Page, data_server, shots):
    x = TEXT["en"]
    page.goto(f"{data_server}/data")
    settle(page)
    set_language(page, "en")
    expect(page.get_by_role("heading", name=x["quality"])).to_be_visible()
    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, "
                           "[data-testid='stVegaLiteChart'] svg", timeout=20_000)  # fmt: skip
    both(page, shots, "data-sample", "データ品質")

    # the sample's baseline, its backtest, made active
    click(page, x["build"])
    expect(page.locator("[data-testid='stVegaLiteChart']")).not_to_have_count(0)
    click(page, x["use"])
    expect(page.get_by_text(x["active"])).to_be_visible()
    both(page, shots, "data-baseline", "バックテスト")

    # a good file through the file input: preview, then import, then the quality report
    upload(page, "leads.csv", csv_bytes(SF_LEADS_EN))
    no_exception(page)
    expect(page.get_by_text("leads.csv: 5 rows, 11 columns")).to_be_visible()
    both(page, shots, "data-preview", "プレビュー")
    page.locator("[data-testid='stButton']").get_by_role("button", name=x["import"]).click()
    settle(page)
    no_exception(page)
    expect(page.get_by_text(x["imported"])).to_be_visible()
    expect(page.get_by_role("heading", name=x["quality"])).to_be_visible()
    both(page, shots, "data-imported", "6行を取り込みました")

    # a broken file (a new session: the uploader starts empty, the dataset is the sample again)
    page.goto(f"{data_server}/data")
    settle(page)
    set_language(page, "en")
    expect(page.get_by_text("Dataset: Sample data")).to_be_visible()
    bad = [list(r) for r in SF_LEADS_EN]
    bad[3][bad[0].index("Created Date")] = "31/31/2024"
    upload(page, "broken.csv", csv_bytes(bad))
    page.locator("[data-testid='stButton']").get_by_role("button", name=x["import"]).click()
    settle(page)
    error = page.locator("[data-testid='stAlertContentError']")
    expect(error).to_have_count(1)
    text = error.inner_text()
    assert "broken.csv" in text and "Created Date" in text and x["unchanged"] in text
    assert re.search(r"row\s+4\b", text), text
    both(page, shots, "data-error", TEXT["ja"]["unchanged"])

    # the sources page on the imported data (no spend), chosen in the sidebar, then the sample
    page.goto(f"{data_server}/sources")
    settle(page)
    set_language(page, "en")
    choose_dataset(page, "leads")
    expect(page.get_by_text("No marketing spend in the data")).to_be_visible()
    both(page, shots, "sources-imported", "費用のファイル")
    choose_dataset(page, x["sample_ro"])
    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, "
                           "[data-testid='stVegaLiteChart'] svg", timeout=20_000)  # fmt: skip
    both(page, shots, "sources-sample", "流入元とROI")


def test_an_import_in_one_browser_is_not_seen_in_another(chromium_browser, tmp_path, shots):
    """Two browser contexts (two people) on one server: A imports into a dataset of its own; B,
    before and after, opens on the sample, and sees A's rows only once it chooses A's dataset.
    Replacing is unticked and asks first."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent")
    with streamlit_server(tmp_path) as url:
        ctx_a = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
        ctx_b = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
        a, b = ctx_a.new_page(), ctx_b.new_page()
        for pg in (a, b):
            pg.set_default_timeout(30_000)
            pg.goto(f"{url}/data")
            settle(pg)
            set_language(pg, "en")
        sample_rows = b.get_by_text(re.compile(r"Stage history: [\d,]+ rows")).inner_text()
        upload(a, "leads.csv", csv_bytes(SF_LEADS_EN))
        a.get_by_label("Name of the new dataset").fill("Team A leads")
        a.get_by_label("Name of the new dataset").press("Enter")
        settle(a)
        a.locator("[data-testid='stButton']").get_by_role("button", name="Import").click()
        settle(a)
        no_exception(a)
        expect(a.get_by_text("Dataset: Team A leads")).to_be_visible()
        expect(a.get_by_text("Stage history: 6 rows")).to_be_visible()

        b.reload()  # B reruns after A's import: still the sample
        settle(b)
        expect(b.get_by_text("Dataset: Sample data")).to_be_visible()
        expect(b.get_by_text(sample_rows)).to_be_visible()
        ctx_c = chromium_browser.new_context(viewport={"width": 1024, "height": 900})
        c = ctx_c.new_page()  # and a third person arriving now
        c.goto(f"{url}/data")
        settle(c)
        set_language(c, "en")
        expect(c.get_by_text("Dataset: Sample data")).to_be_visible()
        c.screenshot(path=str(shots / "datasets-new-session-1024.png"))
        ctx_c.close()

        choose_dataset(b, "Team A leads")  # B chooses A's dataset: now B sees it
        expect(b.get_by_text("Stage history: 6 rows")).to_be_visible()

        # adding is the default; replacing asks first
        a.get_by_role("button", name="Remove leads.csv").click()
        settle(a)
        upload(a, "opps.csv", csv_bytes(SF_LEADS_EN[:3]))
        replace = a.get_by_role("checkbox", name="Replace this dataset's data")
        expect(replace).not_to_be_checked()
        replace.check(force=True)
        settle(a)
        a.locator("[data-testid='stButton']").get_by_role("button", name="Import").click()
        settle(a)
        expect(a.get_by_text("Replace?")).to_be_visible()
        expect(a.get_by_text("Stage history: 6 rows")).to_be_visible()
        shot(a, shots, "datasets-replace-confirm-en")
        ctx_a.close()
        ctx_b.close()
