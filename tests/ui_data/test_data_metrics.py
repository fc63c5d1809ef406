"""ui.data_metrics: the frames of the window's tabs, from the sample company's metrics."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.data_metrics import (
    OUTCOMES,
    conversion_by_source,
    outcome_frame,
    pool_frame,
    pool_months,
    source_columns,
    stage_columns,
    stock_frame,
    win_rate_bars,
)
from ui.data_widgets import PCT


def test_stage_columns_in_percent_and_words(sample):
    summary = sample["summary"]
    cols = stage_columns(summary)
    labels = [c[0] for c in cols]
    assert labels[:4] == ["Stage", "Entered", "Resolved", "Still open"]
    assert cols[0][1][1] == "Leads"
    conversion = dict((label, (values, fmt)) for label, values, fmt in cols)["Conversion"]
    assert conversion[1] == PCT
    assert list(conversion[0]) == pytest.approx(list(summary["conversion"] * 100), nan_ok=True)


def test_outcome_frame_has_a_share_per_stage_and_outcome(sample, F):
    summary = sample["summary"]
    frame = outcome_frame(summary, F)
    assert len(frame) == len(summary) * len(OUTCOMES)
    lead = frame[frame["stage"] == "Leads"].set_index("outcome")
    assert lead.loc["converted", "share"] == pytest.approx(summary["conversion"].iloc[1])
    assert lead.loc["converted", "share_text"] == F.pct(summary["conversion"].iloc[1])
    assert (frame["share"] >= 0).all()


def test_outcome_frame_reads_an_empty_share_as_zero(F):
    summary = pd.DataFrame({"stage": ["won"], "conversion": [float("nan")], "disqualify": [0.1],
                            "recycle": [0.0], "lost_share": [0.9]})  # fmt: skip
    frame = outcome_frame(summary, F)
    assert frame["share"].tolist() == [0.0, 0.1, 0.0, 0.9]
    assert frame["share_text"].iloc[0] == "0.0%"


def test_source_table_and_win_rate_bars(sample, F):
    fb = sample["feedback"]
    cols = source_columns(fb)
    assert [c[0] for c in cols] == ["Source", "Items", "Wins", "Win rate", "Days to win (median)",
                                    "Bookings"]  # fmt: skip
    names = pd.Series(cols[0][1])
    bars = win_rate_bars(names, fb, F)
    assert bars["value"].tolist() == pytest.approx(fb["win_rate"].tolist())
    assert bars["text"].iloc[0] == F.pct(fb["win_rate"].iloc[0])


def test_conversion_by_source_in_the_designs_order(sample):
    conv = conversion_by_source(sample["by_source"], ["won", "opportunity", "lead", "visitor"])
    assert conv.index.name == "Source"
    assert list(conv.columns)[0] == "Opportunities → Conversion"  # won has no conversion
    assert "Organic search" in conv.index
    assert conv.max().max() <= 100


def test_stock_frame_a_line_per_stage(sample, F):
    frame = stock_frame(sample["stock"], F)
    assert set(frame["series"]) == {"Leads", "Opportunities"}
    assert frame["month"].iloc[0] == F.month_short(sample["start"])
    first = sample["stock"].iloc[0]
    assert frame["value"].iloc[0] == first["stock"]
    assert frame["value_text"].iloc[0] == F.count(first["stock"])


def test_pool_months_in_the_window_or_all():
    rec = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
                        "recycled": [1, 2, 3], "reactivated": [0, 1, 1],
                        "pool_observed": [1.0, 2.0, 4.0]})  # fmt: skip
    assert pool_months(rec, "2025-02", "2025-03")["recycled"].tolist() == [2, 3]
    assert pool_months(rec, "2026-01", "2026-03") is rec  # none inside: all of them


def test_pool_frame_three_series(sample, F):
    rec = pool_months(sample["recycle"], sample["start"], sample["end"])
    frame = pool_frame(rec, F)
    assert list(dict.fromkeys(frame["series"])) == ["Pool (observed)", "Recycled", "Reactivated"]
    assert len(frame) == 3 * len(rec)
