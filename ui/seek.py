"""Goal seek on the Plan page (spec section 10): the levers a scenario offers, the answer for
one of them (cached by the scenario's text), its value in words, and applying it."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from model import ScenarioError, parse_scenario
from model.scenario import Scenario
from model.seek import Seek, goal_seek

from . import state


@st.cache_data(max_entries=64, show_spinner=False)
def _seek(text: str, path: str) -> tuple[Seek | None, ScenarioError | None]:
    try:
        return goal_seek(parse_scenario(json.loads(text)), path), None
    except ScenarioError as exc:  # cached (pickled) with its code and params
        return None, exc


def seek(cur: state.Current, path: str) -> tuple[Seek | None, ScenarioError | None]:
    """The smallest value of ``path`` at which today's inflow meets the total target."""
    return _seek(cur.text, path)


def levers(scenario: Scenario) -> list[str]:
    """Spec section 10's levers this scenario offers: each non-terminal stage's conversion, the
    deal size (not for a wins target), and the recycle reactivation (rate mode) or volume."""
    out = [f"stages.{k}.conversion" for k in scenario.stage_keys[:-1]]
    if scenario.target is not None and scenario.target.metric != "wins":
        out.append("deal.size")
    if scenario.recycle is not None:
        out.append("recycle.volume" if scenario.recycle.volume_mode else "recycle.reactivation")
    return out


def kind(path: str) -> str:
    """How a lever's value reads: ``rate`` (a share), ``money`` or ``count`` (a month's volume)."""
    return {"deal.size": "money", "recycle.volume": "count"}.get(path, "rate")


def model_path(path: str) -> str:
    """A lever's path as the model names a parameter (``stages.lead.conversion`` ->
    ``stages[lead].conversion``), for ``state.json_path``."""
    if path.startswith("stages."):
        _, stage, field = path.split(".", 2)
        return f"stages[{stage}].{field}"
    return path


def apply(data: dict[str, Any], path: str, value: float) -> None:
    """Set the lever to the answer (a committed range moves with it, as any edit of a base;
    a monthly recycle volume becomes the constant the answer is)."""
    where = state.json_path(data, model_path(path))
    if path == "recycle.volume":
        state.set_in(data, where, float(value))
        return
    state.set_param(data, where, float(value), upper=1.0 if kind(path) == "rate" else None)
