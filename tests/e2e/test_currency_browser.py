"""The sidebar's currency switch in Chromium at a projector's 1024 px: choosing USD opens the
dialog (1 JPY = ? USD); a typed rate and "Convert every amount" put the Overview's tiles in
dollars at that rate (the model's converted amounts, formatted as the app formats them);
Cancel keeps yen; the same flow once in Japanese."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Locator, Page, expect

from model import parse_scenario, run_plan
from ui.common import Fmt
from ui.currency import change_currency, rate_text
from ui.i18n import translate

from .test_team_browser import VIEWPORT, app_scenario, no_exception, settle

pytestmark = pytest.mark.e2e

RATE = 0.0067


def tile(page: Page, label: str):
    box = page.locator("[data-testid='stMain'] [data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)
    )
    return box.first.locator("[data-testid='stMetricValue']")


def currency_box(page: Page, lang: str):
    return (
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
        .filter(has_text=translate("sidebar.currency", lang))
        .first
    )


def choose_currency(page: Page, lang: str, code: str) -> None:
    currency_box(page, lang).click()
    page.get_by_role("option", name=code, exact=True).click()
    settle(page)


def type_rate(page: Page, lang: str, rate: str) -> None:
    """Type the rate in the dialog and commit it (Enter), as a user does."""
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    field = dialog.get_by_label(translate("currency.rate", lang, frm="JPY", to="USD"), exact=True)
    expect(field).to_have_value("")  # no rate made up
    field.fill(rate)
    field.press("Enter")
    settle(page)
    expect(field).to_have_value(rate)


def expected(data: dict, lang: str, code: str) -> dict[str, str]:
    """The Overview's target tile and bookings-at-today's-inflow tile for scenario ``data``:
    the model's amounts, formatted by the app's formatter (ui.common.Fmt) as it is now."""
    F = Fmt(lang, code)
    scenario = parse_scenario(json.loads(json.dumps(data)))
    target = scenario.target
    now = run_plan(parse_scenario({k: v for k, v in data.items() if k != "target"}))
    metric = translate(f"metric.{target.metric}", lang)
    return {
        translate("overview.target", lang, metric=metric): F.metric_value(
            target.metric, target.horizon_total
        ),
        translate("overview.at_current", lang, metric=metric): F.metric_value(
            target.metric, now.totals[target.metric]
        ),
    }


def expect_tiles(page: Page, tiles: dict[str, str]) -> None:
    for label, value in tiles.items():
        expect(tile(page, label)).to_have_text(value)


def ask_for_usd(page: Page, server: str, data: dict, lang: str) -> tuple[Locator, dict]:
    """The Overview in ``lang`` with its tiles in yen, then USD chosen in the sidebar: the
    dialog, and the yen tiles."""
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{server}/?lang={lang}")
    settle(page)
    no_exception(page)
    yen = expected(data, lang, "JPY")
    expect_tiles(page, yen)
    choose_currency(page, lang, "USD")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(translate("currency.title", lang, frm="JPY", to="USD"))
    return dialog, yen


def test_usd_at_a_typed_rate_converts_the_overview(page: Page, server: str, shots):
    scenario_json = app_scenario()
    dialog, yen = ask_for_usd(page, server, scenario_json, "en")
    convert = dialog.get_by_role("button", name=translate("currency.convert", "en"))
    expect(convert).to_be_disabled()  # no rate yet
    expect_tiles(page, yen)  # nothing changed yet
    type_rate(page, "en", "0.0067")
    page.screenshot(path=str(shots / "currency-dialog-en-1024.png"))
    expect(convert).to_be_enabled()
    convert.click()
    settle(page)
    no_exception(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    dollars = expected(change_currency(scenario_json, "USD", RATE), "en", "USD")
    assert dollars != yen
    expect_tiles(page, dollars)
    expect(currency_box(page, "en").get_by_role("combobox")).to_have_value("USD")
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text(
        f"1 JPY = {rate_text(RATE)} USD"
    )
    # another rerun (a page and back) keeps dollars, and the dialog stays closed
    page.get_by_role("link", name=translate("page.plan", "en"), exact=True).click()
    settle(page)
    page.get_by_role("link", name=translate("page.overview", "en"), exact=True).click()
    settle(page)
    no_exception(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect_tiles(page, dollars)
    page.screenshot(path=str(shots / "currency-usd-overview-en-1024.png"))


def test_cancel_keeps_yen(page: Page, server: str):
    dialog, yen = ask_for_usd(page, server, app_scenario(), "en")
    type_rate(page, "en", "0.0067")
    dialog.get_by_role("button", name=translate("currency.cancel", "en"), exact=True).click()
    settle(page)
    no_exception(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(currency_box(page, "en").get_by_role("combobox")).to_have_value("JPY")
    expect_tiles(page, yen)
    # the next rerun (the language, twice) does not bring the dialog back, and yen stays
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("radio", name="日本語").click()
    settle(page)
    sidebar.get_by_role("radio", name="English").click()
    settle(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect_tiles(page, yen)


def test_usd_in_japanese(page: Page, server: str, shots):
    scenario_json = app_scenario()
    dialog, yen = ask_for_usd(page, server, scenario_json, "ja")
    assert yen != expected(scenario_json, "en", "JPY")  # the tiles in Japanese (億円)
    type_rate(page, "ja", "0.0067")
    page.screenshot(path=str(shots / "currency-dialog-ja-1024.png"))
    dialog.get_by_role("button", name=translate("currency.convert", "ja")).click()
    settle(page)
    no_exception(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    dollars = expected(change_currency(scenario_json, "USD", RATE), "ja", "USD")
    expect_tiles(page, dollars)
    expect(currency_box(page, "ja").get_by_role("combobox")).to_have_value("USD")
    page.screenshot(path=str(shots / "currency-usd-overview-ja-1024.png"))
