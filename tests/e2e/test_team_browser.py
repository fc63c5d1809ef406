"""A division's team month by month on the Capacity page, in Chromium at a projector's 1024 px:
the switch to a month-by-month team, a month's heads typed into the table (st.data_editor) by
keyboard, the edit kept over later reruns (the browser clears the table's pending edits after
showing them), the page's figures following the model, the month kept through a share link, and
a sheet of heads uploaded through the file chooser (a good one fills the months, a bad one says
why and changes nothing). A server of this module's own: the test saves a scenario."""

from __future__ import annotations

import copy
import json

import pytest
from playwright.sync_api import Locator, Page, expect

from model import month_labels, parse_scenario, run_plan
from model.capacity import capacity_plan
from ui.common import Fmt
from ui.i18n import translate
from ui.state import default_scenario_file

from .conftest import CHROMIUM, streamlit_server

pytestmark = pytest.mark.e2e

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
VIEWPORT = {"width": 1024, "height": 900}
EN = Fmt("en", "JPY")
INSIDE, FIELD = "inside_sales", "field_sales"
JULY, APRIL = 3, 0  # rows of the table (the plan starts in April 2026)


def tr(key: str, **kw) -> str:
    return translate(key, "en", **kw)


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    """A server of this module's own (the test saves a scenario into its store)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests")
    with streamlit_server(tmp_path_factory.mktemp("team-server")) as url:
        yield url


def app_scenario() -> dict:
    """The scenario the app opens on (its JSON, as a new session reads it)."""
    return json.loads(default_scenario_file().read_text(encoding="utf-8-sig"))


# ----- waiting and reading -----------------------------------------------------------------------
def settle(page: Page) -> None:
    """The script has run: idle, twice over a short gap (a rerun an action asked for may start
    just after the first look), and the status widget ("Running...") gone."""
    for _ in range(2):
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=60_000)


def no_exception(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def panel(page: Page, division: str) -> Locator:
    return page.locator(f".st-key-cap-panel-{division}")


def expander(page: Page, division: str, label: str) -> Locator:
    """A division panel's expander, opened (its content drawn)."""
    box = panel(page, division).locator("[data-testid='stExpander']").filter(has_text=label)
    if box.locator("details").get_attribute("open") is None:
        box.locator("summary").click()
    expect(box.locator("details")).to_have_attribute("open", "")
    return box


def team_box(page: Page, division: str) -> Locator:
    return expander(page, division, tr("capacity.edit"))


def heads_grid(page: Page, division: str) -> Locator:
    """The division's month-by-month table (the only grid in its "Edit the team")."""
    grid = team_box(page, division).locator("[data-testid='stDataFrame']")
    expect(grid).to_have_count(1)
    return grid


def cell(grid: Locator, col: int, row: int) -> Locator:
    """A cell of a grid's accessible table (glide's: rendered for the rows and columns in
    sight)."""
    return grid.locator(f"[data-testid='glide-cell-{col}-{row}']")


def expect_heads(grid: Locator, heads: list[float]) -> None:
    """The table shows ``heads`` (as numbers: the accessible text is the raw value)."""
    for row, x in enumerate(heads[:9]):  # the rows in sight of a 400 px table
        expect(cell(grid, 1, row)).to_have_text(f"{x:g}")


def edit_heads(page: Page, grid: Locator, row: int, value: str) -> None:
    """Type a month's heads as a user does: click the month's Heads cell, double-click it
    for its editor, select what it holds, type, Enter."""
    target = cell(grid, 1, row)
    for _ in range(3):
        grid.scroll_into_view_if_needed()
        box = grid.locator("[data-testid='data-grid-canvas']").bounding_box()
        assert box is not None
        # Heads is the right-hand column (Month, narrower, is read-only); rows are 35 px under
        # a header row as tall
        x, y = box["x"] + box["width"] * 0.75, box["y"] + 35 + 35 * row + 17
        # the pointer comes over the cell first, as a hand does: the grid takes its place on
        # the page from the pointer's moves, and a click straight after a layout shift (an
        # expander opened above it) lands nowhere
        page.mouse.move(x, y)
        page.wait_for_timeout(200)
        page.mouse.click(x, y)
        try:
            expect(target).to_have_attribute("aria-selected", "true", timeout=2_000)
            break
        except AssertionError:
            continue
    expect(target).to_have_attribute("aria-selected", "true")
    page.mouse.dblclick(x, y)  # the cell's editor, with its value
    editor = page.locator(".gdg-input")
    expect(editor).to_be_visible()
    expect(editor).to_be_focused()
    editor.press("ControlOrMeta+a")
    editor.press_sequentially(value)
    expect(editor).to_have_value(value)
    editor.press("Enter")
    expect(editor).to_have_count(0)
    settle(page)
    # the table stays in sight for the next edit
    expect(grid.locator("xpath=ancestor::details[1]")).to_have_attribute("open", "")


def monthly_row(page: Page, division: str, label: str) -> tuple[list[str], Locator]:
    """The division's "Month by month" table: the months in sight and the cells of row
    ``label`` (its label first)."""
    table = expander(page, division, tr("capacity.monthly")).locator("[data-testid='stDataFrame']")
    expect(table.locator("tr").first).to_contain_text("26")
    months = table.locator("tr").first.locator("th, td").all_inner_texts()[1:]
    row = table.locator("tr").filter(has=page.get_by_text(label, exact=True))
    expect(row).to_have_count(1)
    return [m.strip() for m in months], row.locator("th, td")


def expect_payroll(page: Page, division: str, heads_on_payroll) -> None:
    """Row "Heads on the payroll" shows the model's, month by month (the months in sight, at
    least to July)."""
    label = tr("capacity.row.heads")
    months, cells = monthly_row(page, division, label)
    assert len(months) >= JULY + 1, months
    want = [EN.count(x) for x in heads_on_payroll[: len(months)]]
    expect(cells).to_have_text([label, *want])


def staffing(data: dict, teams: dict[str, list[float]]):
    """Each division's staffing by the model (spec section 8) with ``teams``' heads."""
    data = copy.deepcopy(data)
    for division, heads in teams.items():
        data["capacity"][division]["heads"] = heads
    return capacity_plan(run_plan(parse_scenario(data))).staffing


def heads_today(page: Page, division: str) -> Locator:
    tile = (
        panel(page, division)
        .locator("[data-testid='stMetric']")
        .filter(has_text=tr("capacity.tile_today"))
    )
    return tile.locator("[data-testid='stMetricValue']")


def choose_month_by_month(page: Page, division: str) -> None:
    box = team_box(page, division)
    radio = box.get_by_role("radio", name=tr("capacity.heads_kind.list"))
    radio.check(force=True)  # the input is hidden behind its label
    settle(page)
    # "Edit the team" stays open: its table is what the user edits next (it closed when a
    # message above it in the panel came or went with the switch)
    expect(box.locator("details")).to_have_attribute("open", "")
    expect(radio).to_be_checked()


def upload(page: Page, name: str, data: bytes) -> None:
    chooser = page.locator("[data-testid='stFileUploader']").filter(
        has_text=tr("capacity.heads_file")
    )
    chooser.locator("input[type='file']").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    settle(page)


def sheet(division_name: str, months: list[str], heads: list[float]) -> bytes:
    lines = ["division,month,heads"] + [
        f"{division_name},{m},{x:g}" for m, x in zip(months, heads, strict=True)
    ]
    return ("\n".join(lines) + "\n").encode()


def save_scenario(page: Page, name: str) -> None:
    page.get_by_role("link", name=tr("page.scenarios"), exact=True).click()
    settle(page)
    page.get_by_role("tab", name=tr("scn.tab.save")).click()
    page.get_by_label(tr("scn.author"), exact=True).fill("E2E")
    page.get_by_label(tr("scn.name"), exact=True).fill(name)
    page.get_by_label(tr("scn.note"), exact=True).fill("a month-by-month team")
    page.get_by_role("button", name=tr("scn.save")).click()
    settle(page)
    no_exception(page)
    expect(page.get_by_text(name).first).to_be_visible()


# ----- the test ----------------------------------------------------------------------------------
def test_a_month_typed_in_the_team_table_stays_and_travels_with_the_link(
    chromium_browser, team_server, shots
):
    url, scenario_json = team_server, app_scenario()
    ctx = chromium_browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{url}/?page=capacity&lang=en")
    settle(page)
    no_exception(page)
    expect(page.locator("h1").first).to_have_text(tr("capacity.title"))

    # heads today -> a month-by-month team: today's heads become every month's
    today = float(scenario_json["capacity"][INSIDE]["heads"])
    choose_month_by_month(page, INSIDE)
    no_exception(page)
    grid = heads_grid(page, INSIDE)
    expect(cell(grid, 0, 0)).to_have_text(EN.month(scenario_json["start"]))
    planned = [today] * 12
    expect_heads(grid, planned)
    before = staffing(scenario_json, {INSIDE: planned})[INSIDE].heads[0]
    expect_payroll(page, INSIDE, before)

    # July's heads typed in the table: the table and the page's figures follow
    edit_heads(page, heads_grid(page, INSIDE), JULY, "120")
    no_exception(page)
    planned[JULY] = 120.0
    expect_heads(heads_grid(page, INSIDE), planned)
    payroll = staffing(scenario_json, {INSIDE: planned})[INSIDE].heads[0]
    assert EN.count(payroll[JULY]) != EN.count(before[JULY])  # the check can tell them apart
    expect_payroll(page, INSIDE, payroll)

    # another rerun (the heat map's view): the browser has cleared the table's pending edits
    # by now; July stays
    view = page.locator("[data-testid='stButtonGroup']").get_by_role(
        "radio", name=tr("capacity.view.today")
    )
    view.click()
    settle(page)
    expect(view).to_be_checked()
    no_exception(page)
    expect_heads(heads_grid(page, INSIDE), planned)
    expect_payroll(page, INSIDE, payroll)

    # April down to 5: the team cannot carry the pipeline already there, and a warning comes
    # at the top of the page (the table stays open: edit_heads); then a second month's edit
    # (April 80, today's heads in the tile) takes it away and keeps July
    overload = tr(
        "capacity.over_opening",
        division=tr("division.inside_sales"),
        months=EN.month(scenario_json["start"]),
    )
    edit_heads(page, heads_grid(page, INSIDE), APRIL, "5")
    expect(page.get_by_text(overload)).to_be_visible()
    edit_heads(page, heads_grid(page, INSIDE), APRIL, "80")
    expect(page.get_by_text(overload)).to_have_count(0)
    planned[APRIL] = 80.0
    expect_heads(heads_grid(page, INSIDE), planned)
    payroll = staffing(scenario_json, {INSIDE: planned})[INSIDE].heads[0]
    expect_payroll(page, INSIDE, payroll)
    expect(heads_today(page, INSIDE)).to_have_text(EN.count(80.0))
    page.screenshot(path=str(shots / "capacity-team-edited-1024.png"))

    # field sales too: with no hires there is nothing to open now, and the panel says so
    choose_month_by_month(page, FIELD)
    no_exception(page)
    field_today = float(scenario_json["capacity"][FIELD]["heads"])
    expect_heads(heads_grid(page, FIELD), [field_today] * 12)

    # saved, then the address bar (a share link) opened by a new session
    save_scenario(page, "E2E teams")
    page.get_by_role("link", name=tr("page.capacity"), exact=True).click()
    settle(page)
    link = page.url
    assert "scenario=E2E" in link and "v=1" in link and "page=capacity" in link, link
    ctx.close()

    ctx = chromium_browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(link)
    settle(page)
    no_exception(page)
    expect(
        team_box(page, INSIDE).get_by_role("radio", name=tr("capacity.heads_kind.list"))
    ).to_be_checked()
    expect_heads(heads_grid(page, INSIDE), planned)
    expect_payroll(page, INSIDE, payroll)
    expect(heads_today(page, INSIDE)).to_have_text(EN.count(80.0))

    # a good sheet through the file chooser: field sales' months filled
    months = month_labels(scenario_json["start"], int(scenario_json["months"]))
    filled = [150.0 + i for i in range(12)]
    upload(page, "heads.csv", sheet(tr("division.field_sales"), months, filled))
    no_exception(page)
    success = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="heads.csv")
    expect(success).to_contain_text(tr("division.field_sales"))
    expect(
        team_box(page, FIELD).get_by_role("radio", name=tr("capacity.heads_kind.list"))
    ).to_be_checked()
    expect_heads(heads_grid(page, FIELD), filled)
    both = staffing(scenario_json, {INSIDE: planned, FIELD: filled})
    expect_payroll(page, FIELD, both[FIELD].heads[0])
    expect_payroll(page, INSIDE, both[INSIDE].heads[0])
    success.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "capacity-team-sheet-1024.png"))

    # a bad sheet (inside sales, a month's heads negative): the error, and nothing changed
    bad = [60.0] * 12
    bad[5] = -3.0
    upload(page, "bad.csv", sheet(tr("division.inside_sales"), months, bad))
    no_exception(page)
    error = page.locator("[data-testid='stAlertContentError']").filter(has_text="bad.csv")
    expect(error).to_have_count(1)
    expect(error).to_contain_text(tr("capacity.heads_file_unchanged"))
    expect(error).to_contain_text("-3")
    expect(page.locator("[data-testid='stAlertContentSuccess']")).to_have_count(0)
    expect_heads(heads_grid(page, INSIDE), planned)
    expect_heads(heads_grid(page, FIELD), filled)
    expect_payroll(page, INSIDE, both[INSIDE].heads[0])
    expect_payroll(page, FIELD, both[FIELD].heads[0])
    error.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "capacity-team-bad-sheet-1024.png"))
    ctx.close()
