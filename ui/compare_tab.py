"""The Scenarios page's Compare tab, drawn: two to four scenarios (saved versions, or the one
being edited) side by side: their key figures and differences, the inputs that differ, what
changed from one to the other as a waterfall (two of them), the divisions' targets and the
months overlaid. The tables and rows come from ``ui.compare``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from db.errors import DataLayerError
from db.scenarios import diff_scenarios

from . import charts, compare, state
from .actuals import waterfall_chart
from .common import Fmt, scenario_error_text, stage_name
from .errors import error_text
from .format import inert
from .i18n import t
from .saving import read
from .versions import compare_options, option_label, option_ref

ss = st.session_state


def entries_of(picked: Sequence[str], F: Fmt) -> tuple[list[compare.Entry], list[str]]:
    """The picked scenarios planned (with the chances of meeting their targets), and why any
    of them could not be read or planned."""
    entries, problems = [], []
    for opt in picked:
        ref = option_ref(opt)
        if ref is None:
            data = state.draft()
        else:
            try:
                data = read("load", *ref)
            except DataLayerError as exc:
                problems.append(error_text(exc))
                continue
        cur = state.plan_of(data)
        if not cur.ok:
            why = scenario_error_text(cur.error, F, data.get("stages") or ())
            problems.append(f"{option_label(opt)}: {why}")
            continue
        mc = state.monte_carlo_of(cur) if cur.scenario.target else None
        entries.append(
            compare.Entry(
                option_label(opt),
                cur.scenario,
                cur.plan,
                mc.confidence if mc is not None else None,
                mc.run_rate_chance if mc is not None else None,
            )
        )
    return entries, problems


def compare_tab(listing: Sequence[Mapping[str, Any]], F: Fmt) -> None:
    """Pick two to four scenarios; then each section below for those that could be planned."""
    picked = st.multiselect(
        t("scn.compare_pick"),
        compare_options(listing, bool(ss.get("scn.show_archived"))),
        key="scn.compare",
        format_func=option_label,
        max_selections=4,
    )
    if len(picked) < 2:
        st.info(t("scn.compare_help"))
        return
    entries, problems = entries_of(picked, F)
    for p in problems:
        st.error(t("scn.compare_problem", text=p))
    if len(entries) < 2:
        return
    if (warning := compare.currency_warning(entries, F.lang)) is not None:  # yen beside dollars
        st.warning(warning, icon=":material/currency_exchange:")
    F = compare.in_own(F, entries[0])  # amounts in the first's currency (the others: their own)
    key_figures(entries, F)
    inputs(entries, F)
    if len(entries) == 2:
        what_changed(*entries, F)
    division_targets(entries, F)
    months(entries, F)


def key_figures(entries: list[compare.Entry], F: Fmt) -> None:
    st.subheader(t("scn.key_figures"))
    table = compare.key_figures_table(entries, F)
    st.dataframe(table, width="stretch", key="scn.compare.figures")
    st.caption(t("scn.key_figures_help", first=entries[0].label))


def inputs(entries: list[compare.Entry], F: Fmt) -> None:
    """The inputs in which the others differ from the first."""
    st.subheader(t("scn.inputs"))
    first = entries[0].scenario
    diffs = {e.label: diff_scenarios(first.to_json(), e.scenario.to_json()) for e in entries[1:]}
    metric = first.target.metric if first.target else ""
    table = compare.input_table(entries[0].label, diffs, F, metric)
    if table.empty:
        st.caption(t("scn.inputs_same"))
    else:
        st.dataframe(table, width="stretch", key="scn.compare.inputs")


def what_changed(a: compare.Entry, b: compare.Entry, F: Fmt) -> None:
    """What changed, as a waterfall: spec section 9's bridge A → B."""
    st.subheader(t("scn.bridge", a=inert(a.label), b=inert(b.label)))
    bars = compare.bridge_table(a, b, F)
    if bars is None:
        st.info(t("scn.bridge_none"))
        return
    chart = waterfall_chart(bars, t("metric.bookings"), F.money_axis())
    st.altair_chart(chart, width="stretch", key="scn.compare.bridge")
    st.caption(t("scn.bridge_caption", a=inert(a.label), b=inert(b.label)))


def division_targets(entries: list[compare.Entry], F: Fmt) -> None:
    st.subheader(t("scn.division_targets"))
    table = compare.division_table(entries, F)
    st.dataframe(table, width="stretch", key="scn.compare.divisions")
    st.caption(t("scn.division_targets_help"))


def months(entries: list[compare.Entry], F: Fmt) -> None:
    """Revenue, bookings and the lead stage's arrivals month by month, one line a scenario."""
    st.subheader(t("scn.monthly"))
    first = entries[0].scenario
    for measure, title, money in (
        ("revenue", t("metric.revenue"), True),
        ("bookings", t("metric.bookings"), True),
        ("leads", t("scn.leads_series", stage=stage_name(first, compare.lead_stage(first))), False),
    ):
        st.markdown(f"**{title}**")
        st.altair_chart(
            charts.line_chart(compare.monthly_frame(entries, measure, F, money), title,
                              F.money_axis() if money else None),
            width="stretch",
            key=f"scn.chart.{measure}",
        )  # fmt: skip
