"""Overview: the target against today's inflow (the gap and the run-rate chance), the plan (the
inflow it requires, its confidence, the inflow for 80% / 90% confidence), the bottleneck and the
funnel."""

from ui.common import require_frame

require_frame(__file__)

import numpy as np
import pandas as pd
import streamlit as st

from ui import capacity, charts, pdf, state
from ui.common import fmt, metric_vs_baseline, require_plan, show_warnings, stage_name
from ui.format import inert
from ui.i18n import t
from ui.views import (
    bottleneck_sentence,
    funnel_rows,
    inflow_for_confidence_text,
    lead_stage,
    mean_arrivals,
    required_percentiles_text,
)

F = fmt()
st.title(t("overview.title"))
cur = require_plan()
scenario, plan = cur.scenario, cur.plan
target = scenario.target
st.caption(t("overview.caption", start=F.month(plan.months[0]), end=F.month(plan.months[-1])))

at_current = state.current_inflow_plan(state.draft()).plan
lead = lead_stage(scenario)
first = scenario.stages[0].key

inflow_now = at_current.inflow.mean() if at_current is not None else 0.0
first_name = inert(stage_name(scenario, first))  # in tile labels (markdown)
base_plan = state.baseline_plan().plan
quiet = {"delta_color": "off", "delta_arrow": "off"}  # a delta that says what a tile compares


def required_tiles(cols) -> None:
    """The first stage's and the lead stage's monthly volumes the plan requires."""
    cols[0].metric(
        t("overview.required_inflow", stage=first_name),
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
    with cols[-1]:
        metric_vs_baseline(
            t("overview.required_leads", stage=inert(stage_name(scenario, lead))),
            mean_arrivals(plan, lead),
            mean_arrivals(base_plan, lead),
            F,
            help=t("overview.required_leads_help"),
        )


if target is None:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("overview.target_none"), "—")
    c2.metric(t("metric.bookings"), F.money(plan.totals["bookings"]))
    c3.metric(t("metric.revenue"), F.money(plan.totals["revenue"]))
    d1, d2, d3 = st.columns(3)
    required_tiles([d1, d3])
    d2.metric(t("metric.wins"), F.count(plan.totals["wins"]))
else:
    # three tiles a row: four left the labels and the Japanese amounts cut off at 1024 px
    metric = target.metric
    got_now = at_current.totals[metric] if at_current is not None else 0.0
    target_text = F.metric_value(metric, target.horizon_total)
    if target.kind == "monthly":
        target_text = t("overview.target_monthly_sum", value=target_text)
    c1, c2, c3 = st.columns(3)
    c1.metric(
        t("overview.target", metric=t(f"metric.{metric}")),
        F.metric_value(metric, target.horizon_total),
        help=t(f"target.kind_help.{target.kind}"),
    )
    c2.metric(
        t("overview.at_current", metric=t(f"metric.{metric}")),
        F.metric_value(metric, got_now),
        help=t("overview.at_current_help", inflow=F.count(inflow_now)),
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

    # the two probabilities, side by side and never confused (spec section 6): the chance at
    # today's inflow (the gap's basis) and the plan's confidence (the plan's inflow)
    with st.spinner(t("mc.running")):
        mc = state.monte_carlo_of(cur)
    draws = F.count(mc.draws)
    plan_inflow = F.count(plan.required_inflow_per_month)
    o1, o2, o3 = st.columns(3)
    if mc.run_rate_chance is not None:
        now_inflow = F.count(mc.run_rate_inflow)
        o1.metric(
            t("overview.run_rate_chance"),
            F.pct(mc.run_rate_chance, digits=0),
            delta=t("overview.run_rate_delta", inflow=now_inflow),
            help=t("overview.run_rate_help", draws=draws, inflow=now_inflow, target=target_text),
            **quiet,
        )
    else:
        o1.metric(
            t("overview.run_rate_chance"),
            "—",
            delta=t("overview.run_rate_none"),
            help=t("overview.run_rate_none_help"),
            **quiet,
        )
    o2.metric(
        t("overview.confidence"),
        F.pct(mc.confidence, digits=0) if mc.confidence is not None else "—",
        delta=t("overview.confidence_delta", inflow=plan_inflow),
        help=t("overview.confidence_help", draws=draws, inflow=plan_inflow, target=target_text),
        **quiet,
    )
    o3.metric(
        t("overview.need", stage=first_name),
        inflow_for_confidence_text(mc, 80, F),
        delta=t("overview.need_delta", value=inflow_for_confidence_text(mc, 90, F)),
        help=t("overview.need_help", draws=draws, **required_percentiles_text(mc, F)),
        **quiet,
    )

    d1, d2, d3 = st.columns(3)
    required_tiles([d1, d2])
    d3.metric(t("overview.plan_revenue"), F.money(plan.totals["revenue"]))

    # where the year is heading: the metric to date against the target, month by month
    st.subheader(t("overview.projection", metric=t(f"metric.{metric}")))
    months = [F.month_short(m) for m in plan.months]
    show = (lambda v: F.count(v)) if metric == "wins" else F.money
    series = {t("overview.projection.plan"): np.cumsum(getattr(plan, metric))}
    if at_current is not None:
        series[t("overview.projection.now")] = np.cumsum(getattr(at_current, metric))
    lines = charts.long_frame(
        months, {k: list(v) for k, v in series.items()}, {k: [show(x) for x in v]
                                                          for k, v in series.items()}
    )  # fmt: skip
    low, high = mc.cumulative[metric][0], mc.cumulative[metric][-1]
    band = pd.DataFrame(
        {"month": months, "p10": low, "p90": high,
         "band_text": [t("overview.projection.band_text", low=show(a), high=show(b))
                       for a, b in zip(low, high, strict=True)]}
    )  # fmt: skip
    goal = (
        np.cumsum(target.monthly)
        if target.monthly is not None
        else np.full(len(months), target.horizon_total)
    )
    goal_frame = pd.DataFrame(
        {"month": months, "value": goal, "value_text": [show(v) for v in goal]}
    )
    titles = {"target": t("overview.projection.target")}
    st.altair_chart(
        charts.projection_chart(
            lines, band, goal_frame, t(f"metric.{metric}"),
            F.money_axis() if metric != "wins" else None, titles,
        ),
        width="stretch",
    )  # fmt: skip
    st.caption(
        t(
            "overview.projection.caption_monthly"
            if target.monthly is not None
            else "overview.projection.caption",
            draws=draws,
        )
    )

capacity.overview_tiles(cur, F)  # heads to hire, CAC, payback (spec section 8)
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
pdf.download_button(cur, F, key="overview.dl.pdf")  # this page and the divisions on one page
