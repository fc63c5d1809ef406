"""Plan (逆算): set the target and every lever; the required inflow and the arrivals per stage
follow at once."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from ui import charts, edits, seek, state
from ui.common import (
    amount_input,
    fmt,
    metric_vs_baseline,
    param_name,
    range_moved_text,
    rate_slider,
    scenario_error_reason,
    show_scenario_error,
    show_warnings,
    small_multiples,
    stage_label,
    stage_name,
    warning_text,
)
from ui.format import inert
from ui.i18n import t
from ui.monthly import (
    STATUSES,
    is_month_warning,
    miss_groups,
    month_list,
    target_chart,
    target_frame,
)
from ui.present import presenting
from ui.views import arrivals_table, lead_stage, mean_arrivals

F = fmt()
data = state.draft()
st.title(t("plan.title"))
st.caption(t("plan.caption"))

# ----- the target --------------------------------------------------------------------------------
if presenting():  # a room reads the plan; nobody edits it there (ui.present)
    st.info(t("present.read_only"))
else:
    kind = edits.target_kind(data)
    # the kind on a row of its own: in a third of the page "Annual total | Monthly | None" was cut
    # off at a projector's 1024 px
    c1 = st.container()
    c2, c3 = st.columns([1, 1.4])
    c1.segmented_control(
        t("plan.target_kind"),
        options=list(edits.TARGET_KINDS),
        format_func=lambda k: t(f"target.kind.{k}"),
        required=True,
        **state.bind_custom("plan.target.kind", kind, lambda v: edits.set_target_kind(data, v)),
    )
    if kind != "none":
        metric = data["target"].get("metric", "bookings")
        c2.selectbox(
            t("plan.target_metric"),
            # a monthly target is in wins or bookings (spec section 4: revenue lags the wins)
            options=[m for m in edits.TARGET_METRICS if kind == "total" or m != "revenue"],
            format_func=lambda m: t(f"metric.{m}"),
            **state.bind_custom(
                "plan.target.metric", metric, lambda v: edits.set_target_metric(data, v)
            ),
        )
        money = metric != "wins"
        label = t(
            f"plan.target_value.{kind}",
            unit=t(f"unit.{'money' if money else 'wins'}", cur=data.get("currency", "JPY")),
        )
        if money:  # typed as people write amounts: 8,500,000,000 · 85億 · 8.5B
            amount_input(
                c3,
                label,
                "plan.target.amount",
                edits.target_value(data),
                lambda v: edits.set_target_value(data, v),
                help=t("plan.target_value_help") + " " + t("input.amount_help"),
            )
        else:
            c3.number_input(
                label,
                min_value=0.0,
                step=1.0,
                format="%.1f",
                help=t("plan.target_value_help"),
                **state.bind_custom(
                    "plan.target.value",
                    edits.target_value(data),
                    lambda v: edits.set_target_value(data, v),
                ),
            )
        c3.caption(F.metric_value(metric, edits.target_value(data)))
    else:
        c2.number_input(
            t("plan.inflow", stage=inert(stage_label(data["stages"][0]))),
            min_value=0.0,
            step=100.0,
            format="%.0f",
            **state.bind("plan.inflow", ("inflow",)),
        )

results = st.container()

# ----- the levers ---------------------------------------------------------------------------------
if not presenting():
    moved = st.session_state.pop(state.RANGE_MOVED, None)  # said once, when it happens
    if moved is not None:
        st.info(range_moved_text(moved, data, F), icon=":material/straighten:")
    tab_stages, tab_deal, tab_recycle = st.tabs(
        [t("plan.tab_stages"), t("plan.tab_deal"), t("plan.tab_recycle")]
    )
    stages = data["stages"]
    with tab_stages:
        cols = st.columns(max(1, len(stages) - 1))
        for i, stage in enumerate(stages[:-1]):
            key = stage["key"]
            with cols[i]:
                st.markdown(
                    f"**{inert(stage_label(stage))} → {inert(stage_label(stages[i + 1]))}**"
                )
                for name in ("conversion", "disqualify", "recycle"):
                    rate_slider(name, f"plan.stage.{key}.{name}", ("stages", i, name))
                st.number_input(
                    t("param.lag_months"),
                    min_value=0.0,
                    max_value=60.0,
                    step=0.5,
                    format="%.1f",
                    help=t("param.lag_help"),
                    **state.bind(f"plan.stage.{key}.lag", ("stages", i, "lag")),
                )
    with tab_deal:
        d1, d2, d3 = st.columns(3)
        amount_input(
            d1,
            t("param.size_amount", cur=data.get("currency", "JPY")),
            "plan.deal.size_text",
            state.param_value(data, ("deal", "size")),
            lambda v: state.set_param(data, ("deal", "size"), float(v)),
        )
        d1.caption(F.money(state.param_value(data, ("deal", "size"))))
        d2.selectbox(
            t("param.revenue_kind"),
            options=["one_time", "subscription"],
            format_func=lambda k: t(f"revenue_kind.{k}"),
            **state.bind_custom(
                "plan.deal.revenue",
                data.get("deal", {}).get("revenue", "one_time"),
                lambda v: state.set_in(data, ("deal", "revenue"), v),
            ),
        )
        d3.number_input(
            t("param.onboarding_months"),
            min_value=0,
            max_value=60,
            step=1,
            **state.bind_custom(
                "plan.deal.onboarding",
                int(data.get("deal", {}).get("onboarding_months", 0)),
                lambda v: state.set_in(data, ("deal", "onboarding_months"), int(v or 0)),
            ),
        )
        e1, e2 = st.columns(2)
        with e1:
            rate_slider(
                "renewal_rate", "plan.customers.renewal", ("customers", "renewal_rate"), default=1.0
            )
        with e2:
            rate_slider(
                "expansion_rate", "plan.customers.expansion", ("customers", "expansion_rate")
            )
    with tab_recycle:
        rec = data.get("recycle") or {}
        mode = "volume" if rec.get("volume") is not None else "rate"
        r1, r2, r3 = st.columns(3)
        r1.radio(
            t("plan.recycle_mode"),
            options=["rate", "volume"],
            format_func=lambda m: t(f"recycle_mode.{m}"),
            horizontal=True,
            **state.bind_custom(
                "plan.recycle.mode", mode, lambda v: edits.set_recycle_mode(data, v)
            ),
        )
        reentry_opts = [s["key"] for s in stages[:-1]]
        r1.selectbox(
            t("plan.reentry"),
            options=reentry_opts,
            format_func=lambda k: stage_label(stages[state.stage_index(data, k)]),
            **state.bind_custom(
                "plan.recycle.reentry",
                rec.get("reentry", reentry_opts[min(1, len(reentry_opts) - 1)]),
                lambda v: state.set_in(data, ("recycle", "reentry"), v),
            ),
        )
        with r2:
            if mode == "rate":
                rate_slider(
                    "reactivation", "plan.recycle.reactivation", ("recycle", "reactivation")
                )
            else:
                st.number_input(
                    t("param.volume"),
                    min_value=0.0,
                    step=10.0,
                    format="%.1f",
                    help=t("param.volume_help"),
                    **state.bind("plan.recycle.volume", ("recycle", "volume")),
                )
            rate_slider("expiry", "plan.recycle.expiry", ("recycle", "expiry"))
        r3.number_input(
            t("param.pool_opening"),
            min_value=0.0,
            step=10.0,
            format="%.0f",
            **state.bind("plan.recycle.opening", ("recycle", "opening")),
        )
        st.markdown(f"**{t('plan.opening_pipeline')}**")
        ocols = st.columns(max(1, len(stages) - 1))
        for i, stage in enumerate(stages[:-1]):
            key = stage["key"]
            ocols[i].number_input(
                t("plan.opening_stage", stage=inert(stage_label(stage))),
                min_value=0.0,
                step=10.0,
                format="%.0f",
                **state.bind(f"plan.opening.{key}", ("opening", key)),
            )


# ----- goal seek (spec section 10) ----------------------------------------------------------------
def lever_value(path: str, value: float) -> str:
    kind = seek.kind(path)
    if kind == "money":
        return F.money(value)
    if kind == "count":
        return F.count(value)
    return F.pct(value, digits=2)


def lever_label(scenario, path: str) -> str:
    if path.startswith("stages."):
        return param_name(scenario, "conversion", path.split(".")[1])
    return t(f"param.{path.split('.')[1]}")


def goal_seek_section(scenario, cur) -> None:
    """With today's inflow, the value of one lever that meets the total target, and a button
    that makes it the plan's value."""
    st.subheader(t("plan.seek.title"))
    first = inert(stage_name(scenario, scenario.stage_keys[0]))
    st.caption(t("plan.seek.caption", inflow=F.count(data["inflow"]), stage=first))
    paths = seek.levers(scenario)
    # the lever on a row of its own: beside the answer, a stage's name ("Opportunities ·
    # Conversi…") was cut at a projector's 1024 px
    path = st.selectbox(
        t("plan.seek.lever"),
        paths,
        index=None,  # nothing is sought until a lever is chosen: a seek is a third of a rerun
        placeholder=t("plan.seek.choose"),
        format_func=lambda p: lever_label(scenario, p),
        key="plan.seek.lever",
    )
    if path is None:
        st.caption(t("plan.seek.choose_hint"))
        return
    c2, c3 = st.columns(2, vertical_alignment="bottom")
    answer, err = seek.seek(cur, path)
    if err is not None:
        st.info(t("plan.seek.none", reason=scenario_error_reason(err, F, data["stages"])))
        return
    c2.metric(
        t("plan.seek.needed"),
        lever_value(path, answer.value),
        delta=t("plan.seek.today", value=lever_value(path, answer.base))
        if isinstance(answer.base, int | float)
        else None,
        delta_color="off",
        delta_arrow="off",
    )
    if not presenting():
        c3.button(
            t("plan.seek.apply", value=lever_value(path, answer.value)),
            key="plan.seek.apply",
            on_click=seek.apply,
            args=(data, path, answer.value),
            disabled=bool(answer.warnings),
        )
    for w in answer.warnings:
        st.info(warning_text(w, F))


# ----- the results (drawn above the levers) ------------------------------------------------------
with results:
    cur = state.current()
    if not cur.ok:
        show_scenario_error(cur.error)
        st.stop()
    scenario, plan = cur.scenario, cur.plan
    base_plan = state.baseline_plan().plan
    first = scenario.stage_keys[0]
    lead = lead_stage(scenario)
    # two rows of tiles: five in a row cut the numbers off at a projector's 1024 px
    m1, m2, _ = st.columns(3)
    m3, m4, m5 = st.columns(3)
    with m1:
        metric_vs_baseline(
            t("overview.required_inflow", stage=inert(stage_name(scenario, first))),
            plan.required_inflow_per_month,
            base_plan.required_inflow_per_month if base_plan is not None else None,
            F,
        )
    with m2:
        metric_vs_baseline(
            t("overview.required_leads", stage=inert(stage_name(scenario, lead))),
            mean_arrivals(plan, lead),
            mean_arrivals(base_plan, lead),
            F,
        )
    tgt = scenario.target
    for col, m in zip((m3, m4, m5), ("wins", "bookings", "revenue"), strict=True):
        value = plan.totals[m]
        delta = None
        gap = value - tgt.horizon_total if tgt is not None else 0.0
        if tgt is not None and tgt.metric == m and abs(gap) > 1e-6 * max(1.0, tgt.horizon_total):
            delta = t(
                "plan.vs_target", value=F.metric_value(m, value - tgt.horizon_total, signed=True)
            )
        col.metric(t(f"plan.projected.{m}"), F.metric_value(m, value), delta=delta)
    if tgt is not None and tgt.monthly is not None:
        # spec section 4: the months off target are shown once, in the chart and its summary
        show_warnings(tuple(w for w in plan.warnings if not is_month_warning(w)))
        st.subheader(t("plan.monthly.title", metric=t(f"metric.{tgt.metric}")))
        status = {k: t(f"plan.monthly.status.{k}") for k in STATUSES}
        frame = target_frame(plan, F, status)
        titles = {
            "month": t("plan.monthly.month"),
            "plan": t("plan.monthly.plan"),
            "target": t("plan.monthly.target"),
            "status": t("plan.monthly.status"),
            "axis": t(f"metric.{tgt.metric}"),
        } | {"on": status["on"], "off": status["off"]}
        money_axis = F.money_axis() if tgt.metric != "wins" else None
        st.altair_chart(target_chart(frame, titles, money_axis), width="stretch")
        st.caption(t("plan.monthly.caption"))
        groups = miss_groups(plan)
        if groups:
            lines = []
            for g in groups:
                months_text = month_list(g["months"], F.month, t("plan.monthly.sep"))
                cause = t(f"warning.cause.{g['cause']}") if g["cause"] else ""
                lines.append(
                    "- "
                    + t(
                        f"plan.monthly.{g['kind']}",
                        months=months_text,
                        wins=F.count(g["wins"], digits=1),
                        cause=cause,
                    ).strip()
                )
            st.warning(t("plan.monthly.misses") + "\n\n" + "\n".join(lines))
        else:
            st.success(t("plan.monthly.all_met"))
    else:
        show_warnings(plan.warnings)
    if tgt is not None and tgt.total is not None and data.get("inflow") is not None:
        goal_seek_section(scenario, cur)


# ----- arrivals per stage per month (below the levers) ----------------------------------------
st.subheader(t("plan.arrivals"))
names = [stage_name(scenario, k) for k in scenario.stage_keys]
months = [F.month_short(m) for m in plan.months]
df = charts.long_frame(
    months,
    {n: plan.arrivals[i].tolist() for i, n in enumerate(names)},
    {n: F.counts(plan.arrivals[i]) for i, n in enumerate(names)},
)
chart_tab, table_tab = st.tabs([t("plan.chart"), t("plan.table")])
with chart_tab:
    small_multiples(df, t("plan.arrivals_axis"))
with table_tab:
    st.dataframe(arrivals_table(scenario, plan, F), width="stretch")
