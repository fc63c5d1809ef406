"""Every invalid case of spec section 2 is rejected with a message naming the field, and the CLI
exits 2 with ``error: ...`` on stderr, never a traceback."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from model import ScenarioError, parse_scenario
from model.cli import main

ROOT = Path(__file__).resolve().parents[2]

VALID: dict[str, Any] = {
    "schema": 1,
    "name": "valid",
    "start": "2027-04",
    "months": 12,
    "stages": [
        {"key": "visitor", "owner": "marketing", "conversion": 0.02},
        {"key": "lead", "owner": "marketing", "conversion": 0.3, "disqualify": 0.1,
         "recycle": 0.2, "lag": 1},
        {"key": "opportunity", "owner": "inside_sales", "conversion": 0.25, "lag": 2.5},
        {"key": "won", "owner": "field_sales"},
    ],
    "opening": {"lead": 300},
    "recycle": {"reentry": "lead", "reactivation": 0.1, "expiry": 0.02, "opening": 500},
    "deal": {"size": 1200000},
    "inflow": 5000,
}  # fmt: skip


def mutate(path: str, value: Any) -> dict[str, Any]:
    """A copy of VALID with one value replaced; path like 'stages.1.conversion'."""
    data = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    node: Any = data
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


INVALID = [
    # (case, scenario, the field the message must name)
    ("rate above 1", mutate("stages.1.conversion", 1.2), "stages[lead].conversion"),
    ("rate below 0", mutate("stages.1.disqualify", -0.1), "stages[lead].disqualify"),
    ("recycle rate above 1", mutate("recycle.reactivation", 1.5), "recycle.reactivation"),
    ("renewal rate above 1", mutate("customers.renewal_rate", 1.01), "customers.renewal_rate"),
    ("rates sum above 1", mutate("stages.1.recycle", 0.65), "stages[lead].conversion"),
    ("lag above 60", mutate("stages.2.lag", 61), "stages[opportunity].lag"),
    ("lag negative", mutate("stages.2.lag", -1), "stages[opportunity].lag"),
    ("months 0", mutate("months", 0), "months"),
    ("months 121", mutate("months", 121), "months"),
    ("months fractional", mutate("months", 12.5), "months"),
    ("inflow list too short", mutate("inflow", [100] * 11), "inflow"),
    ("volume list too long", mutate("recycle.volume", [10] * 13), "recycle.volume"),
    ("monthly target wrong length",
     mutate("target", {"metric": "wins", "monthly": [1] * 3}), "target.monthly"),
    ("unknown stage in opening", mutate("opening.deal", 5), "opening.deal"),
    ("unknown reentry", mutate("recycle.reentry", "mql"), "recycle.reentry"),
    ("duplicate keys", mutate("stages.2.key", "lead"), "stages[2].key"),
    ("one stage", mutate("stages", [{"key": "lead", "conversion": 0.1}]), "stages"),
    ("negative inflow", mutate("inflow", -5), "inflow"),
    ("negative opening", mutate("opening.lead", -1), "opening.lead"),
    ("negative deal size", mutate("deal.size", -1), "deal.size"),
    ("negative in a list", mutate("inflow", [100] * 11 + [-1]), "inflow[11]"),
    ("range low > base",
     mutate("stages.1.conversion", {"low": 0.4, "base": 0.3, "high": 0.5}),
     "stages[lead].conversion"),
    ("range base > high",
     mutate("stages.1.conversion", {"low": 0.1, "base": 0.3, "high": 0.2}),
     "stages[lead].conversion"),
    ("range missing a key", mutate("deal.size", {"low": 1, "base": 2}), "deal.size"),
    ("range value out of bounds",
     mutate("stages.1.conversion", {"low": 0.1, "base": 0.3, "high": 1.2}),
     "stages[lead].conversion.high"),
    ("non-number string", mutate("stages.1.conversion", "30%"), "stages[lead].conversion"),
    ("non-number bool", mutate("inflow", True), "inflow"),
    ("non-number null rate", mutate("stages.1.lag", None), "stages[lead].lag"),
    ("revenue monthly target",
     mutate("target", {"metric": "revenue", "monthly": 1e6}), "target.metric"),
    ("unknown target metric", mutate("target", {"metric": "leads", "total": 5}), "target.metric"),
    ("bad start month", mutate("start", "2027-13"), "start"),
    ("unknown owner", mutate("stages.0.owner", "sales_ops"), "stages[visitor].owner"),
    ("terminal stage with a rate", mutate("stages.3.conversion", 0.5), "stages[won].conversion"),
    ("misspelt field", mutate("stages.1.convertion", 0.3), "stages[lead].convertion"),
]  # fmt: skip


@pytest.mark.parametrize("case,data,field", INVALID, ids=[c[0] for c in INVALID])
def test_invalid_scenario_names_the_field(case: str, data: dict, field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")


@pytest.mark.parametrize("case,data,field", INVALID, ids=[c[0] for c in INVALID])
def test_cli_exits_2_with_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, data: dict, field: str
) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    assert main(["plan", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {field}: ")
    assert "Traceback" not in err


def test_valid_base_scenario_parses_and_plans(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(VALID))
    assert main(["plan", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["inflow"] == 5000 * 12


@pytest.mark.parametrize(
    "text,needle",
    [("{not json", "not valid JSON"), ('{"months": NaN}', "NaN"), ("[1, 2]", "JSON object")],
)
def test_broken_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and needle in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "/nonexistent/scenario.json"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_infeasible_target_is_rejected_naming_the_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = mutate("stages.2.conversion", 0.0)
    data["target"] = {"metric": "bookings", "total": 1e8}
    with pytest.raises(ScenarioError) as err:
        __import__("model").run_plan(parse_scenario(data))
    assert err.value.field == "target"
    path = tmp_path / "infeasible.json"
    path.write_text(json.dumps(data))
    assert main(["plan", str(path)]) == 2


def test_lags_longer_than_the_horizon_make_a_total_target_infeasible() -> None:
    data = mutate("months", 2)
    data["stages"][2]["lag"] = 5
    data["target"] = {"metric": "wins", "total": 10}
    with pytest.raises(ScenarioError, match="cannot be reached"):
        __import__("model").run_plan(parse_scenario(data))


def test_a_real_process_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(mutate("stages.1.conversion", 1.2)))
    proc = subprocess.run(
        [sys.executable, "-m", "model", "plan", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == (
        "error: stages[lead].conversion: must be a rate between 0 and 1, got 1.2"
    )


def test_usage_errors_do_not_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["plan"])
    assert exc.value.code != 2


def test_opening_already_meets_target_warns() -> None:
    data = copy.deepcopy(VALID)
    data["target"] = {"metric": "wins", "total": 0.5}
    data["opening"] = {"opportunity": 100}
    from model import run_plan

    plan = run_plan(parse_scenario(data))
    assert plan.inflow.sum() == 0
    assert any("already meet the target" in w for w in plan.warnings)


def test_json_round_trip_of_a_ranged_scenario() -> None:
    data = mutate("stages.1.conversion", {"low": 0.2, "base": 0.3, "high": 0.35})
    data["divisions"] = {"marketing": {"handoff": "MQL when score >= 60"}}
    s = parse_scenario(data)
    assert parse_scenario(json.loads(json.dumps(s.to_json()))) == s
    assert s.handoff("marketing") == "MQL when score >= 60"
