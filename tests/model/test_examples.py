"""The spec's examples (../shared/spec/examples) reproduce their expected v2 output to 1e-6."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model import load_scenario, run_plan

from .helpers import assert_series_close

EXAMPLES = [
    "01-simple-reverse",
    "02-recycle-steady-state",
    "03-subscription-forward",
    "04-revenue-target-volume-recycle",
    "05-monthly-target-fractional-lags",
]
EXPECTED = "expected-v2"  # spec v2's outputs (``expected/`` holds v1's until it goes)
ROOT = Path(__file__).resolve().parents[2]


def _compare(actual, expected, path: str = "") -> None:
    if isinstance(expected, dict):
        assert set(actual) == set(expected), f"{path}: keys {sorted(set(actual) ^ set(expected))}"
        for k in expected:
            _compare(actual[k], expected[k], f"{path}.{k}")
    elif (
        isinstance(expected, list)
        and expected
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in expected)
    ):
        assert_series_close(actual, expected, 1e-6, path)
    elif isinstance(expected, list):
        assert len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _compare(a, e, f"{path}[{i}]")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-6, abs=1e-9), path
    else:
        assert actual == expected, path


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_reproduces_expected_output(shared_dir: Path, name: str) -> None:
    examples = shared_dir / "spec" / "examples"
    expected = json.loads((examples / EXPECTED / f"{name}.out.json").read_text())
    plan = run_plan(load_scenario(examples / f"{name}.json"))
    _compare(plan.to_dict(), expected)


def test_cli_prints_the_same_json(shared_dir: Path) -> None:
    examples = shared_dir / "spec" / "examples"
    name = "04-revenue-target-volume-recycle"
    out = subprocess.run(
        [sys.executable, "-m", "model", "plan", str(examples / f"{name}.json")],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    expected = json.loads((examples / EXPECTED / f"{name}.out.json").read_text())
    _compare(json.loads(out.stdout), expected)
    assert out.stderr == ""


def test_cli_csv_has_one_row_per_month(shared_dir: Path) -> None:
    path = shared_dir / "spec" / "examples" / "03-subscription-forward.json"
    out = subprocess.run(
        [sys.executable, "-m", "model", "plan", str(path), "--format", "csv"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["month", "inflow"]
    assert "lead.stock" in header and "won.arrivals" in header and "revenue" in header
    assert len(lines) == 1 + 24
    first = dict(zip(header, lines[1].split(","), strict=True))
    assert first["month"] == "2027-04"
    assert float(first["lead.arrivals"]) == pytest.approx(396.0)
    assert float(first["mrr"]) == pytest.approx(30_000_000.0)


def test_monthly_plan_converges_to_closed_form_steady_state(shared_dir: Path) -> None:
    """Example 2 at steady state: wins W need opportunities W/c2 and leads W/(c1 c2); the pool
    balance P solves P = (1 − e)(1 − ρ)P + recycled, so reactivations are ρP and the new leads
    per month are W/(c1 c2) − ρP = 106.67."""
    data = json.loads(
        (shared_dir / "spec" / "examples" / "02-recycle-steady-state.json").read_text()
    )
    lead, opp = data["stages"][0], data["stages"][1]
    rho, e = data["recycle"]["reactivation"], data["recycle"]["expiry"]
    wins = data["target"]["monthly"]
    leads = wins / (lead["conversion"] * opp["conversion"])
    recycled = lead["recycle"] * leads + opp["recycle"] * wins / opp["conversion"]
    pool = recycled / (1 - (1 - e) * (1 - rho))
    closed_form = leads - rho * pool
    assert closed_form == pytest.approx(106.6667, abs=1e-4)

    plan = run_plan(
        load_scenario(shared_dir / "spec" / "examples" / "02-recycle-steady-state.json")
    )
    gaps = [abs(x - closed_form) for x in plan.inflow]
    assert gaps[-1] < 0.01
    assert gaps[-1] < gaps[30] < gaps[10]
    data["months"] = 120
    longer = run_plan(__import__("model").parse_scenario(data))
    assert abs(longer.inflow[-1] - closed_form) < 1e-5


def test_bundled_example_plans(tmp_path: Path) -> None:
    plan = run_plan(load_scenario(ROOT / "examples" / "fy2027-plan.json"))
    assert plan.totals["bookings"] == pytest.approx(240_000_000, rel=1e-9)
