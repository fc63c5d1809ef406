"""How far a backtest (:func:`db.baseline.backtest`: per stage and month the actual arrivals and
the ones the baseline planned) was from the data, per stage: the totals and the weighted absolute
percentage error, WAPE = Σ|planned − actual| / Σ actual."""

from __future__ import annotations

import pandas as pd


def stage_errors(bt: pd.DataFrame) -> pd.DataFrame:
    """Per stage (in the backtest's order, as the index): ``actual`` and ``planned`` summed over
    the months, ``abs_err`` = Σ|planned − actual| and ``wape`` = abs_err / actual (NaN where
    nothing arrived)."""
    err = (
        bt.assign(abs_err=(bt["planned"] - bt["actual"]).abs())
        .groupby("stage", sort=False)[["actual", "planned", "abs_err"]]
        .sum()
    )
    err["wape"] = err["abs_err"] / err["actual"].where(err["actual"] > 0)
    return err
