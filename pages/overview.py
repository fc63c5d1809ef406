"""Overview: the target against the projection, the gap, the odds, what is required, the
bottleneck and the funnel."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from ui import charts, state
from ui.common import fmt, metric_vs_baseline, require_plan, show_warnings, stage_name
from ui.i18n import t
from ui.views import bottleneck_sentence, funnel_rows, lead_stage, mean_arrivals

F = fmt()
st.title(t("overview.title"))
cur = require_plan()
scenario, plan = cur.scenario, cur.plan
target = scenario.target
st.caption(t("overview.caption", start=F.month(plan.months[0]), end=F.month(plan.months[-1])))

at_current = state.current_inflow_plan(state.draft()).plan
lead = lead_stage(scenario)
first = scenario.stages[0].key

c1, c2, c3, c4 = st.columns(4)
if target is not None:
    metric = target.metric
    got_now = at_current.totals[metric] if at_current is not None else 0.0
    c1.metric(
        t("overview.target", metric=t(f"metric.{metric}")),
        F.metric_value(metric, target.horizon_total),
        help=t(f"target.kind_help.{target.kind}"),
    )
    c2.metric(
        t("overview.at_current", metric=t(f"metric.{metric}")),
        F.metric_value(metric, got_now),
        help=t(
            "overview.at_current_help", inflow=F.count(scenario_inflow := at_current.inflow.mean())
        )
        if at_current is not None
        else None,
    )
    gap = got_now - target.horizon_total
    c3.metric(
        t("overview.gap"),
        F.metric_value(metric, gap, signed=True),
        delta=t(
            "overview.gap_ratio",
            pct=F.pct(gap / target.horizon_total if target.horizon_total else 0),
        ),
        delta_color="normal",
        help=t("overview.gap_help"),
    )
    with st.spinner(t("mc.running")):
        mc = state.monte_carlo_of(cur)
    c4.metric(
        t("overview.probability"),
        F.pct(mc.probability, digits=0) if mc.probability is not None else "—",
        help=t("overview.probability_help", draws=F.count(mc.draws)),
    )
else:
    c1.metric(t("overview.target_none"), "—")
    c2.metric(t("metric.bookings"), F.money(plan.totals["bookings"]))
    c3.metric(t("metric.revenue"), F.money(plan.totals["revenue"]))
    c4.metric(t("metric.wins"), F.count(plan.totals["wins"], digits=1))

base_plan = state.baseline_plan().plan
d1, d2, d3, d4 = st.columns(4)
inflow_now = at_current.inflow.mean() if at_current is not None else 0.0
d1.metric(
    t("overview.required_inflow", stage=stage_name(scenario, first)),
    F.count(plan.required_inflow_per_month),
    delta=t(
        "overview.vs_current",
        value=F.count(plan.required_inflow_per_month - inflow_now, signed=True),
    )
    if target is not None
    else None,
    delta_color="inverse",
    help=t("overview.required_inflow_help"),
)
with d2:
    metric_vs_baseline(
        t("overview.required_leads", stage=stage_name(scenario, lead)),
        mean_arrivals(plan, lead),
        mean_arrivals(base_plan, lead),
        F,
        help=t("overview.required_leads_help"),
    )
d3.metric(t("overview.plan_bookings"), F.money(plan.totals["bookings"]))
d4.metric(t("overview.plan_revenue"), F.money(plan.totals["revenue"]))

sens = state.sensitivity_of(cur)
st.info(bottleneck_sentence(scenario, sens, F))
show_warnings(plan.warnings)

st.subheader(t("overview.funnel"))
funnel = charts.funnel_frame(*funnel_rows(scenario, plan, F))
st.altair_chart(
    charts.funnel_chart(funnel, t("overview.funnel_value"), t("overview.funnel_conversion")),
    width="stretch",
)
st.caption(
    t(
        "overview.funnel_caption_log"
        if charts.funnel_is_logarithmic(funnel)
        else "overview.funnel_caption"
    )
)
