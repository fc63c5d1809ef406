"""Customer success: onboarding, renewals, expansion and churn; customers and MRR; NRR, GRR
and LTV."""

from ui.common import require_frame

require_frame(__file__)

import numpy as np
import pandas as pd
import streamlit as st

from model.customers import customer_flows
from ui import charts
from ui.actuals import bridge_frame, waterfall_chart
from ui.common import fmt, require_plan
from ui.i18n import t
from ui.revenue_bridge import opening_mrr, revenue_bridge_rows

F = fmt()


def chart(spec) -> None:
    """A chart in half the page: its legend in one column under it (a chart clips what it
    draws, and at 1024 px one row of two or three entries ran past the half: "In onboardin")."""
    st.altair_chart(spec.configure_legend(columns=1), width="stretch")


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
    chart(charts.line_chart(df, t("cs.customers_axis")))
with right:
    st.subheader(t("cs.mrr"))
    if sub:
        df = charts.long_frame(
            months,
            {t("cs.mrr_series"): list(plan.mrr)},
            {t("cs.mrr_series"): [F.money(v) for v in plan.mrr]},
        )
        chart(charts.line_chart(df, t("cs.mrr_axis"), F.money_axis()))
    else:
        st.info(t("cs.one_time"))

left, right = st.columns(2)
with left:
    st.subheader(t("cs.customer_moves"))
    series = {t("cs.new"): list(flows.new_customers), t("cs.churned"): [-v for v in flows.churned]}
    df = charts.long_frame(months, series, {k: F.counts(s) for k, s in series.items()})
    chart(
        charts.stacked_bar_chart(
            df,
            t("cs.customers_axis"),
            colors=[charts.GAIN, charts.LOSS],  # churn in red
        )
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
        chart(
            charts.stacked_bar_chart(
                df,
                t("cs.mrr_axis"),
                F.money_axis(),
                colors=[charts.GAIN, charts.GROWTH, charts.LOSS],  # new, expansion, churn
            )
        )
    else:
        st.info(t("cs.one_time"))

# ----- the revenue bridge: opening MRR + new + expansion − churn = closing MRR ------------------
if sub:
    st.subheader(t("cs.bridge"))
    rows = revenue_bridge_rows(scenario, plan)
    labels = [t(f"cs.bridge.{r.key}") for r in rows]
    texts = [F.money(r.value, signed=r.kind == "effect") for r in rows]
    st.altair_chart(
        waterfall_chart(bridge_frame(rows, labels, texts), t("cs.mrr_axis"), F.money_axis()),
        width="stretch",
    )
    st.caption(t("cs.bridge_caption", first=F.month(plan.months[0]), last=F.month(plan.months[-1])))
    # month by month: each month's closing is the next month's opening
    prev = np.concatenate([[opening_mrr(plan, flows)], plan.mrr[:-1]])
    table = pd.DataFrame(
        {
            t("cs.bridge.opening"): [F.money(v) for v in prev],
            t("cs.bridge.new"): [F.money(v, signed=True) for v in flows.mrr_new],
            t("cs.bridge.expansion"): [F.money(v, signed=True) for v in flows.mrr_expansion],
            t("cs.bridge.churn"): [F.money(v, signed=True) for v in flows.mrr_churn],
            t("cs.bridge.closing"): [F.money(v) for v in plan.mrr],
        },
        index=[F.month(m) for m in plan.months],
    ).T
    st.dataframe(table, width="stretch", key="cs.bridge.table")
