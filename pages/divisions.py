"""Divisions (責任範囲): what each division must deliver, the range it commits to, what its low
end costs, and its hand-off rule."""

from ui.common import require_frame

require_frame(__file__)

import pandas as pd
import streamlit as st

from model.responsibility import divisions_in, owned_levers
from model.uncertainty import PERCENTILES
from ui import capacity, charts, edits, state
from ui.asis import asis_beside_tobe
from ui.common import (
    RATE_STEP,
    division_name,
    fmt,
    param_name,
    scenario_error_reason,
    show_scenario_error,
    stage_name,
)
from ui.format import inert
from ui.i18n import t
from ui.present import presenting
from ui.views import inflow_for_confidence_text, required_percentiles_text

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
    if presenting():  # a room reads the ranges; nobody edits them there (ui.present)
        ranges = {
            inert(param_name(scenario, ref.name, ref.stage)): " / ".join(
                F.pct(state.param_value(data, state.json_path(data, ref.path), end), digits=2)
                for end in ENDS
            )
            for ref in levers
        }
        st.markdown("\n".join(f"- {k}: **{v}**" for k, v in ranges.items()))
        st.caption(t("present.ranges"))
        return
    for ref in levers:
        path = state.json_path(data, ref.path)
        # shown as typed, to a hundredth of a point (26.27 showed 26.3, and retyping it moved the
        # plan); the arrows step a tenth, or a hundredth under 10% (the sample's 2.22 / 2.26 / 2.29)
        small = state.param_value(data, path, "high") < 0.1
        cols = st.columns([1.4, 1, 1, 1])
        cols[0].markdown(inert(param_name(scenario, ref.name, ref.stage)))
        for col, end in zip(cols[1:], ENDS, strict=True):
            col.number_input(
                t(f"div.end.{end}"),
                min_value=0.0,
                max_value=100.0 if ref.name != "expansion_rate" else 1000.0,
                step=RATE_STEP if small else 0.1,
                format="%.2f",
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
# the band and the fan in the metric the target is set in (revenue without a target)
metric = scenario.target.metric if scenario.target is not None else "revenue"
name = t(f"metric.{metric}")


def show(x: float, signed: bool = False) -> str:
    return F.metric_value(metric, x, signed)


planned = plan.totals[metric]
low, high = band.planned_pessimistic.totals[metric], band.planned_optimistic.totals[metric]
# three tiles a row: four cut the labels and the Japanese amounts off at 1024 px
b1, b2, b3 = st.columns(3)
b1.metric(t("div.metric_base", metric=name), show(planned))
b2.metric(
    t("div.metric_low", metric=name),
    show(low),
    delta=show(low - planned, signed=True),
    help=t("div.band_help"),
)
b3.metric(
    t("div.metric_high", metric=name),
    show(high),
    delta=show(high - planned, signed=True),
    help=t("div.band_help"),
)
target_text = None
if scenario.target is not None:
    target_text = show(scenario.target.horizon_total)
    if scenario.target.kind == "monthly":
        target_text = t("overview.target_monthly_sum", value=target_text)
if mc.confidence is not None:  # the plan's confidence: every division delivering the plan
    plan_inflow = F.count(plan.required_inflow_per_month)
    draws = F.count(mc.draws)
    quiet = {"delta_color": "off", "delta_arrow": "off"}
    o1, o2, _ = st.columns(3)
    o1.metric(
        t("overview.confidence"),
        F.pct(mc.confidence, digits=0),
        delta=t("overview.confidence_delta", inflow=plan_inflow),
        help=t("overview.confidence_help", draws=draws, inflow=plan_inflow, target=target_text),
        **quiet,
    )
    o2.metric(
        t("overview.need", stage=inert(stage_name(scenario, scenario.stage_keys[0]))),
        inflow_for_confidence_text(mc, 80, F),
        delta=t("overview.need_delta", value=inflow_for_confidence_text(mc, 90, F)),
        help=t("overview.need_help", draws=draws, **required_percentiles_text(mc, F)),
        **quiet,
    )
fan = mc.fan_frame(metric)
fan["month"] = [F.month_short(m) for m in fan["month"]]
for p in PERCENTILES:
    fan[f"p{p}_text"] = [show(v) for v in fan[f"p{p}"]]
st.altair_chart(
    charts.fan_chart(
        fan,
        t("div.fan_axis", metric=name),
        F.money_axis() if metric != "wins" else None,
        {f"p{p}": t(f"mc.p{p}") for p in PERCENTILES},
    ),
    width="stretch",
)
caption = t(
    "div.fan_caption",
    metric=name,
    draws=F.count(mc.draws),
    p10=show(mc.percentile(metric, 10)),
    p50=show(mc.percentile(metric, 50)),
    p90=show(mc.percentile(metric, 90)),
)
if target_text is not None:
    caption += " " + t("div.fan_target", target=target_text)
st.caption(caption)
for end, exc in band.failures:
    reason = scenario_error_reason(exc, F, data.get("stages") or ())
    st.warning(t(f"div.band_failure.{end}", reason=reason))

# ----- one panel per division ------------------------------------------------------------------
asis_window, asis_rows = asis_beside_tobe(state.baseline(), data)


def asis_table(d: str) -> None:
    """The division's stages: AsIs (the baseline from data) beside ToBe (this plan)."""
    rows = [r for r in asis_rows if r.division == d]
    if asis_rows and not rows:
        return  # the division owns no stage with rates (customer success)
    with st.expander(t("div.asis")):
        if not rows:
            st.caption(t("div.asis_none"))
            return
        start, end = asis_window.get("window") or ("", "")
        used = {r.stage: r.items or 0 for r in rows}
        st.caption(t("div.asis_caption", start=F.month(start), end=F.month(end),
                     items=F.count(sum(used.values()))))  # fmt: skip

        def show(r, x: float | None) -> str:
            return "—" if x is None else F.months(x) if r.field == "lag" else F.pct(x, digits=2)

        def change(r) -> str:
            if r.field != "lag":
                return F.points(r.change)
            return ("+" if r.change > 0 else "-" if r.change < 0 else "") + F.months(abs(r.change))

        inside = {True: t("div.asis.yes"), False: t("div.asis.no"), None: "—"}
        table = pd.DataFrame({
            t("div.asis.stage"): [stage_name(scenario, r.stage) for r in rows],
            t("div.asis.param"): [t(f"param.{r.field}") for r in rows],
            t("div.asis.asis"): [show(r, r.asis) for r in rows],
            t("div.asis.tobe"): [show(r, r.tobe) for r in rows],
            t("div.asis.change"): [change(r) for r in rows],
            t("div.asis.change_pct"): [F.pct(r.change_pct, signed=True) for r in rows],
            t("div.asis.range"): [f"{show(r, r.low)} – {show(r, r.high)}" if r.low is not None
                                  else "—" for r in rows],
            t("div.asis.inside"): [inside[r.inside] for r in rows],
            t("div.asis.items"): [F.count(r.items) for r in rows],
        })  # fmt: skip
        st.dataframe(table, hide_index=True, width="stretch", key=f"div.asis.{d}")


for view in views:
    d = view.division
    with st.container(border=True, key=f"div.panel.{d}"):
        st.subheader(division_name(d))
        left, right = st.columns([1, 1.3])
        with left:
            if view.kpi_stage is not None:
                duty = view.duties[-1]
                kpi = inert(stage_name(scenario, duty.stage))  # in labels and captions
                k1 = k2 = st.container()  # stacked: side by side they were cut off at 1024 px
                k1.metric(
                    t("div.kpi", stage=kpi),
                    F.count(duty.total / len(plan.months)),
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
                k1 = k2 = st.container()
                k1.metric(t("div.kpi_customers"), F.count(plan.customers[-1]))
                k2.metric(t("div.kpi_mrr"), F.money(plan.mrr[-1]))
            capacity.division_tile(cur, d, F)  # heads needed vs the team
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
                    stage_name(scenario, duty.stage): F.counts(duty.monthly) for duty in view.duties
                }
                st.markdown(f"**{t('div.monthly_target')}**")
                st.dataframe(
                    pd.DataFrame(table, index=[F.month_short(m) for m in plan.months]).T,
                    width="stretch",
                )
        lever_inputs(d, view.levers, scenario)
        asis_table(d)
        current_text = scenario.handoff(d) or t(f"handoff.default.{d}")
        if presenting():  # the rule as text, not a box to type in
            st.markdown(f"**{t('div.handoff')}**")
            st.markdown(inert(current_text))
        else:
            st.text_area(
                t("div.handoff"),
                height=80,
                **state.bind_custom(
                    f"div.{d}.handoff",
                    current_text,
                    lambda v, d=d: edits.set_handoff(data, d, v or ""),
                ),
            )
