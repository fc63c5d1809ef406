"""Divisions (責任範囲): what each division must deliver, the range it commits to, what its low
end costs, and its hand-off rule."""

from ui.common import require_frame

require_frame(__file__)

import pandas as pd
import streamlit as st

from model.responsibility import divisions_in, owned_levers
from model.uncertainty import PERCENTILES
from ui import charts, edits, state
from ui.common import (
    division_name,
    fmt,
    param_name,
    scenario_error_reason,
    show_scenario_error,
    stage_name,
)
from ui.i18n import t

F = fmt()
data = state.draft()
st.title(t("div.title"))
st.caption(t("div.caption"))
ENDS = ("low", "base", "high")


def lever_inputs(d, levers, scenario):
    """Low / target / stretch of each rate the division owns (in percent)."""
    levers = [ref for ref in levers if ref.name != "inflow"]
    if not levers:
        return
    st.markdown(f"**{t('div.levers')}**")
    for ref in levers:
        path = state.json_path(data, ref.path)
        cols = st.columns([1.4, 1, 1, 1])
        cols[0].markdown(param_name(scenario, ref.name, ref.stage))
        for col, end in zip(cols[1:], ENDS, strict=True):
            col.number_input(
                t(f"div.end.{end}"),
                min_value=0.0,
                max_value=100.0 if ref.name != "expansion_rate" else 1000.0,
                step=0.5,
                format="%.1f",
                **state.bind(f"div.{d}.{ref.path}.{end}", path, scale=100, end=end),
            )


cur = state.current()
if not cur.ok:
    # the message, and the ranges still editable here so the user can put them right
    show_scenario_error(cur.error)
    base_scenario = state.baseline_plan().scenario
    for d in divisions_in(base_scenario):
        with st.container(border=True):
            st.subheader(division_name(d))
            lever_inputs(d, owned_levers(base_scenario, d), base_scenario)
    st.stop()
scenario, plan = cur.scenario, cur.plan
band = state.bands_of(cur)
views = state.divisions_of(cur)

# ----- the band and the Monte Carlo fan ----------------------------------------------------------
st.subheader(t("div.band"))
with st.spinner(t("mc.running")):
    mc = state.monte_carlo_of(cur)
b1, b2, b3, b4 = st.columns(4)
b1.metric(t("div.revenue_base"), F.money(plan.totals["revenue"]))
b2.metric(
    t("div.revenue_low"),
    F.money(band.planned_pessimistic.totals["revenue"]),
    delta=F.money(band.planned_pessimistic.totals["revenue"] - plan.totals["revenue"], signed=True),
)
b3.metric(
    t("div.revenue_high"),
    F.money(band.planned_optimistic.totals["revenue"]),
    delta=F.money(band.planned_optimistic.totals["revenue"] - plan.totals["revenue"], signed=True),
)
b4.metric(
    t("overview.probability"),
    F.pct(mc.probability, digits=0) if mc.probability is not None else "—",
    help=t("overview.probability_help", draws=F.count(mc.draws)),
)
fan = mc.fan_frame("revenue")
fan["month"] = [F.month_short(m) for m in fan["month"]]
for p in PERCENTILES:
    fan[f"p{p}_text"] = [F.money(v) for v in fan[f"p{p}"]]
st.altair_chart(
    charts.fan_chart(
        fan,
        t("div.fan_axis"),
        F.money_axis(),
        {f"p{p}": t(f"mc.p{p}") for p in PERCENTILES},
    ),
    width="stretch",
)
st.caption(
    t(
        "div.fan_caption",
        draws=F.count(mc.draws),
        p10=F.money(mc.percentile("revenue", 10)),
        p50=F.money(mc.percentile("revenue", 50)),
        p90=F.money(mc.percentile("revenue", 90)),
    )
)
for end, exc in band.failures:
    reason = scenario_error_reason(exc, F, data.get("stages") or ())
    st.warning(t(f"div.band_failure.{end}", reason=reason))

# ----- one panel per division ------------------------------------------------------------------
for view in views:
    d = view.division
    with st.container(border=True, key=f"div.panel.{d}"):
        st.subheader(division_name(d))
        left, right = st.columns([1, 1.3])
        with left:
            if view.kpi_stage is not None:
                duty = view.duties[-1]
                kpi = stage_name(scenario, duty.stage)
                k1, k2 = st.columns(2)
                k1.metric(
                    t("div.kpi", stage=kpi),
                    F.count(duty.total / len(plan.months), digits=1),
                    help=t("div.kpi_help"),
                )
                k2.metric(t("div.kpi_total", stage=kpi), F.count(duty.total))
                if duty.pessimistic_total is not None and duty.optimistic_total is not None:
                    st.caption(
                        t(
                            "div.kpi_band",
                            stage=kpi,
                            low=F.count(duty.pessimistic_total),
                            high=F.count(duty.optimistic_total),
                        )
                    )
            else:
                k1, k2 = st.columns(2)
                k1.metric(t("div.kpi_customers"), F.count(plan.customers[-1]))
                k2.metric(t("div.kpi_mrr"), F.money(plan.mrr[-1]))
            cost = view.revenue_low
            if view.ranged:
                st.markdown(
                    t(
                        "div.shortfall",
                        revenue=F.money(-cost) if cost < 0 else F.money(0),
                        bookings=F.money(-view.bookings_low)
                        if view.bookings_low < 0
                        else F.money(0),
                        gain=F.money(view.revenue_high),
                    )
                )
            else:
                st.caption(t("div.no_range"))
        with right:
            if view.duties:
                table = {
                    stage_name(scenario, duty.stage): [F.count(v, digits=1) for v in duty.monthly]
                    for duty in view.duties
                }
                st.markdown(f"**{t('div.monthly_target')}**")
                st.dataframe(
                    pd.DataFrame(table, index=[F.month_short(m) for m in plan.months]).T,
                    width="stretch",
                )
        lever_inputs(d, view.levers, scenario)
        current_text = scenario.handoff(d) or t(f"handoff.default.{d}")
        st.text_area(
            t("div.handoff"),
            height=80,
            **state.bind_custom(
                f"div.{d}.handoff", current_text, lambda v, d=d: edits.set_handoff(data, d, v or "")
            ),
        )
