"""Every place the model raises a ScenarioError, triggered by a real invalid scenario (or call),
with the English text it says: the CLI prints ``error: field: reason`` and scripts read it, so
the text must not change when the errors gain codes for translation."""

from __future__ import annotations

import ast
import copy
import json
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from model import ScenarioError, parse_scenario, reference, run_plan
from model.cli import main
from model.limits import dump_json
from model.scenario import load_scenario, month_labels, parse_json
from model.uncertainty import bands, monte_carlo
from tests.model.test_bridge import ERROR_CASES as BRIDGE_ERRORS
from tests.model.test_seek import ERROR_CASES as SEEK_ERRORS
from tests.model.test_validation import VALID, json_text, mutate, with_capacity


def without(path: str) -> dict[str, Any]:
    """A copy of VALID with one key removed; path like 'stages.1.conversion'."""
    data = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    node: Any = data
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node[p]
    del node[last]
    return data


def with_target(path: str, value: Any, target: dict[str, Any]) -> dict[str, Any]:
    data = mutate(path, value)
    data["target"] = target
    return data


# new inflow reaches a win only through the recycle pool, which reactivates 1 item a month
CAPPED: dict[str, Any] = {
    "schema": 1,
    "start": "2027-04",
    "months": 12,
    "stages": [
        {"key": "lead", "conversion": 0.0, "recycle": 0.5},
        {"key": "opportunity", "conversion": 0.5},
        {"key": "won"},
    ],
    "recycle": {"reentry": "opportunity", "reactivation": 0.5, "volume": 1},
    "target": {"metric": "wins", "total": 1000},
}
NO_PATH_TOTAL = with_target("stages.2.conversion", 0.0, {"metric": "bookings", "total": 1e8})
NO_PATH_MONTHLY = with_target("stages.2.conversion", 0.0, {"metric": "wins", "monthly": 5})


LATIN1 = Path(tempfile.gettempdir()) / "the-model-scenario-latin1.json"


def load_latin1() -> object:
    LATIN1.write_bytes(b'{"name": "\xe9"}')
    return load_scenario(LATIN1)


def parsing(data: Any) -> Callable[[], object]:
    return lambda: parse_scenario(data)


def planning(data: Any) -> Callable[[], object]:
    return lambda: run_plan(parse_scenario(data))


CASES: list[tuple[str, Callable[[], object], str]] = [
    # (case, what raises, the exact str(exc): field, ": ", reason)
    # numbers
    ("not a number", parsing(mutate("stages.1.conversion", "30%")),
     "stages[lead].conversion: must be a number, got '30%'"),
    ("not finite", parsing(mutate("inflow", float("inf"))),
     "inflow: must be a finite number, got Infinity"),
    ("negative", parsing(mutate("deal.size", -1)), "deal.size: must not be negative, got -1"),
    ("rate above 1", parsing(mutate("stages.1.conversion", 1.2)),
     "stages[lead].conversion: must be a rate between 0 and 1, got 1.2"),
    ("lag above 60", parsing(mutate("stages.2.lag", 61)),
     "stages[opportunity].lag: must be between 0 and 60 months, got 61"),
    ("months 0", parsing(mutate("months", 0)),
     "months: must be a whole number from 1 to 120, got 0"),
    ("months fractional", parsing(mutate("months", 12.5)),
     "months: must be a whole number from 1 to 120, got 12.5"),
    ("onboarding above 60", parsing(mutate("deal.onboarding_months", 61)),
     "deal.onboarding_months: must be between 0 and 60, got 61"),
    ("onboarding fractional", parsing(mutate("deal.onboarding_months", 1.5)),
     "deal.onboarding_months: must be a whole number, got 1.5"),
    ("expansion above 10", parsing(mutate("customers.expansion_rate", 11)),
     "customers.expansion_rate: must be between 0 and 10, got 11"),
    ("onboarding negative", parsing(mutate("deal.onboarding_months", -1)),
     "deal.onboarding_months: must not be negative, got -1"),
    ("an integer beyond any float", parsing(mutate("inflow", 10**400)),
     "inflow: must be a finite number, got Infinity"),
    ("negative in a list", parsing(mutate("inflow", [100] * 11 + [-1])),
     "inflow[11]: must not be negative, got -1"),
    # ranges
    ("range missing and unknown keys",
     parsing(mutate("deal.size", {"low": 1, "base": 2, "mid": 3})),
     "deal.size: a range needs exactly low, base and high (missing high; unknown mid)"),
    ("range unknown key",
     parsing(mutate("deal.size", {"low": 1, "base": 2, "high": 3, "mid": 3})),
     "deal.size: a range needs exactly low, base and high (unknown mid)"),
    ("range low > base",
     parsing(mutate("stages.1.conversion", {"low": 0.4, "base": 0.3, "high": 0.5})),
     "stages[lead].conversion: range must have low <= base, got low 0.4 > base 0.3"),
    ("range base > high",
     parsing(mutate("stages.1.conversion", {"low": 0.1, "base": 0.3, "high": 0.2})),
     "stages[lead].conversion: range must have base <= high, got base 0.3 > high 0.2"),
    ("range end out of bounds",
     parsing(mutate("stages.1.conversion", {"low": 0.1, "base": 0.3, "high": 1.2})),
     "stages[lead].conversion.high: must be a rate between 0 and 1, got 1.2"),
    ("range for a monthly target",
     parsing(mutate("target", {"metric": "wins", "monthly": {"low": 1, "base": 2, "high": 3}})),
     "target.monthly: must be a number or a list, not a range"),
    ("range for a total target",
     parsing(mutate("target", {"metric": "wins", "total": {"low": 1, "base": 2, "high": 3}})),
     "target.total: must be a number, not a range"),
    # lists and objects
    ("inflow list too short", parsing(mutate("inflow", [100] * 11)),
     "inflow: must have 12 values (one per month), got 11"),
    ("not an object", parsing(mutate("deal", 5)), "deal: must be an object, got 5"),
    ("misspelt field", parsing(mutate("stages.1.convertion", 0.3)),
     "stages[lead].convertion: unknown field (allowed: conversion, disqualify, key, label, lag, "
     "owner, recycle)"),
    ("unknown top-level field", parsing(mutate("horizon", 12)),
     "horizon: unknown field (allowed: capacity, costs, currency, customers, deal, description, "
     "divisions, inflow, months, name, notes, opening, recycle, schema, source, stages, start, "
     "target)"),
    ("scenario not an object", parsing([1, 2]), "(scenario): must be a JSON object, got [1, 2]"),
    # stages
    ("stages not a list", parsing(mutate("stages", "abc")),
     "stages: must be a list of stages, got 'abc'"),
    ("one stage", parsing(mutate("stages", [{"key": "lead", "conversion": 0.1}])),
     "stages: needs at least two stages, got 1"),
    ("stage not an object", parsing(mutate("stages.1", 5)),
     "stages[1]: must be an object, got 5"),
    ("empty stage key", parsing(mutate("stages.1.key", "")),
     "stages[1].key: must be a non-empty text, got ''"),
    ("duplicate keys", parsing(mutate("stages.2.key", "lead")),
     "stages[2].key: duplicate stage key 'lead'"),
    ("label not text", parsing(mutate("stages.1.label", 5)),
     "stages[lead].label: must be text, got 5"),
    ("unknown owner", parsing(mutate("stages.0.owner", "sales_ops")),
     "stages[visitor].owner: must be one of marketing, inside_sales, field_sales, "
     "customer_success, got 'sales_ops'"),
    ("terminal stage with a rate", parsing(mutate("stages.3.conversion", 0.5)),
     "stages[won].conversion: the last (terminal, won) stage has no rates or lag"),
    ("conversion missing", parsing(without("stages.1.conversion")),
     "stages[lead].conversion: is required for every non-terminal stage"),
    ("rates sum above 1", parsing(mutate("stages.1.recycle", 0.65)),
     "stages[lead].conversion: conversion + disqualify + recycle = 1.05 exceeds 1"),
    ("rates sum above 1 at the high ends",
     parsing(mutate("stages.1.conversion", {"low": 0.3, "base": 0.3, "high": 0.8})),
     "stages[lead].conversion: conversion + disqualify + recycle reaches 1.1 > 1 at the high "
     "ends of their ranges"),
    ("unknown stage in a what-if",
     lambda: parse_scenario(VALID).with_stage("deal", conversion=0.1),
     "stages: unknown stage 'deal'"),
    # top-level fields
    ("schema 2", parsing(mutate("schema", 2)), "schema: only schema 1 is supported, got 2"),
    ("name not text", parsing(mutate("name", 5)), "name: must be text, got 5"),
    ("bad currency", parsing(mutate("currency", "yen")),
     "currency: must be a 3-letter code such as JPY, got 'yen'"),
    ("start missing", parsing(without("start")),
     "start: is required: the first month, written YYYY-MM"),
    ("bad start month", parsing(mutate("start", "2027-13")),
     "start: must be a month written YYYY-MM, got '2027-13'"),
    ("bad start for month labels", lambda: month_labels("April", 12),
     "start: must be a month written YYYY-MM, got 'April'"),
    # opening and recycle
    ("unknown stage in opening", parsing(mutate("opening.deal", 5)),
     "opening.deal: unknown stage 'deal' (stages are: visitor, lead, opportunity, won)"),
    ("opening in the won stage", parsing(mutate("opening.won", 1)),
     "opening.won: the terminal (won) stage holds no stock"),
    ("unknown reentry", parsing(mutate("recycle.reentry", "mql")),
     "recycle.reentry: unknown stage 'mql' (stages are: visitor, lead, opportunity, won)"),
    ("reentry into won", parsing(mutate("recycle.reentry", "won")),
     "recycle.reentry: reactivated items cannot re-enter the won stage"),
    # deal, divisions, target
    ("unknown revenue kind", parsing(mutate("deal.revenue", "monthly")),
     "deal.revenue: must be 'one_time' or 'subscription', got 'monthly'"),
    ("unknown division", parsing(mutate("divisions", {"sales_ops": {"handoff": "x"}})),
     "divisions.sales_ops: unknown division (divisions are: marketing, inside_sales, "
     "field_sales, customer_success)"),
    ("handoff not text", parsing(mutate("divisions", {"marketing": {"handoff": 5}})),
     "divisions.marketing.handoff: must be text, got 5"),
    ("unknown target metric", parsing(mutate("target", {"metric": "leads", "total": 5})),
     "target.metric: must be one of wins, bookings, revenue, got 'leads'"),
    ("total and monthly", parsing(mutate("target", {"metric": "wins", "total": 5, "monthly": 1})),
     "target: give exactly one of 'total' or 'monthly'"),
    ("no deal size for a bookings target",
     parsing(with_target("deal.size", 0, {"metric": "bookings", "total": 5})),
     "deal.size: must be positive for a bookings target"),
    ("revenue monthly target", parsing(mutate("target", {"metric": "revenue", "monthly": 1e6})),
     "target.metric: a monthly target takes wins or bookings; revenue is only a total target"),
    # files and JSON text
    ("missing file", lambda: load_scenario("/nonexistent/scenario.json"),
     "(file): cannot read /nonexistent/scenario.json: No such file or directory"),
    ("broken JSON", lambda: parse_json("{not json"),
     "(file): (scenario) is not valid JSON: Expecting property name enclosed in double quotes "
     "at line 1 column 2"),
    ("NaN in a JSON file", lambda: parse_scenario(parse_json(json_text("months", "NaN"))),
     "months: must be a finite number, got NaN"),
    ("JSON nested too deeply", lambda: parse_json("[" * 100_000),
     "(file): (scenario) is nested too deeply to read"),
    # limits (model/limits.py), checked before any work
    ("too many stages", parsing(mutate("stages", [{"key": f"s{i}", "conversion": 0.5}
                                                  for i in range(12)] + [{"key": "won"}])),
     "stages: has at most 12 stages, got 13"),
    ("nested deeper than the limit", parsing(mutate("notes", json.loads("[" * 40 + "]" * 40))),
     "notes" + "[0]" * 31 + ": is nested more than 32 levels deep"),
    ("text too long", parsing(mutate("description", "x" * 10_001)),
     "description: is 10,001 characters long, more than the limit of 10,000"),
    ("stage label too long", parsing(mutate("stages.1.label", "x" * 201)),
     "stages[lead].label: is 201 characters long, more than the limit of 200"),
    ("too many values", parsing(mutate("notes", [0] * 20_000)),
     "(scenario): has more than 20,000 values"),
    ("JSON text too large", lambda: parse_json(" " * 1_000_001),
     "(file): (scenario) is too large: 1,000,001 bytes, the limit is 1,000,000"),
    ("object too large", parsing(mutate("notes", ["x" * 9_000] * 200)),
     "(scenario): is too large: more than 1,000,000 bytes of JSON"),
    ("number above the limit", parsing(mutate("deal.size", 1e308)),
     "deal.size: must be at most 1e+18, got 1e+308"),
    ("result not finite", lambda: dump_json({"bookings": [float("inf")]}),
     "(scenario): the result overflows: a number in it is beyond any float; use smaller amounts"),
    ("file not UTF-8", load_latin1, f"(file): {LATIN1} is not UTF-8 text"),
    # infeasible targets (model.plan, and the reference the engine is tested against)
    ("no path to the total target", planning(NO_PATH_TOTAL),
     "target: cannot be reached by any inflow: no new inflow reaches a bookings within the "
     "horizon (a conversion of 0 on the path, or lags longer than the horizon)"),
    ("total target above the recycle cap", planning(CAPPED),
     "target: cannot be reached by any inflow: the wins reachable within the horizon level off "
     "below the target (new inflow reaches it only through the recycle pool, whose monthly "
     "volume is capped)"),
    ("no path to the monthly target", planning(NO_PATH_MONTHLY),
     "target: cannot be reached by any inflow: new inflow does not reach a win within the "
     "horizon and lead time (a conversion of 0 on the path)"),
    ("reference: no path", lambda: reference.reverse_total(parse_scenario(NO_PATH_TOTAL)),
     "target: infeasible"),
    ("reference: above the recycle cap", lambda: reference.reverse_total(parse_scenario(CAPPED)),
     "target: unreachable: the metric levels off below the target"),
    # Monte Carlo
    ("no draws", lambda: monte_carlo(parse_scenario(VALID), draws=0),
     "draws: must be between 1 and 100,000, got 0"),
    # capacity (spec section 8)
    ("per_head 0", parsing(with_capacity("capacity.inside_sales.per_head", 0)),
     "capacity.inside_sales.per_head: must be above zero, got 0"),
    ("works missing", parsing(with_capacity("capacity.marketing", {"per_head": 5})),
     "capacity.marketing.works: is required: a non-terminal stage (visitor, lead, opportunity) "
     "or 'customers'"),
    ("per_head missing", parsing(with_capacity("capacity.marketing", {"works": "visitor"})),
     "capacity.marketing.per_head: is required: the workload one productive head handles per "
     "month"),
    ("works unknown", parsing(with_capacity("capacity.inside_sales.works", "mql")),
     "capacity.inside_sales.works: must be a non-terminal stage (visitor, lead, opportunity) or "
     "'customers', got 'mql'"),
    ("works the terminal stage", parsing(with_capacity("capacity.field_sales.works", "won")),
     "capacity.field_sales.works: the terminal (won) stage 'won' is no workload: give a "
     "non-terminal stage or 'customers'"),
    ("basis unknown", parsing(with_capacity("capacity.field_sales.basis", "flow")),
     "capacity.field_sales.basis: must be 'arrivals' or 'stock', got 'flow'"),
    ("attrition 1", parsing(with_capacity("capacity.inside_sales.attrition", 1)),
     "capacity.inside_sales.attrition: must be an annual share from 0 up to (not including) 1, "
     "got 1"),
]  # fmt: skip
CASES += [(case, trigger, text) for case, trigger, text, _ in BRIDGE_ERRORS + SEEK_ERRORS]


def raised(case: str) -> ScenarioError:
    """The error a case raises."""
    (trigger,) = [c[1] for c in CASES if c[0] == case]
    with pytest.raises(ScenarioError) as err:
        trigger()
    return err.value


@pytest.mark.parametrize("case,trigger,text", CASES, ids=[c[0] for c in CASES])
def test_each_error_keeps_its_english_text(case: str, trigger: Callable, text: str) -> None:
    with pytest.raises(ScenarioError) as err:
        trigger()
    exc = err.value
    assert str(exc) == text
    assert f"{exc.field}: {exc.reason}" == text


def test_files_that_are_not_utf8_keep_their_english_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "\xe9"}')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value) == f"(file): {path} is not UTF-8 text"
    # the CLI reads the file itself
    assert main(["plan", str(path)]) == 2
    assert capsys.readouterr().err == f"error: (file): {path} is not UTF-8 text\n"
    assert main(["plan", "/nonexistent/x.json"]) == 2
    assert capsys.readouterr().err == (
        "error: (file): cannot read /nonexistent/x.json: No such file or directory\n"
    )


# ----- codes and params: what a page needs to say it in the user's language ---------------------
MODEL = Path(__file__).resolve().parents[2] / "model"

CODES = {
    "not a number": "not_a_number",
    "not finite": "not_finite",
    "negative": "negative",
    "rate above 1": "rate_out_of_range",
    "lag above 60": "lag_out_of_range",
    "months 0": "bad_months",
    "months fractional": "bad_months",
    "onboarding above 60": "out_of_range",
    "onboarding fractional": "not_whole",
    "expansion above 10": "out_of_range",
    "negative in a list": "negative",
    "range missing and unknown keys": "range_keys",
    "range unknown key": "range_keys",
    "range low > base": "range_low_above_base",
    "range base > high": "range_base_above_high",
    "range end out of bounds": "rate_out_of_range",
    "range for a monthly target": "number_or_list_not_range",
    "range for a total target": "number_not_range",
    "inflow list too short": "wrong_length",
    "not an object": "not_an_object",
    "misspelt field": "unknown_field",
    "unknown top-level field": "unknown_field",
    "scenario not an object": "not_an_object",
    "stages not a list": "stages_not_a_list",
    "one stage": "too_few_stages",
    "stage not an object": "not_an_object",
    "empty stage key": "no_stage_key",
    "duplicate keys": "duplicate_stage_key",
    "label not text": "not_text",
    "unknown owner": "unknown_owner",
    "terminal stage with a rate": "terminal_stage_rates",
    "conversion missing": "conversion_required",
    "rates sum above 1": "rates_exceed_one",
    "rates sum above 1 at the high ends": "range_rates_exceed_one",
    "unknown stage in a what-if": "unknown_stage",
    "schema 2": "unsupported_schema",
    "name not text": "not_text",
    "bad currency": "bad_currency",
    "start missing": "start_required",
    "bad start month": "bad_start",
    "bad start for month labels": "bad_start",
    "unknown stage in opening": "unknown_stage",
    "opening in the won stage": "opening_in_won",
    "unknown reentry": "unknown_stage",
    "reentry into won": "reentry_into_won",
    "unknown revenue kind": "unknown_revenue_kind",
    "unknown division": "unknown_division",
    "handoff not text": "not_text",
    "unknown target metric": "unknown_metric",
    "total and monthly": "total_or_monthly",
    "no deal size for a bookings target": "deal_size_required",
    "revenue monthly target": "monthly_revenue_target",
    "missing file": "file_unreadable",
    "broken JSON": "invalid_json",
    "NaN in a JSON file": "not_finite",
    "JSON nested too deeply": "too_deep",
    "too many stages": "too_many_stages",
    "nested deeper than the limit": "too_deep",
    "text too long": "text_too_long",
    "stage label too long": "text_too_long",
    "too many values": "too_many_values",
    "JSON text too large": "too_large",
    "object too large": "too_large",
    "number above the limit": "number_too_large",
    "result not finite": "result_not_finite",
    "onboarding negative": "negative",
    "an integer beyond any float": "not_finite",
    "file not UTF-8": "file_not_utf8",
    "no path to the total target": "target_no_path",
    "total target above the recycle cap": "target_levels_off",
    "no path to the monthly target": "target_no_path_monthly",
    "reference: no path": "target_no_path",
    "reference: above the recycle cap": "target_levels_off",
    "no draws": "out_of_range",
    "per_head 0": "not_positive",
    "works missing": "works_required",
    "per_head missing": "per_head_required",
    "works unknown": "unknown_works",
    "works the terminal stage": "works_terminal",
    "basis unknown": "unknown_basis",
    "attrition 1": "attrition_out_of_range",
}
CODES |= {case: code for case, _, _, code in BRIDGE_ERRORS + SEEK_ERRORS}


def scenario_error_codes_in_model() -> dict[str, list[str]]:
    """Every code written at a ``ScenarioError(...)`` in model/ (``code="..."``), with where it
    is written; a raise without a literal code is listed under ``""``."""
    found: dict[str, list[str]] = {}
    for path in sorted(MODEL.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ScenarioError":
                codes = [
                    kw.value.value
                    for kw in node.keywords
                    if kw.arg == "code" and isinstance(kw.value, ast.Constant)
                ]
                found.setdefault(codes[0] if codes else "", []).append(f"{path.name}:{node.lineno}")
    return found


def test_every_raise_site_writes_a_code_and_every_code_has_a_case() -> None:
    """A raise without a code, or a new code no case here triggers, fails (the cases are what
    tests/app checks the translations against)."""
    found = scenario_error_codes_in_model()
    assert "" not in found, found.get("")
    assert set(found) == set(CODES.values()), set(found) ^ set(CODES.values())
    assert set(CODES) == {c[0] for c in CASES}


@pytest.mark.parametrize("case", sorted(CODES))
def test_each_error_has_its_code_and_plain_params(case: str) -> None:
    exc = raised(case)
    assert exc.code == CODES[case]
    assert json.loads(json.dumps(exc.params)) == exc.params  # numbers, texts and lists only
    again = pickle.loads(pickle.dumps(exc))  # Streamlit's cache pickles it
    assert (again.field, again.reason, again.code, again.params, str(again)) == (
        exc.field, exc.reason, exc.code, exc.params, str(exc)
    )  # fmt: skip


def test_params_keep_numbers_as_numbers_and_names_as_keys() -> None:
    assert raised("rate above 1").params == {"value": 1.2, "low": 0.0, "high": 1.0}
    assert raised("lag above 60").params == {"value": 61, "low": 0.0, "high": 60.0}
    p = raised("rates sum above 1").params
    assert p == {"total": pytest.approx(1.05), "conversion": 0.3, "disqualify": 0.1,
                 "recycle": 0.65}  # fmt: skip
    p = raised("rates sum above 1 at the high ends").params
    assert p == {"total": pytest.approx(1.1), "conversion": 0.8, "disqualify": 0.1,
                 "recycle": 0.2}  # fmt: skip
    assert raised("inflow list too short").params == {"expected": 12, "got": 11}
    assert raised("unknown stage in opening").params == {
        "stage": "deal", "stages": ["visitor", "lead", "opportunity", "won"]
    }  # fmt: skip
    assert raised("unknown owner").params["got"] == "'sales_ops'"
    assert raised("range missing and unknown keys").params == {
        "missing": ["high"], "unknown": ["mid"]
    }  # fmt: skip
    assert raised("no path to the total target").params == {"metric": "bookings"}
    assert raised("no draws").params == {"value": 0, "low": 1, "high": 100_000}
    assert raised("broken JSON").params == {
        "source": "(scenario)", "error": "Expecting property name enclosed in double quotes",
        "line": 1, "column": 2,
    }  # fmt: skip


def test_bands_keep_the_error_of_an_unreachable_end() -> None:
    data = copy.deepcopy(VALID)
    data["stages"][2]["conversion"] = {"low": 0.0, "base": 0.25, "high": 0.28}
    data["target"] = {"metric": "bookings", "total": 1e8}
    b = bands(parse_scenario(data))
    ((end, exc),) = b.failures
    assert end == "pessimistic" and exc.code == "target_no_path"
    assert b.problems == (f"pessimistic: {exc}",)
    again = pickle.loads(pickle.dumps(b.failures))
    assert again[0][1].code == "target_no_path" and str(again[0][1]) == str(exc)
