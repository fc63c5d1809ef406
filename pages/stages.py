"""Stages and recycle: flow and stock per stage, the recycle pool, disqualified volume, and
where stock piles up."""

from ui.common import require_frame

require_frame(__file__)

import pandas as pd
import streamlit as st

from ui import charts
from ui.common import fmt, require_plan, small_multiples, stage_name
from ui.format import inert
from ui.i18n import t
from ui.views import where_stock_piles

F = fmt()
st.title(t("stages.title"))
cur = require_plan()
scenario, plan = cur.scenario, cur.plan
months = [F.month_short(m) for m in plan.months]
open_keys = scenario.stage_keys[:-1]
names_all = [stage_name(scenario, k) for k in scenario.stage_keys]
names = names_all[:-1]


def frame(rows, keys_names, digits=1):
    return charts.long_frame(
        months,
        {n: list(rows[i]) for i, n in enumerate(keys_names)},
        {n: [F.count(v, digits=digits) for v in rows[i]] for i, n in enumerate(keys_names)},
    )


pile = where_stock_piles(scenario, plan)
if pile is not None:
    st.info(
        t(
            "stages.pile",
            stage=inert(stage_name(scenario, pile[0])),
            stock=F.count(pile[1]),
            months=F.months(pile[2]),
        )
    )

st.subheader(t("stages.flow"))
small_multiples(frame(plan.arrivals, names_all), t("plan.arrivals_axis"))
st.subheader(t("stages.stock"))
st.altair_chart(
    charts.stacked_area_chart(frame(plan.stock, names), t("stages.stock_axis"), legend=None),
    width="stretch",
)

st.subheader(t("stages.pool"))
p1, p2, p3 = st.columns(3)
p1.metric(t("stages.pool_end"), F.count(plan.pool_balance[-1]))
p2.metric(t("stages.reactivated_total"), F.count(plan.reactivated.sum()))
p3.metric(t("stages.recycled_total"), F.count(plan.recycled.sum()))
# one chart a row: side by side at a projector's 1024 px, the legend ("Opportu…") and the axis
# titles were cut
pool = charts.long_frame(
    months,
    {
        t("stages.pool_balance"): list(plan.pool_balance),
        t("stages.reactivated"): list(plan.reactivated),
    },
    {
        t("stages.pool_balance"): [F.count(v) for v in plan.pool_balance],
        t("stages.reactivated"): F.counts(plan.reactivated),
    },
)
st.altair_chart(charts.line_chart(pool, t("stages.items_axis")), width="stretch")
st.altair_chart(
    charts.stacked_bar_chart(frame(plan.recycled, names), t("stages.recycled_axis")),
    width="stretch",
)

st.subheader(t("stages.disqualified"))
st.altair_chart(
    charts.stacked_bar_chart(
        frame(plan.disqualified, names),
        t("stages.disqualified_axis"),
        colors=charts.LOSS_SHADES[: len(names)],  # a loss at every stage: never green
    ),
    width="stretch",
)

st.subheader(t("stages.summary"))
summary = pd.DataFrame(
    {
        t("stages.col.arrivals"): [F.count(plan.arrivals[i].sum()) for i in range(len(open_keys))],
        t("stages.col.converted"): [
            F.count(plan.converted[i].sum()) for i in range(len(open_keys))
        ],
        t("stages.col.disqualified"): [
            F.count(plan.disqualified[i].sum()) for i in range(len(open_keys))
        ],
        t("stages.col.recycled"): [F.count(plan.recycled[i].sum()) for i in range(len(open_keys))],
        t("stages.col.lost"): [F.count(plan.lost[i].sum()) for i in range(len(open_keys))],
        t("stages.col.stock_end"): [F.count(plan.stock[i][-1]) for i in range(len(open_keys))],
    },
    index=names,
)
with st.container(key="fit-stages-outcomes"):  # every column in sight at 1024 px
    st.dataframe(summary, width="stretch")
