"""Sensitivity: what one step of each parameter is worth, as tornado charts, with the
bottleneck highlighted."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from ui import charts, state
from ui.common import fmt, param_name, require_plan, stage_name
from ui.i18n import t
from ui.views import bottleneck_sentence, tornado_rows

F = fmt()
st.title(t("sens.title"))
cur = require_plan()
scenario, plan = cur.scenario, cur.plan
with st.spinner(t("sens.running")):
    sens = state.sensitivity_of(cur)
st.info(bottleneck_sentence(scenario, sens, F))
effects = [e for e in sens.effects if e.span("bookings") > 0 or e.span("inflow") > 0]
names = [f"{param_name(scenario, e.name, e.stage)} ({e.step_label})" for e in effects]
highlight = [e.stage == sens.bottleneck and e.name == "conversion" for e in effects]
titles = {"down": t("sens.down"), "up": t("sens.up")}

left, right = st.columns(2)
with left:
    st.subheader(t("sens.bookings"))
    df = tornado_rows(effects, names, highlight, "bookings", F)
    st.altair_chart(
        charts.tornado_chart(df, t("sens.bookings_axis"), F.money_axis(), titles), width="stretch"
    )
with right:
    first = stage_name(scenario, scenario.stage_keys[0])
    st.subheader(t("sens.inflow", stage=first))
    if sens.ranked_by == "inflow":
        df = tornado_rows(effects, names, highlight, "inflow", F)
        st.altair_chart(
            charts.tornado_chart(df, t("sens.inflow_axis", stage=first), None, titles),
            width="stretch",
        )
    else:
        st.info(t("sens.no_target"))
st.caption(t("sens.caption"))
