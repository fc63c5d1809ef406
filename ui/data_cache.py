"""The Data page's results kept between reruns: an upload read once per file and encoding, and
per data version (``db.funnel.data_version``) the quality report, the AsIs metrics of a window,
the backtest and the default stale limits. The connection is not part of a key (``_con``): the
version says which data it holds."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from db import metrics, outcomes
from db.baseline import backtest
from db.imports import read_file
from db.quality import quality_report


@st.cache_data(max_entries=8, show_spinner=False)
def read_upload(file_id: str, name: str, _data: bytes, encoding: str) -> Any:
    """An uploaded file read once per upload and encoding (``file_id`` is unique per upload)."""
    return read_file(_data, name, encoding=None if encoding == "auto" else encoding)


@st.cache_data(max_entries=16, show_spinner=False)
def quality(version: str, _con) -> list:
    return quality_report(_con)


@st.cache_data(max_entries=16, show_spinner=False)
def window_metrics(version: str, start: str, end: str, _con) -> dict[str, pd.DataFrame]:
    """The AsIs metrics of the window: per stage, per stage and source, the stock, the recycle
    pool's events and the sources' feedback."""
    return {
        "summary": metrics.stage_summary(_con, start, end),
        "by_source": metrics.stage_summary(_con, start, end, by="source"),
        "stock": metrics.stock(_con, start, end),
        "recycle": metrics.recycle_events(_con),
        "feedback": metrics.source_feedback(_con, start, end),
    }


@st.cache_data(max_entries=16, show_spinner=False)
def backtest_of(
    version: str, start: str, end: str, stale_after: tuple, stale_as_lost: bool, _con
) -> pd.DataFrame:
    return backtest(_con, start, end, stale_after=dict(stale_after) or None,
                    stale_as_lost=stale_as_lost)  # fmt: skip


@st.cache_data(max_entries=16, show_spinner=False)
def stale_defaults(version: str, start: str, end: str, _con) -> dict[str, int]:
    """The default stale limit of each stage with item history, for the window."""
    s, e = metrics.month_start(start), metrics.month_start(end)
    return {k: v.stale_after for k, v in outcomes.stage_estimates(_con, s, e).items()}
