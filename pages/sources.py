"""Sources and ROI: per source of the items that entered in a window, the marketing spend, leads,
wins, bookings, cost per lead and per win, and the return on the spend (db.metrics.source_feedback
joined with the spend of the same months)."""

from ui.common import require_frame

require_frame(__file__)

import pandas as pd
import streamlit as st

from db import funnel, metrics
from db.baseline import default_window
from db.errors import DataLayerError
from ui import charts_data as cd
from ui import state
from ui.common import Fmt, funnel_or_stop, months_between, source_name
from ui.currency import data_note
from ui.format import COLUMN_FORMATS
from ui.i18n import lang, t

F = Fmt(lang(), state.data_currency())  # every amount here is the CRM data's
PCT_AXIS = "format(datum.value, '.0%')"
SORTS = ("bookings", "roi", "won", "win_rate", "spend", "cost_per_win", "items")


@st.cache_data(max_entries=16, show_spinner=False)
def source_table(version: str, start: str, end: str, _con) -> pd.DataFrame:
    """source_feedback by source, with cost per lead, cost per win and ROI where spend is known:
    roi = (bookings - spend) / spend."""
    fb = metrics.source_feedback(_con, start, end, by="source")
    spend = fb["spend"].where(fb["spend"] > 0)
    return fb.assign(
        cost_per_lead=spend / fb["items"].where(fb["items"] > 0),
        cost_per_win=spend / fb["won"].where(fb["won"] > 0),
        roi=(fb["bookings"] - spend) / spend,
    )


st.title(t("src.title"))
st.caption(t("src.caption"))
if (note := data_note(state.draft(), lang())) is not None:  # the scenario was converted
    st.caption(note)
con = funnel_or_stop()
version = funnel.data_version(con)
span = metrics.data_months(con)
if span is None:
    st.info(t("src.no_data"))
    st.stop()

months = months_between(*span)
try:
    lo, hi = default_window(con)
    default = (f"{lo:%Y-%m}", f"{hi:%Y-%m}")
except DataLayerError:
    default = (months[0], months[-1])
w = st.session_state.get("src.window")
if w is not None and not (isinstance(w, tuple | list) and all(x in months for x in w)):
    del st.session_state["src.window"]  # the data changed: back to the default window
c1, c2 = st.columns([3, 1])
start, end = c1.select_slider(
    t("src.window"), options=months, value=default, format_func=F.month_short, key="src.window"
)
sort_names = {k: t(f"src.col.{k}") for k in SORTS}
st.session_state.setdefault("src.sort", SORTS[0])
sort_key = f"src.sort.{lang()}"  # labels are translated: a widget per language, one choice
st.session_state[sort_key] = st.session_state["src.sort"]
sort = c2.selectbox(
    t("src.sort"),
    SORTS,
    format_func=sort_names.get,
    key=sort_key,
    on_change=lambda: st.session_state.update({"src.sort": st.session_state[sort_key]}),
)
df = source_table(version, start, end, con)
if df.empty:
    st.info(t("src.no_data"))
    st.stop()
df = df.assign(source=[source_name(s) for s in df["source"]])
df = df.sort_values(sort, ascending=sort == "cost_per_win", na_position="last")

has_spend = bool(df["spend"].fillna(0).sum() > 0)
k1, k2, k3 = st.columns(3)
total_spend = float(df["spend"].fillna(0).sum())
with_spend = df[df["spend"].fillna(0) > 0]
k1.metric(t("src.total_spend"), F.money(total_spend) if has_spend else "—")
k2.metric(t("src.total_bookings"), F.money(float(df["bookings"].sum())))
roi_total = (with_spend["bookings"].sum() - total_spend) / total_spend if has_spend else None
k3.metric(
    t("src.total_roi"),
    F.pct(roi_total, digits=0) if roi_total is not None else "—",
    help=t("src.roi_help"),
)
if not has_spend:
    st.info(t("src.no_spend"))

num = st.column_config.NumberColumn
# the money columns carry their currency (they read as bare 22,640,000); numbers, so they sort
amount = num(format=COLUMN_FORMATS.get(F.currency, "localized"))
table = pd.DataFrame(
    {
        t("src.col.source"): df["source"],
        t("src.col.spend"): df["spend"].round(),
        t("src.col.items"): df["items"].astype(float),
        t("src.col.won"): df["won"].astype(float),
        t("src.col.win_rate"): df["win_rate"] * 100,
        t("src.col.bookings"): df["bookings"].round(),
        t("src.col.cost_per_lead"): df["cost_per_lead"].round(),
        t("src.col.cost_per_win"): df["cost_per_win"].round(),
        t("src.col.roi"): df["roi"] * 100,
        t("src.col.days"): df["days_to_win_median"],
    }
)
st.dataframe(
    table,
    hide_index=True,
    placeholder="—",
    width="stretch",
    key="src.table",
    column_config={
        t("src.col.spend"): amount,
        t("src.col.items"): num(format="localized"),
        t("src.col.won"): num(format="localized"),
        t("src.col.win_rate"): num(format="%.1f%%"),
        t("src.col.bookings"): amount,
        t("src.col.cost_per_lead"): amount,
        t("src.col.cost_per_win"): amount,
        t("src.col.roi"): num(format="%.0f%%"),
        t("src.col.days"): num(format="%.0f"),
    },
)

money = sort in ("bookings", "spend", "cost_per_win")
chart = df[df[sort].notna()]
if not chart[sort].abs().sum():  # nothing to rank (no spend, no bookings): no empty axis
    st.stop()
texts = {
    "bookings": F.money,
    "spend": F.money,
    "cost_per_win": F.money,
    "roi": lambda v: F.pct(v, digits=0),
    "win_rate": F.pct,
    "won": F.count,
    "items": F.count,
}[sort]
bars = pd.DataFrame(
    {"name": chart["source"], "value": chart[sort].astype(float),
     "text": [texts(v) for v in chart[sort]]}
)  # fmt: skip
st.altair_chart(
    cd.ranked_bars(bars, "value", "text", t(f"src.col.{sort}"),
                   label_expr=F.money_axis() if money else PCT_AXIS if sort in ("roi", "win_rate")
                   else None),
    width="stretch",
    height=cd.bars_height(len(bars)),
)  # fmt: skip
