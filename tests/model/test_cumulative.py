"""The Monte Carlo's totals to date (spec section 6's draws, accumulated month by month): the
Overview's target-vs-projection band. Percentiles do not add, so they are taken of each draw's
running total."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model import parse_scenario, run_plan
from model.uncertainty import PERCENTILES, monte_carlo
from ui.state import default_scenario_file


@pytest.fixture(scope="module")
def mc():
    data = json.loads(default_scenario_file().read_text(encoding="utf-8-sig"))
    scenario = parse_scenario(data)
    return monte_carlo(scenario, draws=800, seed=3, plan=run_plan(scenario))


@pytest.mark.parametrize("measure", ["wins", "bookings", "revenue"])
def test_the_running_totals_band_ends_at_the_totals_and_starts_at_the_first_month(mc, measure):
    cum = mc.cumulative[measure]
    assert cum.shape == (len(PERCENTILES), len(mc.months))
    np.testing.assert_allclose(cum[:, -1], mc.totals[measure], rtol=1e-12)
    np.testing.assert_allclose(cum[:, 0], mc.monthly[measure][:, 0], rtol=1e-12)
    assert np.all(np.diff(cum, axis=1) >= -1e-6 * np.abs(cum).max())  # a total only grows
    assert np.all(np.diff(cum, axis=0) >= 0)  # p10 <= p25 <= ... <= p90


def test_the_running_band_is_narrower_than_adding_up_the_monthly_bands(mc):
    """What it replaces: summing each month's p10 (or p90) overstates the spread."""
    added = np.cumsum(mc.monthly["bookings"], axis=1)
    cum = mc.cumulative["bookings"]
    assert cum[-1, -1] - cum[0, -1] < added[-1, -1] - added[0, -1]
