"""Issue 12: the workbook's Monthly plan, Division targets and Revenue sheets are formulas over
Assumptions (spec section 3's forward flow, given the plan's inflow), so a rate changed in Excel
moves every sheet exactly as the model moves with that rate. Issue 10: the Capacity sheet's
workload and heads needed follow. Recomputed in the ``formulas`` engine and compared with the
model (model.run_plan, and model.plan.project for the same inflow with a parameter changed)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from model import parse_scenario, run_plan
from model.capacity import capacity_plan
from model.plan import project
from ui import exports
from ui.state import default_scenario_file

LIVE = ("Monthly plan", "Division targets", "Revenue")
REL = 1e-6


def _sample() -> dict:
    return json.loads(default_scenario_file().read_text(encoding="utf-8-sig"))


def _example(shared_dir: Path, name: str) -> dict:
    """One of the spec's examples (../shared/spec/examples)."""
    return json.loads((shared_dir / "spec" / "examples" / name).read_text(encoding="utf-8"))


class Book:
    """A plan's workbook, its formula model (compiled once) and its cells by sheet."""

    def __init__(self, data: dict, tmp: Path) -> None:
        import formulas

        self.data = data
        self.scenario = parse_scenario(data)
        self.plan = run_plan(self.scenario)
        self.path = tmp / "plan.xlsx"
        self.path.write_bytes(exports.workbook_bytes(self.scenario, self.plan, data, "en"))
        self.wb = openpyxl.load_workbook(self.path)
        self.model = formulas.ExcelModel().loads(str(self.path)).finish()
        a = self.wb["Assumptions"]
        self.inputs = {r[1].value: r[2].coordinate for r in a.iter_rows(min_row=2) if r[1].value}

    def ref(self, sheet: str, cell: str) -> str:
        return f"'[{self.path.name}]{sheet.upper()}'!{cell}"

    def table(self, sheet: str) -> tuple[list[str], list[list[openpyxl.cell.Cell]]]:
        """A sheet's header and its month (or stage) rows: those under the header up to the
        first empty row."""
        ws = self.wb[sheet]
        header = [c.value for c in ws[1]]
        rows = []
        for row in ws.iter_rows(min_row=2):
            if row[0].value is None:
                break
            rows.append(list(row))
        return header, rows

    def calculate(self, changes: dict[str, float]) -> dict[tuple[str, str], float]:
        """Every formula cell of the live sheets (and Capacity), recomputed with Assumptions
        cells changed (by key)."""
        outputs = [
            (ws.title, c.coordinate)
            for ws in self.wb.worksheets
            if ws.title in (*LIVE, "Capacity")
            for row in ws.iter_rows()
            for c in row
            if c.data_type == "f"
        ]
        sol = self.model.calculate(
            inputs={self.ref("Assumptions", self.inputs[k]): v for k, v in changes.items()},
            outputs=[self.ref(s, c) for s, c in outputs],
        )
        return {(s, c): _number(sol[self.ref(s, c)].value) for s, c in outputs}


def _number(value) -> float:
    x = np.asarray(value).ravel()[0]
    return float(x) if isinstance(x, (int, float, np.floating, np.integer)) else float("nan")


def _expected(scenario, plan) -> dict[str, object]:
    """The model's figures as the sheets lay them out (one table per sheet)."""
    return {
        "Monthly plan": exports.monthly_plan_table(scenario, plan, "en"),
        "Division targets": exports.division_targets_table(scenario, plan, "en"),
        "Revenue": exports.revenue_table(plan, "en"),
    }


def _compare(book: Book, got: dict[tuple[str, str], float], scenario, plan) -> int:
    """Every number cell of the live sheets equals the model's figure (1e-6 relative); the
    number of formula cells compared."""
    expected = _expected(scenario, plan)
    compared = 0
    for sheet in LIVE:
        header, rows = book.table(sheet)
        frame = expected[sheet]
        assert header == [exports.safe_text(c) for c in frame.columns], sheet
        assert len(rows) == len(frame), sheet
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                want = frame.iloc[i, j]
                if isinstance(want, str):
                    assert cell.value == exports.safe_text(want)
                    continue
                value = got.get((sheet, cell.coordinate), cell.value)
                compared += cell.data_type == "f"
                scale = float(np.abs(frame.iloc[:, j].to_numpy(dtype=float)).max())
                assert value == pytest.approx(float(want), rel=REL, abs=1e-9 * max(1.0, scale)), (
                    sheet,
                    cell.coordinate,
                    header[j],
                )
    return compared


def _changed(data: dict, key: str, value: float) -> dict:
    """The scenario with one Assumptions key set to a number (a range becomes that number)."""
    out = copy.deepcopy(data)
    parts = key.split(".")
    if parts[0] == "stages" and parts[2] == "opening":
        node, field = out.setdefault("opening", {}), parts[1]
    elif parts[0] == "stages":
        node, field = next(s for s in out["stages"] if s["key"] == parts[1]), parts[2]
    elif len(parts) == 1:
        node, field = out, key
    else:
        node, field = out.setdefault(parts[0], {}), parts[1]
    node[field] = int(value) if field == "onboarding_months" else value
    return out


def _check_change(book: Book, changes: dict[str, float]) -> tuple[dict, object]:
    """Change Assumptions cells, recompute, and compare with the model run forward with the
    same inflow and the same change."""
    data = book.data
    for key, value in changes.items():
        data = _changed(data, key, value)
    sc = parse_scenario(data)
    H = sc.months
    moved = project(sc, np.full(H, changes["inflow"]) if "inflow" in changes else book.plan.inflow)
    got = book.calculate(changes)
    assert _compare(book, got, sc, moved) > 0
    # the change did move the plan (the test would not see stale values otherwise)
    assert not np.allclose(moved.wins, book.plan.wins, rtol=1e-4)
    return got, moved


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Book:
    return Book(_sample(), tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def forward(tmp_path_factory, shared_dir) -> Book:
    """Example 03: forward, a monthly inflow list, fractional lags, recycle, opening stock and
    pool, subscription with a month of onboarding."""
    return Book(
        _example(shared_dir, "03-subscription-forward.json"), tmp_path_factory.mktemp("ex03")
    )


@pytest.fixture(scope="module")
def volume(tmp_path_factory, shared_dir) -> Book:
    """Example 04: a revenue target, recycle by a fixed monthly volume, a half-month lag."""
    data = _example(shared_dir, "04-revenue-target-volume-recycle.json")
    return Book(data, tmp_path_factory.mktemp("ex04"))


@pytest.mark.parametrize("name", ["sample", "forward", "volume"])
def test_every_live_cell_recomputes_to_the_models_plan(name, request):
    book = request.getfixturevalue(name)
    got = book.calculate({})
    n = _compare(book, got, book.scenario, book.plan)
    # the sheets are formulas, not values: all but the month labels and (solved or listed)
    # inflow
    H = book.scenario.months
    header, rows = book.table("Monthly plan")
    assert n >= (len(header) - 2) * H + H  # Monthly plan, and at least the division rows


@pytest.mark.parametrize(
    "changes",
    [
        {"stages.lead.conversion": 0.30},
        {"stages.opportunity.lag": 1.4, "stages.lead.lag": 2.0},
        {"recycle.reactivation": 0.12, "recycle.expiry": 0.01, "stages.lead.recycle": 0.3},
        {
            "customers.renewal_rate": 0.8,
            "customers.expansion_rate": 0.2,
            "deal.onboarding_months": 3,
            "deal.size": 2_500_000,
            "stages.visitor.conversion": 0.03,
        },
        {"stages.lead.opening": 9000, "stages.opportunity.opening": 100, "recycle.opening": 0},
    ],  # fmt: skip
    ids=["conversion", "lags", "recycle", "money", "opening"],
)
def test_a_changed_assumption_moves_the_sample_like_the_model(sample, changes):
    _check_change(sample, changes)


def test_example_03_follows_a_changed_win_rate_and_lag(forward):
    _check_change(forward, {"stages.opportunity.conversion": 0.35, "stages.lead.lag": 0.5})


def test_example_04_follows_a_changed_volume_and_rates(volume):
    _check_change(
        volume, {"recycle.volume": 15, "stages.sql.conversion": 0.6, "stages.lead.lag": 1.25}
    )


def test_a_solved_inflow_is_an_input_row_said_so_in_a_note(sample, forward):
    """The model solves the inflow for a target (spec section 4), which Excel cannot: the row
    holds the solved values as yellow inputs and a note says so; a monthly inflow list too."""
    for book in (sample, forward):
        ws = book.wb["Monthly plan"]
        header, rows = book.table("Monthly plan")
        col = header.index("Inflow")
        cells = [r[col] for r in rows]
        assert all(c.data_type == "n" for c in cells)
        assert [c.value for c in cells] == pytest.approx(list(book.plan.inflow))
        assert cells[0].fill.fgColor.rgb.endswith("FFF2CC")
        notes = [c.value for r in ws.iter_rows(min_row=len(rows) + 2) for c in r if c.value]
        assert any("inflow" in str(n).lower() for n in notes)


def test_a_stated_constant_inflow_is_a_formula_over_assumptions(tmp_path, shared_dir):
    data = _example(shared_dir, "03-subscription-forward.json")
    data["inflow"] = 25_000
    book = Book(data, tmp_path)
    header, rows = book.table("Monthly plan")
    assert all(r[header.index("Inflow")].data_type == "f" for r in rows)
    _check_change(book, {"inflow": 30_000})


def test_the_capacity_sheets_workload_and_heads_needed_follow_a_changed_rate(sample):
    """Issue 10: heads needed = workload ÷ per head, with the workload a formula over the
    Monthly plan (arrivals or stock of the stage a team works) or Revenue (customers)."""
    changes = {"stages.lead.conversion": 0.30, "customers.renewal_rate": 0.8}
    got, moved = _check_change(sample, changes)
    cp = capacity_plan(moved)
    ws = sample.wb["Capacity"]
    titles = {r[0].value: r[0].row for r in ws.iter_rows(min_row=9) if r[0].value}
    checked = 0
    for division, label in (("marketing", "Marketing"), ("inside_sales", "Inside sales"),
                            ("field_sales", "Field sales"),
                            ("customer_success", "Customer success")):  # fmt: skip
        first = titles[label] + 2
        staffing = cp.staffing[division]
        for m in range(sample.scenario.months):
            assert ws[f"B{first + m}"].data_type == "f"
            assert got[("Capacity", f"B{first + m}")] == pytest.approx(
                staffing.workload[0][m], rel=REL
            )
            assert got[("Capacity", f"C{first + m}")] == pytest.approx(
                staffing.required[0][m], rel=REL
            )
            checked += 1
    assert checked == 4 * sample.scenario.months


def test_the_economics_follow_a_changed_rate(sample):
    """The acquisition cost's inflow, wins and per-arrival spend are formulas too: CAC
    follows a changed conversion like the model's (team costs are the model's heads)."""
    got, moved = _check_change(sample, {"stages.opportunity.conversion": 0.3})
    ws = sample.wb["Capacity"]
    labelled = {r[0].value: r[1].coordinate for r in ws.iter_rows() if r[0].value}
    cp = capacity_plan(moved)
    base = capacity_plan(sample.plan)
    # the teams' heads stay the plan's (the hiring rule is the model's): take them out
    team_cost = sum(
        (base.staffing[d].cost[0] - cp.staffing[d].cost[0]).sum()
        for d in cp.staffing
        if d != "customer_success"
    )
    want = (cp.acquisition_cost.sum() + team_cost) / moved.wins.sum()
    assert got[("Capacity", labelled["CAC"])] == pytest.approx(want, rel=REL)


def _awkward(reentry: str) -> dict:
    """Stage keys that differ in case only, or start with '=' or hold a quote; a lead time
    longer than the horizon; one-time deals with a customer base; costs per stage arrival."""
    return {
        "schema": 1,
        "name": "Awkward",
        "start": "2027-04",
        "months": 12,
        "stages": [
            {"key": "=src", "owner": "marketing", "conversion": 0.4, "disqualify": 0.1,
             "recycle": 0.3, "lag": 14 if reentry == "lead" else 0.5},
            {"key": "Lead", "owner": "marketing", "conversion": 0.5, "recycle": 0.2},
            {"key": "lead", "owner": "inside_sales", "conversion": 0.6, "recycle": 0.1,
             "lag": 1.5},
            {"key": 'w"on', "owner": "field_sales"},
        ],
        "opening": {"=src": 100, "lead": 50},
        "recycle": {"reentry": reentry, "reactivation": 0.2, "expiry": 0.1, "opening": 30},
        "deal": {"size": 1000, "revenue": "one_time"},
        "customers": {"opening_count": 40, "renewal_rate": 0.85},
        "inflow": 1000,
        "capacity": {"inside_sales": {"works": "lead", "per_head": 10, "heads": 2}},
        "costs": {"per_inflow": 2, "per_arrival": {"lead": 10, "Lead": 5}, "fixed_monthly": 7},
    }  # fmt: skip


@pytest.mark.parametrize("reentry", ["lead", "=src"])
def test_awkward_keys_and_a_long_lead_time_recompute_like_the_model(tmp_path, reentry):
    book = Book(_awkward(reentry), tmp_path)
    assert _compare(book, book.calculate({}), book.scenario, book.plan) > 0
    got, moved = _check_change(book, {"stages.Lead.conversion": 0.7, "inflow": 1500})
    # the acquisition cost: the inflow, and each stage's new arrivals (less the reactivations at
    # the re-entry stage) at their prices, all formulas (the team costs nothing here)
    ws = book.wb["Capacity"]
    first = next(r[0].row for r in ws.iter_rows() if r[4].value == "Acquisition cost") + 1
    acq = [got[("Capacity", f"E{first + m}")] for m in range(12)]
    assert acq == pytest.approx(list(capacity_plan(moved).acquisition_cost), rel=REL)


def test_what_excel_shows_before_computing_is_what_it_computes(sample):
    """Every formula cell of every sheet carries its value (Excel and viewers that do not
    recompute show it): the same as the formula engine computes (the Reverse sheet's gap
    column had none, so it showed 0)."""
    cached = openpyxl.load_workbook(sample.path, data_only=True)
    cells = [
        (ws.title, c.coordinate)
        for ws in sample.wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    sol = sample.model.calculate(outputs=[sample.ref(s, c) for s, c in cells])
    assert len(cells) > 700
    for s, c in cells:
        shown, computed = cached[s][c].value, _number(sol[sample.ref(s, c)].value)
        assert shown == pytest.approx(computed, rel=REL, abs=1e-9), (s, c)


def test_a_recycle_volume_by_month_recomputes_like_the_model(tmp_path, shared_dir):
    """A monthly list of reactivations: each month's MIN(volume, balance) takes its own."""
    data = _example(shared_dir, "04-revenue-target-volume-recycle.json")
    data["recycle"]["volume"] = [40, 10, 0, 60, 80, 5, 5, 120, 30, 30, 0, 50]
    book = Book(data, tmp_path)
    assert _compare(book, book.calculate({}), book.scenario, book.plan) > 0
    _check_change(book, {"stages.opportunity.conversion": 0.45, "recycle.opening": 20})
