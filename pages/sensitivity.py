"""Sensitivity: each parameter swung over its committed range (±10% where unranged), as
tornado charts with both ends per row, and the bottleneck; +1 point on rates as a labelled
alternative view. A division's ranged per head has a chart of its own: the change in its hires."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from model.uncertainty import STEPS
from ui import capacity as cap
from ui import charts, state
from ui.common import fmt, require_plan, stage_name
from ui.format import inert
from ui.i18n import t
from ui.views import bottleneck_sentence, effect_label, tornado_rows, unreachable_ends

F = fmt()
st.title(t("sens.title"))
cur = require_plan()
scenario, plan = cur.scenario, cur.plan
with st.spinner(t("sens.running")):
    sens = state.sensitivity_of(cur)  # the bottleneck is always judged on the committed ranges
st.info(bottleneck_sentence(scenario, sens, F))
step = st.radio(
    t("sens.view"),
    STEPS,
    format_func=lambda s: t(f"sens.view.{s}"),
    horizontal=True,
    key="sens.view",
    help=t("sens.view_help"),
)
st.caption(t("sens.caption" if step == "range" else "sens.caption_point"))
shown = sens if step == "range" else state.sensitivity_of(cur, step)
effects = [e for e in shown.effects if e.span("bookings") > 0 or e.span("inflow") > 0]
names = [effect_label(scenario, e, F) for e in effects]
highlight = [e.stage == sens.bottleneck and e.name == "conversion" for e in effects]
if step == "range":
    titles = {"down": t("sens.low"), "up": t("sens.high")}
else:
    titles = {"down": t("sens.down"), "up": t("sens.up")}
titles |= {"at": t("sens.at"), "effect": t("sens.effect")}

# one chart a row: side by side, the bars and the legend were squeezed out at 1024 px
st.subheader(t("sens.bookings"))
df = tornado_rows(effects, names, highlight, "bookings", F)
st.altair_chart(
    charts.tornado_chart(df, t("sens.bookings_axis"), F.money_axis(), titles), width="stretch"
)
first = stage_name(scenario, scenario.stage_keys[0])
st.subheader(t("sens.inflow", stage=inert(first)))
if shown.ranked_by == "inflow":
    df = tornado_rows(effects, names, highlight, "inflow", F)
    st.altair_chart(
        charts.tornado_chart(df, t("sens.inflow_axis", stage=first), None, titles),
        width="stretch",
    )
    for line in unreachable_ends(scenario, shown, F):
        st.warning(line)
else:
    st.info(t("sens.no_target"))

# a ranged per_head moves no booking nor the required inflow: its rows have their own chart, the
# change in that division's hires over the plan (spec section 8 in section 6's tornado)
# (none where the scenario has no such range, or where either end needs the same hires)
df = cap.per_head_tornado_rows(sens, F)
if step == "range" and not df.empty:
    st.subheader(t("capacity.tornado.title"))
    st.caption(t("capacity.tornado.caption"))
    ends = {"down": t("capacity.tornado.low"), "up": t("capacity.tornado.high")}
    st.altair_chart(
        charts.tornado_chart(
            df,
            t("capacity.tornado.axis"),
            None,
            ends | {"at": t("capacity.per_head"), "effect": t("sens.effect")},
        ),
        width="stretch",
    )
