"""Files into and out of the Scenarios page: the scenario as JSON (export, import), and the
active plan's downloads (Excel with live formulas, CSV, the one-page PDF, chart images) with the
reverse calculation the workbook makes, previewed. ``reverse_preview`` and ``chart_series`` are
the tables behind them (no drawing; unit-tested)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pandas as pd
import streamlit as st

from model import Plan, Scenario

from . import charts, exports, pdf, state
from .common import Fmt, show_scenario_error, stage_name
from .format import inert
from .i18n import lang, t
from .saving import import_file, read
from .views import lead_stage


# ----- JSON ---------------------------------------------------------------------------------------
def json_export(ref: tuple[str, int] | None) -> None:
    """The saved version as the store keeps it, or (edited or never saved) the current one."""
    st.subheader(t("scn.export_json"))
    if ref is not None and not state.edited_since_activated():
        payload = read("export_json", *ref)
        st.caption(t("scn.export_version", name=inert(ref[0]), version=ref[1]))
    else:
        payload = json.dumps(state.draft(), ensure_ascii=False, indent=2) + "\n"
        st.caption(t("scn.export_current"))
    st.download_button(
        t("scn.download_json"),
        data=payload,
        file_name=f"{exports.file_stem(state.scenario_name(state.draft()))}.json",
        mime="application/json",
        key="scn.export.json",
        on_click="ignore",
        icon=":material/download:",
    )


def json_import() -> None:
    """A JSON file (an export, or a bare scenario) to save as a version and open."""
    st.subheader(t("scn.import_json"))
    st.file_uploader(
        t("scn.import_file"),
        type=["json"],
        key="scn.import.file",
        help=t("scn.import_help"),
        max_upload_size=1,
    )
    st.text_input(
        t("scn.import_name"),
        key="scn.import.name",
        max_chars=120,
        help=t("scn.import_name_help"),
    )
    st.button(
        t("scn.import"), key="scn.import.button", on_click=import_file, icon=":material/upload:"
    )


# ----- downloads of the active plan ---------------------------------------------------------------
def reverse_preview(
    scenario: Scenario, plan: Plan, data: dict[str, Any], language: str, F: Fmt
) -> pd.DataFrame:
    """The workbook's reverse calculation: each stage's arrivals per month in steady state
    (simple, with the recycle pool) beside the model's mean, and the new inflow each needs."""
    ss_calc = exports.steady_state(
        exports.assumptions(scenario, data, language), scenario.stage_keys
    )
    simple, recycled, model = (
        t("export.reverse.simple"),
        t("export.reverse.with_recycle"),
        t("export.reverse.model"),
    )
    stages = pd.DataFrame(
        {
            simple: [F.count(v) for v in ss_calc.simple],
            recycled: [F.count(v) for v in ss_calc.recycled],
            model: [F.count(float(a.mean())) for a in plan.arrivals],
        },
        index=[stage_name(scenario, k) for k in scenario.stage_keys],
    )
    inflow = pd.DataFrame(
        {
            simple: [F.count(ss_calc.simple[0])],
            recycled: [F.count(ss_calc.inflow)],
            model: [F.count(plan.required_inflow_per_month)],
        },
        index=[t("export.reverse.inflow")],
    )
    return pd.concat([stages, inflow])


def chart_series(scenario: Scenario, plan: Plan) -> dict[str, tuple[str, Any, bool]]:
    """The charts to download: key -> (title, monthly values, whether they are money)."""
    lead = lead_stage(scenario)
    return {
        "revenue": (t("metric.revenue"), plan.revenue, True),
        "bookings": (t("metric.bookings"), plan.bookings, True),
        "leads": (
            t("scn.leads_series", stage=stage_name(scenario, lead)),
            plan.stage_series(lead, "arrivals"),
            False,
        ),
    }


def downloads(F: Fmt) -> None:
    """The files of the active plan, the reverse calculation and the chart images."""
    cur = state.current()
    if not cur.ok:
        show_scenario_error(cur.error)
        return
    # the files are made when clicked, outside this run: they take copies, not the session
    data = copy.deepcopy(state.draft())
    stem = exports.file_stem(state.scenario_name(data))
    st.caption(t("scn.downloads_help"))
    _plan_files(cur, data, copy.deepcopy(state.baseline()), stem)
    pdf.download_button(cur, F, key="scn.dl.pdf")  # the plan on one page, for a meeting
    st.markdown(f"**{t('scn.reverse_preview')}**")
    table = reverse_preview(cur.scenario, cur.plan, data, lang(), F)
    st.dataframe(table, width="stretch", key="scn.reverse")
    st.caption(t("scn.reverse_help"))
    st.markdown(f"**{t('scn.chart_images')}**")
    _chart_images(cur.scenario, cur.plan, data, stem, F)


def _plan_files(cur: state.Current, data: dict[str, Any], baseline: dict[str, Any], stem: str):
    """The workbook (live formulas) and the CSV tables, made when clicked."""
    scenario, plan, language = cur.scenario, cur.plan, lang()
    x1, x2 = st.columns(2)
    x1.download_button(
        t("scn.download_xlsx"),
        data=lambda: exports.workbook_bytes(scenario, plan, data, language, baseline),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="scn.dl.xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )
    x2.download_button(
        t("scn.download_csv"),
        data=lambda: exports.csv_zip(
            exports.tables(scenario, plan, data, language, baseline), stem
        ),
        file_name=f"{stem}-csv.zip",
        mime="application/zip",
        key="scn.dl.csv",
        on_click="ignore",
        icon=":material/folder_zip:",
    )


def _chart_images(scenario: Scenario, plan: Plan, data: dict[str, Any], stem: str, F: Fmt):
    """A chart to pick, previewed, as PNG or SVG."""
    choices = chart_series(scenario, plan)
    which = st.segmented_control(
        t("scn.chart_pick"),
        list(choices),
        key="scn.dl.chart",
        format_func=lambda k: choices[k][0],
        default="revenue",
        required=True,
    )
    title, values, money = choices[which]
    frame = charts.long_frame(
        [F.month_short(m) for m in plan.months],
        {title: list(values)},
        {title: [F.money(v) if money else F.count(v) for v in values]},
    )
    chart = charts.line_chart(frame, title, F.money_axis() if money else None)
    st.altair_chart(chart, width="stretch", key="scn.dl.preview")
    full_title = f"{data.get('name') or ''} — {title}".strip(" —")
    i1, i2 = st.columns(2)
    for col, kind, mime, make in (
        (i1, "png", "image/png", exports.chart_png),
        (i2, "svg", "image/svg+xml", exports.chart_svg),
    ):
        col.download_button(
            t(f"scn.download_{kind}"),
            data=lambda make=make: make(chart, full_title),
            file_name=f"{stem}-{which}.{kind}",
            mime=mime,
            key=f"scn.dl.{kind}",
            on_click="ignore",
            icon=":material/image:",
        )
