"""Scenarios: save the plan as a named version, its history (load, diff, archive), two to four
scenarios side by side, JSON import and export, a share link, and downloads of the plan
(Excel with live formulas, CSV, chart images)."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from ui import state
from ui.common import fmt
from ui.compare_tab import compare_tab
from ui.history import clash_box, history
from ui.i18n import t
from ui.saving import STALE, author_input, listing_or_stop, save_current, show_flash
from ui.scenario_files import downloads, json_export, json_import

F = fmt()
ss = st.session_state
PAGE = "scenarios"

# ----- the header: the active scenario and its share link -----------------------------------------
st.title(t("scn.title"))
show_flash()

ref = state.active_ref()
head1, head2 = st.columns([1, 1.3])
with head1:
    st.markdown(f"**{t('scn.active')}**")
    if ref is not None:
        st.text(t("scn.active_ref", name=ref[0], version=ref[1]))
        if state.edited_since_activated():
            st.caption(t("scn.edited"))
    else:
        st.text(state.scenario_name(state.draft()) or t("sidebar.unnamed"))
        st.caption(t("scn.not_saved"))
with head2:
    st.markdown(f"**{t('scn.share')}**")
    st.code(state.share_link(PAGE), language=None, wrap_lines=True)
    st.caption(t("scn.share_help") if ref is not None else t("scn.share_unsaved"))

# ----- the saved scenarios (or why they cannot be read), and who is saving ------------------------
listing = listing_or_stop()
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
        # the sample's name in the session's language, as the header above shows it
        ss["scn.save.name"] = ref[0] if ref is not None else state.scenario_name(state.draft())
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
        json_export(ref)
    with e2:
        json_import()

# ----- downloads of the active plan ---------------------------------------------------------------
with tab_downloads:
    downloads(F)
