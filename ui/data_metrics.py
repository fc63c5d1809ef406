"""The Data page's AsIs metrics of a window of months: per stage what entered, resolved and
stays open with the outcome shares and lead times; per lead source the wins, win rate and
bookings and each stage's conversion; the stock per stage month by month; and the recycle pool.
The frames are built here with texts already translated (pure functions of the metrics'
frames); the tabs draw them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from db.baseline import default_window
from db.errors import DataLayerError

from . import charts
from . import charts_data as cd
from .common import Fmt, months_between, source_name
from .data_widgets import PCT, Column, month_label, number_table, stage_label
from .i18n import t

OUTCOMES = ("converted", "disqualified", "recycled", "lost")
SHARES = ("conversion", "disqualify", "recycle", "lost_share")  # the summary's column of each
PCT_AXIS = "format(datum.value, '.0%')"


# ----- the window -------------------------------------------------------------------------------
def window_slider(con: Any, span: tuple[dt.date, dt.date], F: Fmt) -> tuple[str, str]:
    """The window of months (``YYYY-MM``), by default the data's usual window
    (:func:`db.baseline.default_window`, else every month); a window left from other data goes
    back to the default."""
    months = months_between(*span)
    try:
        lo, hi = default_window(con)
        window_default = (month_label(lo), month_label(hi))
    except DataLayerError:
        window_default = (months[0], months[-1])
    w = st.session_state.get("data.window")
    if w is not None and not (isinstance(w, tuple | list) and all(m in months for m in w)):
        del st.session_state["data.window"]  # the data changed: back to the default window
    start, end = st.select_slider(
        t("data.window"),
        options=months,
        value=window_default,
        format_func=F.month_short,
        key="data.window",
        help=t("data.window_help"),
    )
    return start, end


# ----- frames -----------------------------------------------------------------------------------
def stage_columns(summary: pd.DataFrame) -> list[Column]:
    """The stage table: counts, outcome shares in percent and lead times."""
    return [
        (t("data.col.stage"), [stage_label(s) for s in summary["stage"]], None),
        (t("data.col.entered"), summary["entered"].astype(float), "localized"),
        (t("data.col.resolved"), summary["resolved"].astype(float), "localized"),
        (t("data.col.open"), summary["open"].astype(float), "localized"),
        (t("param.conversion"), summary["conversion"] * 100, PCT),
        (t("param.disqualify"), summary["disqualify"] * 100, PCT),
        (t("param.recycle"), summary["recycle"] * 100, PCT),
        (t("data.col.lost"), summary["lost_share"] * 100, PCT),
        (t("data.col.lag_days"), summary["lag_median_days"], "%.1f"),
        (t("param.lag_months"), summary["lag_months"], "%.2f"),
    ]


def outcome_frame(summary: pd.DataFrame, F: Fmt) -> pd.DataFrame:
    """The outcome shares per stage for :func:`ui.charts_data.outcome_chart` (an empty share
    reads 0%)."""
    shares = {o: summary[c].tolist() for o, c in zip(OUTCOMES, SHARES, strict=True)}
    texts = [F.pct(v if pd.notna(v) else 0) for o in OUTCOMES for v in shares[o]]
    return cd.outcome_frame(
        [stage_label(s) for s in summary["stage"]],
        shares,
        {o: t(f"outcome.{o}") for o in OUTCOMES},
        texts,
    )


def source_columns(fb: pd.DataFrame) -> list[Column]:
    """The source table (``db.metrics.source_feedback``): items, wins, win rate, days to win,
    bookings."""
    return [
        (t("data.col.source"), [source_name(s) for s in fb["source"]], None),
        (t("data.col.items"), fb["items"].astype(float), "localized"),
        (t("metric.wins"), fb["won"].astype(float), "localized"),
        (t("data.col.win_rate"), fb["win_rate"] * 100, PCT),
        (t("data.col.days_to_win"), fb["days_to_win_median"], "%.0f"),
        (t("metric.bookings"), fb["bookings"].round(), "localized"),
    ]


def win_rate_bars(names: pd.Series, fb: pd.DataFrame, F: Fmt) -> pd.DataFrame:
    """The win rate per source for :func:`ui.charts_data.ranked_bars`."""
    return pd.DataFrame(
        {
            "name": names,
            "value": fb["win_rate"].astype(float),
            "text": [F.pct(v) for v in fb["win_rate"]],
        }
    )


def conversion_by_source(bs: pd.DataFrame, design: list[str]) -> pd.DataFrame:
    """Each source's conversion per stage in percent, a column per stage in the design's order
    (``Lead → Conversion``), the sources named in words as the index."""
    bs = bs.assign(source=[source_name(s) for s in bs["source"]])
    conv = bs.pivot_table(index="source", columns="stage", values="conversion", sort=False)
    conv = conv * 100
    conv = conv[[s for s in design if s in conv.columns]]
    conv.columns = [f"{stage_label(s)} → {t('param.conversion')}" for s in conv.columns]
    conv.index.name = t("data.col.source")
    return conv


def stock_frame(stk: pd.DataFrame, F: Fmt) -> pd.DataFrame:
    """The stock per stage and month (``db.metrics.stock``) for :func:`ui.charts.line_chart`."""
    mlist = [F.month_short(month_label(x)) for x in pd.to_datetime(stk["month"])]
    stk = stk.assign(m=mlist)
    keys = list(dict.fromkeys(stk["stage"]))
    series = {stage_label(s): stk.loc[stk["stage"] == s, "stock"].tolist() for s in keys}
    return charts.long_frame(
        list(dict.fromkeys(mlist)),
        series,
        {k: [F.count(v) for v in vs] for k, vs in series.items()},
    )


def pool_months(rec: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """The recycle pool's months inside the window, or all of them when none is."""
    inwin = rec[(rec["month"] >= pd.Timestamp(start)) & (rec["month"] <= pd.Timestamp(end))]
    return inwin if len(inwin) else rec


def pool_frame(rec: pd.DataFrame, F: Fmt) -> pd.DataFrame:
    """The pool, the items recycled into it and those reactivated from it, month by month, for
    :func:`ui.charts_data.pool_chart`."""
    mlist = [F.month_short(month_label(x)) for x in pd.to_datetime(rec["month"])]
    series = {
        t("data.pool"): rec["pool_observed"].tolist(),
        t("data.recycled"): rec["recycled"].tolist(),
        t("data.reactivated"): rec["reactivated"].tolist(),
    }
    return charts.long_frame(
        mlist, series, {k: [F.count(v) for v in vs] for k, vs in series.items()}
    )


# ----- the tabs ---------------------------------------------------------------------------------
def stages_tab(summary: pd.DataFrame, F: Fmt) -> None:
    number_table("data.stage_table", stage_columns(summary))
    st.altair_chart(
        cd.outcome_chart(outcome_frame(summary, F), t("data.share_axis")),
        width="stretch",
        height=cd.outcome_height(len(summary)),
    )
    st.caption(t("data.stage_table_caption"))


def sources_tab(fb: pd.DataFrame, bs: pd.DataFrame, design: list[str], F: Fmt) -> None:
    src = number_table("data.source_table", source_columns(fb))
    bars = win_rate_bars(src[t("data.col.source")], fb, F)
    st.altair_chart(
        cd.ranked_bars(bars, "value", "text", t("data.col.win_rate"), PCT_AXIS),
        width="stretch",
        height=cd.bars_height(len(bars)),
    )
    if len(bs):
        conv = conversion_by_source(bs, design)
        st.caption(t("data.conversion_by_source"))
        pct = st.column_config.NumberColumn(format=PCT)
        st.dataframe(conv, width="stretch", column_config={c: pct for c in conv.columns})


def stock_tab(stk: pd.DataFrame, F: Fmt) -> None:
    if len(stk):
        st.altair_chart(charts.line_chart(stock_frame(stk, F), t("data.stock_axis")),
                        width="stretch")  # fmt: skip
        st.caption(t("data.stock_caption"))
    else:
        st.info(t("data.no_history"))


def pool_tab(rec: pd.DataFrame, start: str, end: str, F: Fmt) -> None:
    if len(rec) and rec["recycled"].sum() > 0:
        rec = pool_months(rec, start, end)
        p1, p2 = st.columns(2)
        p1.metric(t("data.pool_end"), F.count(float(rec["pool_observed"].iloc[-1])))
        p2.metric(t("data.reactivated_total"), F.count(float(rec["reactivated"].sum())))
        st.altair_chart(cd.pool_chart(pool_frame(rec, F), t("stages.items_axis")),
                        width="stretch")  # fmt: skip
    else:
        st.info(t("data.no_recycle"))


def metrics_tabs(
    m: dict[str, pd.DataFrame], design: list[str], start: str, end: str, F: Fmt
) -> None:
    """The four tabs of the window's metrics (:func:`ui.data_cache.window_metrics`)."""
    tab_stage, tab_source, tab_stock, tab_pool = st.tabs(
        [t("data.tab.stages"), t("data.tab.sources"), t("data.tab.stock"), t("data.tab.pool")]
    )
    with tab_stage:
        stages_tab(m["summary"], F)
    with tab_source:
        sources_tab(m["feedback"], m["by_source"], design, F)
    with tab_stock:
        stock_tab(m["stock"], F)
    with tab_pool:
        pool_tab(m["recycle"], start, end, F)
