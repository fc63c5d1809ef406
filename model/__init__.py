"""The revenue model of ``../shared/spec/revenue-model.md``: pure Python and numpy.

    from model import parse_scenario, run_plan
    plan = run_plan(parse_scenario(json.load(open("scenario.json"))))
    plan.to_dict()      # the JSON of spec section 5
    plan.to_frame()     # tidy (month, stage, measure, value) for charts

Imports neither streamlit nor duckdb (a test checks it).
"""

from .errors import ScenarioError
from .plan import Plan, run_plan
from .scenario import (
    DIVISIONS,
    Customers,
    Deal,
    Range,
    Recycle,
    Scenario,
    Stage,
    Target,
    base,
    load_scenario,
    month_labels,
    parse_json,
    parse_scenario,
)

__all__ = [
    "DIVISIONS",
    "Customers",
    "Deal",
    "Plan",
    "Range",
    "Recycle",
    "Scenario",
    "ScenarioError",
    "Stage",
    "Target",
    "base",
    "load_scenario",
    "month_labels",
    "parse_json",
    "parse_scenario",
    "run_plan",
]
