"""Fixtures of the Data page's pieces, tested as functions (no AppTest): the formatter in both
languages, and the sample company's metrics, baseline and backtest for realistic frames."""

from __future__ import annotations

import pytest

from ui.common import Fmt
from ui.i18n import speaking


@pytest.fixture(autouse=True)
def _english():
    """English unless a test speaks Japanese (outside a session, without reading one)."""
    with speaking("en"):
        yield


@pytest.fixture
def F() -> Fmt:
    return Fmt("en", "JPY")


@pytest.fixture(scope="session")
def sample():
    """The sample company: its usual window, the window's metrics, a baseline built from it
    (with its backtest's verdict) and the backtest's frame."""
    from db import metrics
    from db.baseline import backtest, build_baseline, default_window
    from db.sample import open_sample_database

    con = open_sample_database()
    lo, hi = default_window(con)
    start, end = f"{lo:%Y-%m}", f"{hi:%Y-%m}"
    scenario = build_baseline(con, start, end, horizon=12, target_uplift=0.2, name="Baseline",
                              with_backtest=True)  # fmt: skip
    out = {
        "start": start,
        "end": end,
        "summary": metrics.stage_summary(con, start, end),
        "by_source": metrics.stage_summary(con, start, end, by="source"),
        "feedback": metrics.source_feedback(con, start, end),
        "stock": metrics.stock(con, start, end),
        "recycle": metrics.recycle_events(con),
        "scenario": scenario,
        "backtest": backtest(con, start, end),
    }
    con.close()
    return out
