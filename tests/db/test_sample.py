"""The bundled sample: its scenario is valid, reproducible, and planned by the model."""

from __future__ import annotations

import json
import subprocess
import sys

from db.sample import SAMPLE_SCENARIO, build_sample_scenario, sample_scenario
from model import parse_scenario, run_plan


def test_shipped_scenario_equals_what_the_code_builds(sample_con):
    assert sample_scenario() == build_sample_scenario(sample_con)


def test_sample_scenario_is_a_valid_plan_with_ranges_and_target():
    sc = sample_scenario()
    assert sc["start"] == "2026-04" and sc["months"] == 12 and sc["currency"] == "JPY"
    assert [s["key"] for s in sc["stages"]] == ["visitor", "lead", "opportunity", "won"]
    assert [s["owner"] for s in sc["stages"]] == [
        "marketing",
        "marketing",
        "inside_sales",
        "field_sales",
    ]
    assert all(s.get("label") for s in sc["stages"])
    for st in sc["stages"][:-1]:
        r = st["conversion"]
        assert r["low"] < r["base"] < r["high"]
    size = sc["deal"]["size"]
    assert size["low"] < size["base"] < size["high"]
    assert sc["deal"]["revenue"] == "subscription"
    assert sc["customers"]["opening_count"] > 0 and sc["customers"]["opening_mrr"] > 0
    plan = run_plan(parse_scenario(sc)).to_dict()
    assert plan["warnings"] == []
    assert abs(plan["totals"]["bookings"] - sc["target"]["total"]) < 1.0
    # the target is above what the last 12 months booked, but not wildly so
    assert 1e9 < sc["target"]["total"] < 1e11


def test_model_cli_accepts_the_shipped_file():
    out = subprocess.run(
        [sys.executable, "-m", "model", "plan", str(SAMPLE_SCENARIO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["months"]) == 12


def test_sample_database_has_all_tables(sample_con):
    counts = {
        t: sample_con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("stage_history", "stage_counts", "subscriptions", "marketing_spend")
    }
    assert counts["stage_history"] > 50_000
    assert all(n > 0 for n in counts.values())
