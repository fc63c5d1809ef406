"""Plan warnings: the spec's sentences (str, as the CLI prints them) with a code and params for
translation, and the warning for a monthly plan that overshoots its target."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from model import parse_scenario, run_plan
from model.errors import PlanWarning


def _funnel(lag_lead: float, lag_opp: float, monthly: float = 300.0) -> dict:
    return {
        "schema": 1,
        "start": "2027-04",
        "months": 12,
        "stages": [
            {"key": "lead", "owner": "marketing", "conversion": 0.3, "lag": lag_lead},
            {"key": "opportunity", "owner": "field_sales", "conversion": 0.25, "lag": lag_opp},
            {"key": "won", "owner": "field_sales"},
        ],
        "opening": {"lead": 3000, "opportunity": 1000},
        "recycle": {"reentry": "lead"},
        "target": {"metric": "wins", "monthly": monthly},
    }


def test_a_ringing_monthly_plan_is_warned_with_its_cause() -> None:
    """Lags of 0.9 and 1.9 months: only 0.1 × 0.1 = 1% of a month's inflow is won D = 1 month
    later, so the spec's solve sizes inflow(t) ~100× too large and then needs none: the plan
    wins several times its target. The warning says so, with the numbers."""
    plan = run_plan(parse_scenario(_funnel(0.9, 1.9)))
    (w,) = [w for w in plan.warnings if w.code == "monthly_overshoot"]
    assert isinstance(w, PlanWarning) and isinstance(w, str)
    assert w.params["lead"] == 1 and w.params["share"] == pytest.approx(0.1 * 0.1)
    assert w.params["won"] == pytest.approx(plan.wins[1:].sum())
    assert w.params["wanted"] == pytest.approx(300.0 * 11)
    assert w.params["won"] > 2 * w.params["wanted"]
    assert (plan.inflow == 0).sum() >= 3  # it rings: months with no inflow at all
    assert "only 1.0% of a month's new inflow is won exactly 1 months later" in w


def test_integer_lags_meet_a_monthly_target_without_the_warning() -> None:
    plan = run_plan(parse_scenario(_funnel(1.0, 2.0)))
    assert not [w for w in plan.warnings if w.code.startswith("monthly_overshoot")]
    np.testing.assert_allclose(plan.wins[3:], 300.0, rtol=1e-9)


def test_warnings_survive_json_and_pickle_with_their_code() -> None:
    """The CLI prints the sentence; Streamlit's cache pickles plans."""
    plan = run_plan(parse_scenario(_funnel(0.9, 1.9)))
    assert json.loads(json.dumps(plan.to_dict()))["warnings"] == [str(w) for w in plan.warnings]
    again = pickle.loads(pickle.dumps(plan.warnings))
    assert [(w.code, w.params, str(w)) for w in again] == [
        (w.code, w.params, str(w)) for w in plan.warnings
    ]
    short = [w for w in plan.warnings if w.code == "lead_time_short"]
    assert all(str(w).startswith(f"month {w.params['month']}: within lead time") for w in short)
