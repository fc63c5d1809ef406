"""The session's scenario and the cached model results.

The current scenario lives in ``st.session_state["scenario_json"]`` as its JSON dict (spec
section 2); the baseline it was loaded from in ``"baseline_json"``. Widgets never own a value:
before each widget is drawn, :func:`bind` copies the value from the scenario dict into the
widget's key, and the widget's ``on_change`` callback writes the user's value back (a callback
runs before the script, so the whole page sees the edit). An edit that makes the scenario
invalid stays in the dict, so the widget keeps showing it, and :func:`current` returns the
:class:`ScenarioError` for the page to show.

Model results are cached with ``st.cache_data`` keyed on the scenario's canonical JSON text.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from model import Plan, Scenario, ScenarioError, parse_scenario, run_plan
from model.responsibility import DivisionView, responsibility
from model.uncertainty import Bands, MonteCarlo, Sensitivity, bands, monte_carlo, sensitivity

from . import i18n

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SCENARIO = ROOT / "data" / "sample_scenario.json"
FALLBACK_SCENARIO = ROOT / "examples" / "fy2027-plan.json"
MC_DRAWS = 2000
MC_SEED = 0
CURRENCY_CHOICES = ("JPY", "USD", "EUR")

Path_ = tuple[str | int, ...]


# ----- loading and initialisation ---------------------------------------------------------------
def default_scenario_file() -> Path:
    """The scenario the app opens on: the sample data's baseline once it exists."""
    return SAMPLE_SCENARIO if SAMPLE_SCENARIO.is_file() else FALLBACK_SCENARIO


@st.cache_data(max_entries=4, show_spinner=False)
def _read_json(path: str, mtime: float) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8-sig"))


def load_default() -> dict[str, Any]:
    path = default_scenario_file()
    return copy.deepcopy(_read_json(str(path), path.stat().st_mtime))


def init() -> None:
    """Set every session key the app uses, once per session (the one place state is created)."""
    ss = st.session_state
    if "scenario_json" not in ss:
        data = load_default()
        ss["baseline_json"] = copy.deepcopy(data)
        ss["scenario_json"] = data
        ss["data_source"] = "sample"
    if "lang" not in ss:
        ss["lang"] = i18n.default_language(st.context.locale)


def reset() -> None:
    """Back to the baseline scenario (a button callback)."""
    st.session_state["scenario_json"] = copy.deepcopy(st.session_state["baseline_json"])


def set_currency(code: str) -> None:
    """The currency the scenario's amounts are in (a label: amounts are not converted)."""
    draft()["currency"] = code


def draft() -> dict[str, Any]:
    return st.session_state["scenario_json"]


def baseline() -> dict[str, Any]:
    return st.session_state["baseline_json"]


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


# ----- reading and writing values by path ---------------------------------------------------------
def stage_index(data: dict[str, Any], key: str) -> int:
    for i, s in enumerate(data["stages"]):
        if s.get("key") == key:
            return i
    raise KeyError(key)


def get_in(data: dict[str, Any], path: Path_, default: Any = None) -> Any:
    node: Any = data
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return default
    return default if node is None else node


def set_in(data: dict[str, Any], path: Path_, value: Any) -> None:
    node: Any = data
    for p in path[:-1]:
        if isinstance(node, dict) and (p not in node or node[p] is None):
            node[p] = {}
        node = node[p]
    node[path[-1]] = value


def param_value(
    data: dict[str, Any], path: Path_, end: str = "base", default: float = 0.0
) -> float:
    """A parameter's value at ``end`` (low/base/high); a plain number is the same at every end."""
    v = get_in(data, path, default)
    if isinstance(v, dict):
        return float(v.get(end, v.get("base", default)))
    if isinstance(v, list):
        return float(sum(v) / len(v)) if v else default
    return float(v)


def set_param(data: dict[str, Any], path: Path_, value: float, end: str = "base") -> None:
    """Set a parameter at ``end``. Setting low/high of a plain number makes it a range."""
    current = get_in(data, path)
    if isinstance(current, dict):
        new = dict(current)
        new[end] = value
        if new["low"] == new["base"] == new["high"]:
            set_in(data, path, value)
        else:
            set_in(data, path, new)
    elif end == "base":
        set_in(data, path, value)
    else:
        b = float(current) if isinstance(current, int | float) else 0.0
        new = {"low": b, "base": b, "high": b}
        new[end] = value
        set_in(data, path, new if not (new["low"] == new["base"] == new["high"]) else b)


def _clean(x: float) -> float:
    return float(round(x, 10))


def _apply(key: str, path: Path_, scale: float, end: str) -> None:
    value = st.session_state[key]
    if value is None:  # a cleared number input: keep the scenario as it is
        return
    set_param(draft(), path, _clean(float(value) / scale), end)


def bind(key: str, path: Path_, scale: float = 1.0, end: str = "base", default: float = 0.0):
    """Keyword arguments that tie a numeric widget to a scenario parameter.

    The widget's value is the parameter times ``scale`` (100 for a rate shown in percent).
    """
    shown = param_value(draft(), path, end, default) * scale
    st.session_state[key] = _clean(shown)
    return {"key": key, "on_change": _apply, "args": (key, path, scale, end)}


def bind_custom(key: str, value: Any, apply: Callable[[Any], None]):
    """Keyword arguments for a widget whose edit is not a plain parameter (target kind, text)."""
    st.session_state[key] = value

    def _cb() -> None:
        apply(st.session_state[key])

    return {"key": key, "on_change": _cb}


# ----- the model, cached ------------------------------------------------------------------------
@dataclass(frozen=True)
class Current:
    """The session's scenario parsed and planned, or the error that stops it."""

    scenario: Scenario | None
    plan: Plan | None
    error: ScenarioError | None
    text: str  # the canonical JSON (the cache key of everything derived)

    @property
    def ok(self) -> bool:
        return self.plan is not None


@st.cache_data(max_entries=64, show_spinner=False)
def _plan(text: str) -> tuple[Scenario | None, Plan | None, tuple[str, str] | None]:
    try:
        scenario = parse_scenario(json.loads(text))
        return scenario, run_plan(scenario), None
    except ScenarioError as exc:
        return None, None, (exc.field, exc.reason)


def _error(err: tuple[str, str]) -> ScenarioError:
    return ScenarioError(err[0], err[1])


def plan_of(data: dict[str, Any]) -> Current:
    text = canonical(data)
    scenario, plan, err = _plan(text)
    return Current(scenario, plan, None if err is None else _error(err), text)


def current() -> Current:
    """The current scenario's plan (cached)."""
    return plan_of(draft())


def baseline_plan() -> Current:
    return plan_of(baseline())


def current_inflow_plan(data: dict[str, Any]) -> Current:
    """The scenario run forward at its stated inflow (the target removed): what the current
    run-rate delivers, against which the gap to the target is measured."""
    fwd = copy.deepcopy(data)
    fwd.pop("target", None)
    return plan_of(fwd)


@st.cache_data(max_entries=32, show_spinner=False)
def _monte_carlo(text: str, draws: int, seed: int) -> MonteCarlo:
    scenario = parse_scenario(json.loads(text))
    return monte_carlo(scenario, draws=draws, seed=seed, plan=_plan(text)[1])


def monte_carlo_of(cur: Current, draws: int = MC_DRAWS, seed: int = MC_SEED) -> MonteCarlo:
    return _monte_carlo(cur.text, draws, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def _sensitivity(text: str) -> Sensitivity:
    return sensitivity(parse_scenario(json.loads(text)), _plan(text)[1])


def sensitivity_of(cur: Current) -> Sensitivity:
    return _sensitivity(cur.text)


@st.cache_data(max_entries=32, show_spinner=False)
def _bands_and_views(text: str) -> tuple[Bands, tuple[DivisionView, ...]]:
    scenario = parse_scenario(json.loads(text))
    plan = _plan(text)[1]
    band = bands(scenario, plan)
    return band, responsibility(scenario, plan, band)


def bands_of(cur: Current) -> Bands:
    return _bands_and_views(cur.text)[0]


def divisions_of(cur: Current) -> tuple[DivisionView, ...]:
    return _bands_and_views(cur.text)[1]


_REF = __import__("re").compile(r"^stages\[(?P<stage>[^\]]+)\]\.(?P<field>\w+)$")


def json_path(data: dict[str, Any], ref_path: str) -> Path_:
    """The JSON-dict path of a model parameter path (``stages[lead].conversion`` ->
    ``("stages", 1, "conversion")``, ``customers.renewal_rate`` -> ``("customers", ...)``)."""
    m = _REF.match(ref_path)
    if m:
        return ("stages", stage_index(data, m.group("stage")), m.group("field"))
    return tuple(ref_path.split("."))


# ----- where the app keeps its files ------------------------------------------------------------
def home() -> Path:
    """The folder holding the app's databases: ``$PLANNER_HOME``, else ``.planner/`` in the
    working folder (git-ignored). ``funnel.duckdb`` holds imported CRM data (one writer: this
    server); ``scenarios.duckdb`` the saved scenario versions (``db.scenarios.ScenarioStore``,
    safe across sessions and processes)."""
    import os

    folder = Path(os.environ.get("PLANNER_HOME") or Path.cwd() / ".planner")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
