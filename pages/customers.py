"""Customer success: onboarding, renewals, expansion and churn; customers and MRR; NRR, GRR
and LTV."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from model.customers import customer_flows
from ui import charts
from ui.common import fmt, require_plan
from ui.i18n import t

F = fmt()
st.title(t("cs.title"))
cur = require_plan()
scenario, plan = cur.scenario, cur.plan
flows = customer_flows(scenario, plan)
months = [F.month_short(m) for m in plan.months]
sub = scenario.deal.revenue == "subscription"

c = st.columns(3) + st.columns(3)  # two rows: 億/万 amounts need the width
c[0].metric(t("cs.customers_end"), F.count(plan.customers[-1]))
c[1].metric(t("cs.mrr_end"), F.money(plan.mrr[-1]) if sub else "—")
c[2].metric(t("cs.nrr"), F.pct(flows.nrr))
c[3].metric(t("cs.grr"), F.pct(flows.grr))
c[4].metric(t("cs.ltv"), F.money(flows.ltv) if flows.ltv is not None else t("cs.unbounded"))
c[5].metric(t("cs.monthly_churn"), F.pct(flows.monthly_churn, digits=2))
st.caption(t("cs.formulas_sub" if sub else "cs.formulas_one_time"))

left, right = st.columns(2)
with left:
    st.subheader(t("cs.customers"))
    series = {
        t("cs.customers_series"): list(plan.customers),
        t("cs.onboarding"): list(flows.onboarding),
    }
    df = charts.long_frame(months, series, {k: F.counts(s) for k, s in series.items()})
    st.altair_chart(charts.line_chart(df, t("cs.customers_axis")), width="stretch")
with right:
    st.subheader(t("cs.mrr"))
    if sub:
        df = charts.long_frame(
            months,
            {t("cs.mrr_series"): list(plan.mrr)},
            {t("cs.mrr_series"): [F.money(v) for v in plan.mrr]},
        )
        st.altair_chart(charts.line_chart(df, t("cs.mrr_axis"), F.money_axis()), width="stretch")
    else:
        st.info(t("cs.one_time"))

left, right = st.columns(2)
with left:
    st.subheader(t("cs.customer_moves"))
    series = {t("cs.new"): list(flows.new_customers), t("cs.churned"): [-v for v in flows.churned]}
    df = charts.long_frame(months, series, {k: F.counts(s) for k, s in series.items()})
    st.altair_chart(
        charts.stacked_bar_chart(
            df,
            t("cs.customers_axis"),
            colors=[charts.GAIN, charts.LOSS],  # churn in red
        ),
        width="stretch",
    )
with right:
    st.subheader(t("cs.mrr_moves"))
    if sub:
        series = {
            t("cs.mrr_new"): list(flows.mrr_new),
            t("cs.mrr_expansion"): list(flows.mrr_expansion),
            t("cs.mrr_churn"): list(flows.mrr_churn),
        }
        df = charts.long_frame(
            months, series, {k: [F.money(v) for v in s] for k, s in series.items()}
        )
        st.altair_chart(
            charts.stacked_bar_chart(
                df,
                t("cs.mrr_axis"),
                F.money_axis(),
                colors=[charts.GAIN, charts.GROWTH, charts.LOSS],  # new, expansion, churn
            ),
            width="stretch",
        )
    else:
        st.info(t("cs.one_time"))
