"""Scenarios: save the plan as a named version, its history (load, diff, archive), two to four
scenarios side by side, JSON import and export, a share link, and downloads of the plan
(Excel with live formulas, CSV, chart images)."""

from ui.common import require_frame

require_frame(__file__)

import copy
import json

import pandas as pd
import streamlit as st

from db.errors import DataLayerError
from ui import charts, compare, exports, pdf, state
from ui.common import (
    fmt,
    show_scenario_error,
    stage_name,
)
from ui.compare_tab import compare_tab
from ui.errors import error_text
from ui.format import inert
from ui.history import clash_box, history
from ui.i18n import lang, t
from ui.saving import (
    STALE,
    author_input,
    import_file,
    read,
    save_current,
    show_flash,
    store_warnings,
)
from ui.versions import store_warning_text

F = fmt()
ss = st.session_state
PAGE = "scenarios"

# ----- the header: the active scenario and its share link -----------------------------------------
st.title(t("scn.title"))
show_flash()

ref = state.active_ref()
head1, head2 = st.columns([1, 1.3])
with head1:
    if ref is not None:
        st.markdown(f"**{t('scn.active')}**")
        st.text(t("scn.active_ref", name=ref[0], version=ref[1]))
        if state.edited_since_activated():
            st.caption(t("scn.edited"))
    else:
        st.markdown(f"**{t('scn.active')}**")
        st.text(state.scenario_name(state.draft()) or t("sidebar.unnamed"))
        st.caption(t("scn.not_saved"))
with head2:
    st.markdown(f"**{t('scn.share')}**")
    st.code(state.share_link(PAGE), language=None, wrap_lines=True)
    st.caption(t("scn.share_help") if ref is not None else t("scn.share_unsaved"))

try:
    listing = read("list")
except DataLayerError as exc:
    st.error(t("scn.store_unavailable", reason=error_text(exc)))
    st.stop()
for w in store_warnings():  # the store recovered from a damaged log
    st.warning(store_warning_text(w), icon=":material/healing:")

author_input()

tab_save, tab_history, tab_compare, tab_json, tab_downloads = st.tabs(
    [
        t("scn.tab.save"),
        t("scn.tab.history"),
        t("scn.tab.compare"),
        t("scn.tab.json"),
        t("scn.tab.downloads"),
    ],
    key="scn.tabs",
)

# ----- save ---------------------------------------------------------------------------------------
with tab_save:
    if "scn.save.name" not in ss:
        ss["scn.save.name"] = ref[0] if ref is not None else (state.draft().get("name") or "")
    c1, c2 = st.columns([1, 1.4])
    c1.text_input(t("scn.name"), key="scn.save.name", max_chars=120, help=t("scn.name_help"))
    c2.text_input(t("scn.note"), key="scn.save.note", max_chars=500)
    st.button(
        t("scn.save"),
        key="scn.save.button",
        type="primary",
        on_click=save_current,
        icon=":material/save:",
    )
    st.caption(t("scn.save_help"))
    if ss.get(STALE) is not None:
        clash_box(ss[STALE], F)

# ----- history: versions, load, diff, archive -----------------------------------------------------
with tab_history:
    history(listing, ref, F)

# ----- compare ------------------------------------------------------------------------------------
with tab_compare:
    compare_tab(listing, F)

# ----- JSON import and export ---------------------------------------------------------------------
with tab_json:
    e1, e2 = st.columns(2)
    with e1:
        st.subheader(t("scn.export_json"))
        if ref is not None and not state.edited_since_activated():
            payload = read("export_json", *ref)
            label = t("scn.export_version", name=inert(ref[0]), version=ref[1])
        else:
            payload = json.dumps(state.draft(), ensure_ascii=False, indent=2) + "\n"
            label = t("scn.export_current")
        st.caption(label)
        st.download_button(
            t("scn.download_json"),
            data=payload,
            file_name=f"{exports.file_stem(state.scenario_name(state.draft()))}.json",
            mime="application/json",
            key="scn.export.json",
            on_click="ignore",
            icon=":material/download:",
        )
    with e2:
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
with tab_downloads:
    cur = state.current()
    if not cur.ok:
        show_scenario_error(cur.error)
    else:
        scenario, plan, data, language = (
            cur.scenario,
            cur.plan,
            copy.deepcopy(state.draft()),
            lang(),
        )
        # the files are made when clicked, outside this run: they take copies, not the session
        baseline = copy.deepcopy(state.baseline())
        stem = exports.file_stem(state.scenario_name(data))
        st.caption(t("scn.downloads_help"))
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
        pdf.download_button(cur, F, key="scn.dl.pdf")  # the plan on one page, for a meeting
        st.markdown(f"**{t('scn.reverse_preview')}**")
        ss_calc = exports.steady_state(
            exports.assumptions(scenario, data, language), scenario.stage_keys
        )
        preview = pd.DataFrame(
            {
                t("export.reverse.simple"): [F.count(v) for v in ss_calc.simple],
                t("export.reverse.with_recycle"): [F.count(v) for v in ss_calc.recycled],
                t("export.reverse.model"): [F.count(float(a.mean())) for a in plan.arrivals],
            },
            index=[stage_name(scenario, k) for k in scenario.stage_keys],
        )
        new_inflow = pd.DataFrame(
            {
                t("export.reverse.simple"): [F.count(ss_calc.simple[0])],
                t("export.reverse.with_recycle"): [F.count(ss_calc.inflow)],
                t("export.reverse.model"): [F.count(plan.required_inflow_per_month)],
            },
            index=[t("export.reverse.inflow")],
        )
        st.dataframe(pd.concat([preview, new_inflow]), width="stretch", key="scn.reverse")
        st.caption(t("scn.reverse_help"))

        st.markdown(f"**{t('scn.chart_images')}**")
        months = [F.month_short(m) for m in plan.months]
        lead = compare.lead_stage(scenario)
        chart_choices = {
            "revenue": (t("metric.revenue"), plan.revenue, True),
            "bookings": (t("metric.bookings"), plan.bookings, True),
            "leads": (
                t("scn.leads_series", stage=stage_name(scenario, lead)),
                plan.stage_series(lead, "arrivals"),
                False,
            ),
        }
        which = st.segmented_control(
            t("scn.chart_pick"),
            list(chart_choices),
            key="scn.dl.chart",
            format_func=lambda k: chart_choices[k][0],
            default="revenue",
            required=True,
        )
        title, values, money = chart_choices[which]
        frame = charts.long_frame(
            months,
            {title: list(values)},
            {title: [F.money(v) if money else F.count(v) for v in values]},
        )
        chart = charts.line_chart(frame, title, F.money_axis() if money else None)
        st.altair_chart(chart, width="stretch", key="scn.dl.preview")
        full_title = f"{data.get('name') or ''} — {title}".strip(" —")
        i1, i2 = st.columns(2)
        i1.download_button(
            t("scn.download_png"),
            data=lambda: exports.chart_png(chart, full_title),
            file_name=f"{stem}-{which}.png",
            mime="image/png",
            key="scn.dl.png",
            on_click="ignore",
            icon=":material/image:",
        )
        i2.download_button(
            t("scn.download_svg"),
            data=lambda: exports.chart_svg(chart, full_title),
            file_name=f"{stem}-{which}.svg",
            mime="image/svg+xml",
            key="scn.dl.svg",
            on_click="ignore",
            icon=":material/image:",
        )
