"""A backtest's errors per stage (db.backtest_errors)."""

from __future__ import annotations

import math

import pandas as pd

from db.backtest_errors import stage_errors


def test_stage_errors_sum_and_wape():
    bt = pd.DataFrame(
        {
            "stage": ["lead", "lead", "deal", "deal"],
            "month": ["2025-01", "2025-02", "2025-01", "2025-02"],
            "actual": [100.0, 50.0, 0.0, 0.0],
            "planned": [90.0, 70.0, 2.0, 1.0],
        }
    )
    err = stage_errors(bt)
    assert list(err.index) == ["lead", "deal"]  # the backtest's order
    assert err.loc["lead", "actual"] == 150 and err.loc["lead", "planned"] == 160
    assert err.loc["lead", "abs_err"] == 30
    assert err.loc["lead", "wape"] == 30 / 150
    assert math.isnan(err.loc["deal", "wape"])  # nothing arrived: no percentage
