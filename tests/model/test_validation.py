"""Spec section 2, line by line: every invalid input its list names is rejected with an error
naming the field (and a code a page can word), the CLI exits 2 with ``error: <field>: <why>`` and
never a traceback, and a scenario that leaves fields out gets the defaults the spec lists."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from model import Customers, Deal, Recycle, ScenarioError, Target, parse_scenario
from model.cli import main
from model.scenario import parse_json

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


CAPACITY: dict[str, Any] = {
    "inside_sales": {"works": "lead", "per_head": 120, "heads": 8, "ramp_months": 2,
                     "hiring_months": 1, "attrition": 0.15, "cost_per_head": 800000},
    "field_sales": {"works": "opportunity", "basis": "stock", "per_head": 25, "heads": 10},
}  # fmt: skip
COSTS: dict[str, Any] = {"per_inflow": 40, "per_arrival": {"lead": 6000}, "fixed_monthly": 5e6}


def with_capacity(path: str, value: Any) -> dict[str, Any]:
    """A copy of VALID with section 8's ``capacity`` and ``costs`` (CAPACITY, COSTS) and one of
    their values replaced; path like 'capacity.inside_sales.per_head' or 'costs.per_inflow'."""
    data = copy.deepcopy(VALID) | {"capacity": CAPACITY, "costs": COSTS}
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
    node[last] = value
    return data


def json_text(path: str, literal: str) -> str:
    """VALID as JSON text with one value replaced by a literal Python's json reads but the spec
    does not allow (``NaN``, ``Infinity``, ``1e400``, an integer of 400 digits)."""
    mark = "@@literal@@"
    return json.dumps(mutate(path, mark)).replace(json.dumps(mark), literal)


def parse(data: dict[str, Any] | str) -> Any:
    """A scenario as the CLI reads it: JSON text through parse_json, then parse_scenario."""
    return parse_scenario(parse_json(data) if isinstance(data, str) else data)


# The bullet "Invalid input is rejected with a message naming the field: ..." of spec section 2,
# one entry per "; "-separated line (test_the_list_is_the_specs checks it against the spec).
RATE = "a rate outside [0, 1]"
SUM = "conversion + disqualify + recycle > 1 (sums compared with a 1e-12 tolerance)"
LAG = "a lag outside [0, 60]"
MONTHS = "months outside 1..120"
LENGTH = "a list of the wrong length"
STAGE_IN = "an unknown stage key, or the terminal stage, in `opening` or `recycle.reentry`"
DUPLICATE = "duplicate stage keys"
FEW = "fewer than two stages"
NEGATIVE = "a negative number"
RANGE = "a range with low > base or base > high"
NON_NUMBER = "a non-number (NaN and infinities included)"
WHOLE = (
    "a non-integer where a whole number is meant (`months`, `onboarding_months`, and in section 8 "
    "`ramp_months`, `hiring_months`)"
)
ENUM = "a value outside an enumeration (`deal.revenue`, `basis`)"
SPEC_LINES = (
    RATE, SUM, LAG, MONTHS, LENGTH, STAGE_IN, DUPLICATE, FEW, NEGATIVE, RANGE, NON_NUMBER, WHOLE,
    ENUM,
)  # fmt: skip

BIG_INT = "1" + "0" * 400  # a JSON integer no float holds
HUGE_INT = "9" * 5000  # past Python's 4300-digit limit for int() of a string

INVALID = [
    # (spec line, case, scenario (a dict, or JSON text as a file holds it), field, code)
    (RATE, "conversion above 1", mutate("stages.1.conversion", 1.2),
     "stages[lead].conversion", "rate_out_of_range"),
    (RATE, "disqualify below 0", mutate("stages.1.disqualify", -0.1),
     "stages[lead].disqualify", "rate_out_of_range"),
    (RATE, "recycle above 1", mutate("stages.0.recycle", 1.5),
     "stages[visitor].recycle", "rate_out_of_range"),
    (RATE, "reactivation above 1", mutate("recycle.reactivation", 1.5),
     "recycle.reactivation", "rate_out_of_range"),
    (RATE, "expiry below 0", mutate("recycle.expiry", -0.01),
     "recycle.expiry", "rate_out_of_range"),
    (RATE, "renewal rate above 1", mutate("customers.renewal_rate", 1.01),
     "customers.renewal_rate", "rate_out_of_range"),
    (RATE, "a range's end above 1",
     mutate("stages.1.conversion", {"low": 0.1, "base": 0.3, "high": 1.2}),
     "stages[lead].conversion.high", "rate_out_of_range"),
    (SUM, "rates add up to 1.05", mutate("stages.1.recycle", 0.65),
     "stages[lead].conversion", "rates_exceed_one"),
    (SUM, "rates add up to 1 + 2e-12, past the tolerance",
     mutate("stages.2.recycle", 0.75 + 2e-12),
     "stages[opportunity].conversion", "rates_exceed_one"),
    (SUM, "base values of ranges add up to 1.1",
     mutate("stages.1.conversion", {"low": 0.7, "base": 0.8, "high": 0.8}),
     "stages[lead].conversion", "rates_exceed_one"),
    (LAG, "lag above 60", mutate("stages.2.lag", 61), "stages[opportunity].lag",
     "lag_out_of_range"),
    (LAG, "lag 60.5", mutate("stages.2.lag", 60.5), "stages[opportunity].lag",
     "lag_out_of_range"),
    (LAG, "lag negative", mutate("stages.2.lag", -1), "stages[opportunity].lag",
     "lag_out_of_range"),
    (LAG, "a range's end above 60", mutate("stages.2.lag", {"low": 2, "base": 3, "high": 61}),
     "stages[opportunity].lag.high", "lag_out_of_range"),
    (MONTHS, "months 0", mutate("months", 0), "months", "bad_months"),
    (MONTHS, "months 121", mutate("months", 121), "months", "bad_months"),
    (MONTHS, "months negative", mutate("months", -12), "months", "bad_months"),
    (LENGTH, "inflow list too short", mutate("inflow", [100] * 11), "inflow", "wrong_length"),
    (LENGTH, "inflow list empty", mutate("inflow", []), "inflow", "wrong_length"),
    (LENGTH, "volume list too long", mutate("recycle.volume", [10] * 13), "recycle.volume",
     "wrong_length"),
    (LENGTH, "monthly target too short", mutate("target", {"metric": "wins", "monthly": [1] * 3}),
     "target.monthly", "wrong_length"),
    (LENGTH, "heads list too short", with_capacity("capacity.field_sales.heads", [10] * 11),
     "capacity.field_sales.heads", "wrong_length"),
    (LENGTH, "heads list too long", with_capacity("capacity.inside_sales.heads", [8] * 13),
     "capacity.inside_sales.heads", "wrong_length"),
    (STAGE_IN, "unknown stage in opening", mutate("opening.deal", 5), "opening.deal",
     "unknown_stage"),
    (STAGE_IN, "the terminal stage in opening", mutate("opening.won", 1), "opening.won",
     "opening_in_won"),
    (STAGE_IN, "unknown reentry", mutate("recycle.reentry", "mql"), "recycle.reentry",
     "unknown_stage"),
    (STAGE_IN, "the terminal stage as reentry", mutate("recycle.reentry", "won"),
     "recycle.reentry", "reentry_into_won"),
    (DUPLICATE, "duplicate keys", mutate("stages.2.key", "lead"), "stages[2].key",
     "duplicate_stage_key"),
    (FEW, "one stage", mutate("stages", [{"key": "lead", "conversion": 0.1}]), "stages",
     "too_few_stages"),
    (FEW, "no stages", mutate("stages", []), "stages", "too_few_stages"),
    (NEGATIVE, "negative inflow", mutate("inflow", -5), "inflow", "negative"),
    (NEGATIVE, "negative in an inflow list", mutate("inflow", [100] * 11 + [-1]), "inflow[11]",
     "negative"),
    (NEGATIVE, "negative opening stock", mutate("opening.lead", -1), "opening.lead", "negative"),
    (NEGATIVE, "negative pool opening", mutate("recycle.opening", -1), "recycle.opening",
     "negative"),
    (NEGATIVE, "negative volume", mutate("recycle.volume", -1), "recycle.volume", "negative"),
    (NEGATIVE, "negative in a volume list", mutate("recycle.volume", [-1] + [1] * 11),
     "recycle.volume[0]", "negative"),
    (NEGATIVE, "negative deal size", mutate("deal.size", -1), "deal.size", "negative"),
    (NEGATIVE, "negative onboarding", mutate("deal.onboarding_months", -1),
     "deal.onboarding_months", "negative"),
    (NEGATIVE, "negative customers", mutate("customers.opening_count", -1),
     "customers.opening_count", "negative"),
    (NEGATIVE, "negative MRR", mutate("customers.opening_mrr", -1), "customers.opening_mrr",
     "negative"),
    (NEGATIVE, "negative expansion", mutate("customers.expansion_rate", -0.1),
     "customers.expansion_rate", "negative"),
    (NEGATIVE, "negative total target", mutate("target", {"metric": "wins", "total": -5}),
     "target.total", "negative"),
    (NEGATIVE, "negative monthly target",
     mutate("target", {"metric": "wins", "monthly": [-1] + [1] * 11}),
     "target.monthly[0]", "negative"),
    (NEGATIVE, "a range's low end negative", mutate("deal.size", {"low": -1, "base": 1, "high": 2}),
     "deal.size.low", "negative"),
    (NEGATIVE, "negative heads", with_capacity("capacity.inside_sales.heads", -1),
     "capacity.inside_sales.heads", "negative"),
    (NEGATIVE, "negative in a heads list",
     with_capacity("capacity.field_sales.heads", [10] * 11 + [-1]),
     "capacity.field_sales.heads[11]", "negative"),
    (NEGATIVE, "negative ramp", with_capacity("capacity.inside_sales.ramp_months", -1),
     "capacity.inside_sales.ramp_months", "negative"),
    (NEGATIVE, "negative hiring time", with_capacity("capacity.inside_sales.hiring_months", -2),
     "capacity.inside_sales.hiring_months", "negative"),
    (NEGATIVE, "negative cost per head", with_capacity("capacity.inside_sales.cost_per_head", -1),
     "capacity.inside_sales.cost_per_head", "negative"),
    (NEGATIVE, "negative cost per inflow", with_capacity("costs.per_inflow", -40),
     "costs.per_inflow", "negative"),
    (NEGATIVE, "negative cost per arrival", with_capacity("costs.per_arrival.lead", -1),
     "costs.per_arrival.lead", "negative"),
    (NEGATIVE, "negative fixed cost", with_capacity("costs.fixed_monthly", -1),
     "costs.fixed_monthly", "negative"),
    (RANGE, "range low > base",
     mutate("stages.1.conversion", {"low": 0.4, "base": 0.3, "high": 0.5}),
     "stages[lead].conversion", "range_low_above_base"),
    (RANGE, "range base > high",
     mutate("stages.1.conversion", {"low": 0.1, "base": 0.3, "high": 0.2}),
     "stages[lead].conversion", "range_base_above_high"),
    (RANGE, "deal size range low > base", mutate("deal.size", {"low": 3, "base": 2, "high": 4}),
     "deal.size", "range_low_above_base"),
    (RANGE, "per_head range low > base",
     with_capacity("capacity.inside_sales.per_head", {"low": 130, "base": 120, "high": 150}),
     "capacity.inside_sales.per_head", "range_low_above_base"),
    (RANGE, "per_head range base > high",
     with_capacity("capacity.inside_sales.per_head", {"low": 100, "base": 120, "high": 110}),
     "capacity.inside_sales.per_head", "range_base_above_high"),
    (NON_NUMBER, "a string", mutate("stages.1.conversion", "30%"), "stages[lead].conversion",
     "not_a_number"),
    (NON_NUMBER, "a bool for a count", mutate("inflow", True), "inflow", "not_a_number"),
    (NON_NUMBER, "a bool for months", mutate("months", True), "months", "not_a_number"),
    (NON_NUMBER, "a bool for a rate", mutate("stages.1.conversion", False),
     "stages[lead].conversion", "not_a_number"),
    (NON_NUMBER, "null for a lag", mutate("stages.1.lag", None), "stages[lead].lag",
     "not_a_number"),
    (NON_NUMBER, "a list for a deal size", mutate("deal.size", [1]), "deal.size",
     "not_a_number"),
    (NON_NUMBER, "a string in an inflow list", mutate("inflow", ["5"] * 12), "inflow[0]",
     "not_a_number"),
    (NON_NUMBER, "NaN from Python", mutate("inflow", float("nan")), "inflow", "not_finite"),
    (NON_NUMBER, "NaN in JSON", json_text("months", "NaN"), "months", "not_finite"),
    (NON_NUMBER, "Infinity in JSON", json_text("stages.1.conversion", "Infinity"),
     "stages[lead].conversion", "not_finite"),
    (NON_NUMBER, "-Infinity in JSON", json_text("deal.size", "-Infinity"), "deal.size",
     "not_finite"),
    (NON_NUMBER, "1e400 in JSON", json_text("opening.lead", "1e400"), "opening.lead",
     "not_finite"),
    (NON_NUMBER, "NaN in a range in JSON",
     json_text("stages.2.lag", '{"low": NaN, "base": 2, "high": 3}'),
     "stages[opportunity].lag.low", "not_finite"),
    (NON_NUMBER, "NaN in a list in JSON", json_text("inflow", "[" + "1, " * 11 + "NaN]"),
     "inflow[11]", "not_finite"),
    (NON_NUMBER, "a 400-digit integer in JSON", json_text("inflow", BIG_INT), "inflow",
     "not_finite"),
    (NON_NUMBER, "a 5000-digit integer in JSON", json_text("deal.size", HUGE_INT), "deal.size",
     "not_finite"),
    (NON_NUMBER, "a 400-digit integer from Python", mutate("recycle.opening", int(BIG_INT)),
     "recycle.opening", "not_finite"),
    (NON_NUMBER, "a 400-digit integer for months", mutate("months", int(BIG_INT)), "months",
     "not_finite"),
    (NON_NUMBER, "a string for per_head", with_capacity("capacity.inside_sales.per_head", "120"),
     "capacity.inside_sales.per_head", "not_a_number"),
    (NON_NUMBER, "NaN for heads", with_capacity("capacity.inside_sales.heads", float("nan")),
     "capacity.inside_sales.heads", "not_finite"),
    (NON_NUMBER, "Infinity in a heads list in JSON",
     json.dumps(with_capacity("capacity.field_sales.heads", [10] * 11 + ["@@inf@@"])).replace(
         '"@@inf@@"', "Infinity"),
     "capacity.field_sales.heads[11]", "not_finite"),
    (NON_NUMBER, "null for attrition", with_capacity("capacity.inside_sales.attrition", None),
     "capacity.inside_sales.attrition", "not_a_number"),
    (NON_NUMBER, "a bool for a fixed cost", with_capacity("costs.fixed_monthly", True),
     "costs.fixed_monthly", "not_a_number"),
    (WHOLE, "months 12.5", mutate("months", 12.5), "months", "bad_months"),
    (WHOLE, "months 12.5 in JSON", json_text("months", "12.5"), "months", "bad_months"),
    (WHOLE, "onboarding 1.5", mutate("deal.onboarding_months", 1.5), "deal.onboarding_months",
     "not_whole"),
    (WHOLE, "ramp 1.5", with_capacity("capacity.inside_sales.ramp_months", 1.5),
     "capacity.inside_sales.ramp_months", "not_whole"),
    (WHOLE, "hiring 0.5", with_capacity("capacity.inside_sales.hiring_months", 0.5),
     "capacity.inside_sales.hiring_months", "not_whole"),
    (WHOLE, "hiring 2.5 in JSON",
     json.dumps(with_capacity("capacity.field_sales.hiring_months", 2)).replace(
         '"hiring_months": 2', '"hiring_months": 2.5'),
     "capacity.field_sales.hiring_months", "not_whole"),
    (ENUM, "unknown revenue kind", mutate("deal.revenue", "monthly"), "deal.revenue",
     "unknown_revenue_kind"),
    (ENUM, "revenue kind a bool", mutate("deal.revenue", True), "deal.revenue",
     "unknown_revenue_kind"),
    (ENUM, "unknown target metric", mutate("target", {"metric": "leads", "total": 5}),
     "target.metric", "unknown_metric"),
    (ENUM, "unknown owner", mutate("stages.0.owner", "sales_ops"), "stages[visitor].owner",
     "unknown_owner"),
    (ENUM, "unknown basis", with_capacity("capacity.field_sales.basis", "flow"),
     "capacity.field_sales.basis", "unknown_basis"),
    (ENUM, "basis a bool", with_capacity("capacity.inside_sales.basis", True),
     "capacity.inside_sales.basis", "unknown_basis"),
]  # fmt: skip
IDS = [c[1] for c in INVALID]


def spec_invalid_list(spec: str) -> list[str]:
    """The lines of section 2's bullet "Invalid input is rejected with a message naming the
    field: ...", as written."""
    section = spec[spec.index("## 2. Scenario") : spec.index("## 3. ")]
    lead = "Invalid input is rejected with a message naming the field:"
    bullet = section[section.index(lead) + len(lead) :].split("\n- ")[0]
    return " ".join(bullet.split()).rstrip(".").split("; ")


@pytest.mark.shared
def test_the_list_is_the_specs(shared_dir: Path) -> None:
    """SPEC_LINES is section 2's list as the spec words it today, and every line has a case: a
    line added to the spec fails here until it has its cases."""
    spec = (shared_dir / "spec" / "revenue-model.md").read_text("utf-8")
    assert spec_invalid_list(spec) == list(SPEC_LINES)
    assert {c[0] for c in INVALID} == set(SPEC_LINES)


@pytest.mark.parametrize("line,case,data,field,code", INVALID, ids=IDS)
def test_invalid_input_is_rejected_naming_the_field(
    line: str, case: str, data: dict | str, field: str, code: str
) -> None:
    with pytest.raises(ScenarioError) as err:
        parse(data)
    assert (err.value.field, err.value.code) == (field, code)
    assert str(err.value) == f"{field}: {err.value.reason}"


@pytest.mark.parametrize("line,case,data,field,code", INVALID, ids=IDS)
def test_cli_exits_2_with_the_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    line: str,
    case: str,
    data: dict | str,
    field: str,
    code: str,
) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    assert main(["plan", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {field}: ") and err.count("\n") == 1
    assert "Traceback" not in err


# ----- what the spec allows: the edges of each rule ----------------------------------------------
VALID_EDGES = [
    # (case, scenario, what it parses to: a function of the Scenario that must be true)
    ("months 12.0 is the whole number 12", mutate("months", 12.0),
     lambda s: s.months == 12 and type(s.months) is int),
    ("months 1", mutate("months", 1), lambda s: s.months == 1),
    ("months 120", mutate("months", 120), lambda s: s.months == 120),
    ("onboarding 2.0 is the whole number 2", mutate("deal.onboarding_months", 2.0),
     lambda s: s.deal.onboarding_months == 2 and type(s.deal.onboarding_months) is int),
    ("lag 0 and 60", mutate("stages.2.lag", {"low": 0, "base": 0, "high": 60}),
     lambda s: s.stage("opportunity").lag.high == 60),
    ("rates 0 and 1", mutate("stages.0.conversion", 1), lambda s: s.stages[0].conversion == 1),
    ("rates adding up to 1 in floating point (0.7 + 0.2 + 0.1)",
     mutate("stages.1", {"key": "lead", "conversion": 0.7, "disqualify": 0.2, "recycle": 0.1}),
     lambda s: s.stage("lead").conversion == 0.7),
    ("rates adding up to 1 + 5e-13, within the tolerance",
     mutate("stages.2.recycle", 0.75 + 5e-13), lambda s: s.stage("opportunity").recycle > 0.75),
    ("a range with low = base = high", mutate("deal.size", {"low": 5, "base": 5, "high": 5}),
     lambda s: s.deal.size.low == s.deal.size.high == 5),
    ("zero everywhere a number may not be negative",
     mutate("deal", {"size": 0, "onboarding_months": 0}), lambda s: s.deal.size == 0),
    ("a lag of 2.5 months (a real number)", mutate("stages.2.lag", 2.5),
     lambda s: s.stage("opportunity").lag == 2.5),
    ("subscription", mutate("deal.revenue", "subscription"),
     lambda s: s.deal.revenue == "subscription"),
    ("ramp 2.0 and hiring 0 are whole numbers",
     with_capacity("capacity.inside_sales.ramp_months", 2.0),
     lambda s: dict(s.capacity)["inside_sales"].ramp_months == 2
     and type(dict(s.capacity)["inside_sales"].ramp_months) is int),
    ("basis stock and arrivals", with_capacity("capacity.inside_sales.basis", "stock"),
     lambda s: [c.basis for _, c in s.capacity] == ["stock", "stock"]),
    ("heads 0 and attrition 0", with_capacity("capacity.inside_sales.heads", 0),
     lambda s: dict(s.capacity)["inside_sales"].heads == 0),
]  # fmt: skip


def test_section_8_defaults() -> None:
    """``basis`` arrivals, ``heads`` 0, ``ramp_months``, ``hiring_months``, ``attrition`` and
    ``cost_per_head`` 0; costs 0 with no per-arrival cost."""
    data = copy.deepcopy(VALID) | {
        "capacity": {"marketing": {"works": "visitor", "per_head": 1000}}, "costs": {}
    }  # fmt: skip
    s = parse_scenario(data)
    ((division, cap),) = s.capacity
    assert division == "marketing"
    assert (cap.basis, cap.heads, cap.ramp_months, cap.hiring_months) == ("arrivals", 0, 0, 0)
    assert (cap.attrition, cap.cost_per_head) == (0, 0)
    assert s.costs is not None
    assert (s.costs.per_inflow, s.costs.per_arrival, s.costs.fixed_monthly) == (0, (), 0)
    assert parse_scenario(VALID).capacity is None and parse_scenario(VALID).costs is None


@pytest.mark.parametrize("case,data,check", VALID_EDGES, ids=[c[0] for c in VALID_EDGES])
def test_the_edges_of_each_rule_are_valid(case: str, data: dict, check: Any) -> None:
    assert check(parse_scenario(data))


def test_months_12_0_in_a_file_plans_12_months(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(VALID).replace('"months": 12', '"months": 12.0'))
    assert '"months": 12.0' in path.read_text()
    assert main(["plan", str(path)]) == 0
    assert len(json.loads(capsys.readouterr().out)["months"]) == 12


def test_free_form_top_level_fields_are_accepted_and_ignored() -> None:
    """``notes``, ``source`` (a baseline's provenance) and ``description`` may hold anything; the
    model reads none of them. Any other unknown field is still a mistake (a misspelt
    ``months``)."""
    data = copy.deepcopy(VALID)
    data["notes"] = "FY27 draft; agreed with sales on 2026-11-02"
    data["source"] = {"baseline": {"window": ["2025-10", "2026-09"], "stale_after": [3, 4]},
                      "database": "funnel.duckdb", "estimated": None}  # fmt: skip
    data["description"] = ["any", {"json": 1}]
    assert parse_scenario(data) == parse_scenario(VALID)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(mutate("horizon", 12))
    assert (err.value.field, err.value.code) == ("horizon", "unknown_field")


# ----- the defaults (spec section 2: "The defaults are: ...") ------------------------------------
MINIMAL: dict[str, Any] = {
    "start": "2027-04",
    "stages": [
        {"key": "lead", "conversion": 0.3},
        {"key": "opportunity", "conversion": 0.25},
        {"key": "won"},
    ],
}


def test_a_minimal_scenario_gets_every_default() -> None:
    s = parse_scenario(MINIMAL)
    assert s.months == 12 and type(s.months) is int
    assert s.currency == "JPY"
    assert [st.opening for st in s.stages] == [0, 0, 0]  # opening {}
    # recycle none: no pool, nothing reactivated; reactivated items would re-enter the 2nd stage
    assert s.recycle == Recycle(reentry="opportunity", reactivation=0, expiry=0, opening=0)
    assert s.recycle.volume is None
    assert s.deal == Deal(size=0, revenue="one_time", onboarding_months=0)
    assert s.customers == Customers(
        opening_count=0, opening_mrr=0, renewal_rate=1, expansion_rate=0
    )
    assert s.inflow == 0 and s.inflow_base() == (0.0,) * 12
    assert s.target is None
    for st in s.stages[:-1]:  # disqualify, recycle and lag default to 0
        assert (st.disqualify, st.recycle, st.lag) == (0, 0, 0)
    assert s.stages[-1].terminal


def test_explicit_defaults_and_nulls_give_the_same_scenario() -> None:
    explicit = copy.deepcopy(MINIMAL) | {
        "months": 12, "currency": "JPY", "opening": {}, "inflow": 0,
        "deal": {"size": 0, "revenue": "one_time", "onboarding_months": 0},
        "customers": {"opening_count": 0, "opening_mrr": 0, "renewal_rate": 1,
                      "expansion_rate": 0},
    }  # fmt: skip
    nulls = copy.deepcopy(MINIMAL) | {"opening": None, "recycle": None, "target": None}
    assert parse_scenario(explicit) == parse_scenario(nulls) == parse_scenario(MINIMAL)


def test_the_reentry_stage_defaults_to_the_second_or_the_first_of_two() -> None:
    assert parse_scenario(MINIMAL).recycle.reentry == "opportunity"
    two = copy.deepcopy(MINIMAL)
    del two["stages"][1]
    assert parse_scenario(two).recycle.reentry == "lead"


def test_a_target_metric_defaults_to_bookings() -> None:
    data = copy.deepcopy(MINIMAL) | {"deal": {"size": 1000}, "target": {"total": 5000}}
    assert parse_scenario(data).target == Target("bookings", total=5000)


def test_start_has_no_default() -> None:
    data = copy.deepcopy(MINIMAL)
    del data["start"]
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert (err.value.field, err.value.code) == ("start", "start_required")


def test_a_minimal_scenario_plans() -> None:
    """The defaults make a plan: no inflow, no pipeline, so nothing is won."""
    from model import run_plan

    plan = run_plan(parse_scenario(MINIMAL))
    assert plan.to_dict()["totals"] == {"inflow": 0, "wins": 0, "bookings": 0, "revenue": 0}


# ----- the CLI as a process: never a traceback ----------------------------------------------------
@pytest.mark.parametrize(
    "text,stderr",
    [
        (json_text("months", "NaN"), "error: months: must be a finite number, got NaN"),
        (json_text("inflow", "Infinity"), "error: inflow: must be a finite number, got Infinity"),
        (json_text("months", "true"), "error: months: must be a number, got true"),
        (json_text("months", "12.5"),
         "error: months: must be a whole number from 1 to 120, got 12.5"),
        (json_text("deal.size", HUGE_INT),
         "error: deal.size: must be a finite number, got Infinity"),
        ("[" * 100_000, "error: (file): (stdin) is nested too deeply to read"),
    ],
    ids=["NaN", "Infinity", "bool", "12.5", "5000 digits", "deeply nested"],
)  # fmt: skip
def test_a_real_process_says_why_without_a_traceback(text: str, stderr: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "model", "plan", "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", stderr + "\n")


def test_valid_base_scenario_parses_and_plans(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(VALID))
    assert main(["plan", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["inflow"] == 5000 * 12


@pytest.mark.parametrize(
    "text,needle",
    [
        ("{not json", "not valid JSON"),
        (json_text("months", "NaN"), "months: must be a finite"),
        ("[1, 2]", "JSON object"),
    ],
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
