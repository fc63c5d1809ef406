"""The what-if dashboard: ``python -m streamlit run app.py``.

Builds the navigation and the sidebar shared by every page (scenario, data source, language,
currency), initialises the session state once (ui.state.init) and runs the selected page.
"""

from pathlib import Path

import streamlit as st
from altair.utils import schemapi

from model.runtime import keep_freed_memory
from ui import currency as currencies
from ui import present, state
from ui.common import DEEP_LINK, FRAME_FLAG
from ui.format import inert
from ui.i18n import LANG_NAMES, lang, t

keep_freed_memory()  # reuse the Monte Carlo's freed arrays (see model/runtime.py); once
# Altair validates every schema object as it is built (its "debug mode"), which took a third of a
# cached rerun (bench/bench_app.py); specs are still validated whole when Streamlit sends them
schemapi.disable_debug_mode()
st.set_page_config(
    page_title="The Model planner", page_icon=":material/trending_up:", layout="wide"
)
state.init()

PAGES = [
    st.Page("pages/overview.py", title=t("page.overview"), icon=":material/flag:",
            default=True),
    st.Page("pages/plan.py", title=t("page.plan"), icon=":material/calculate:"),
    st.Page("pages/divisions.py", title=t("page.divisions"), icon=":material/groups:"),
    st.Page("pages/capacity.py", title=t("page.capacity"), icon=":material/badge:"),
    st.Page("pages/actuals.py", title=t("page.actuals"), icon=":material/fact_check:"),
    st.Page("pages/stages.py", title=t("page.stages"), icon=":material/autorenew:"),
    st.Page("pages/customers.py", title=t("page.customers"), icon=":material/support_agent:"),
    st.Page("pages/sensitivity.py", title=t("page.sensitivity"), icon=":material/tune:",
            ),
]  # fmt: skip
SCENARIO_PAGES = [
    st.Page("pages/scenarios.py", title=t("page.scenarios"), icon=":material/bookmarks:"),
]
DATA_PAGES = [  # importing CRM data, AsIs metrics, baseline, sources
    st.Page("pages/data.py", title=t("page.data"), icon=":material/database:"),
    st.Page("pages/sources.py", title=t("page.sources"), icon=":material/campaign:"),
]
page = st.navigation(PAGES + SCENARIO_PAGES + DATA_PAGES)
st.session_state[FRAME_FLAG] = True
deep_link = st.session_state.pop(DEEP_LINK, None)  # see ui.common.require_frame
if deep_link is not None:
    target = next((p for p in PAGES + SCENARIO_PAGES + DATA_PAGES
                   if p.url_path == Path(deep_link).stem), None)  # fmt: skip
    if target is not None and target.url_path != page.url_path:
        st.switch_page(target)

# A tile's label wraps instead of ending in "…": at a projector's 1024 px three tiles a row cut
# "Visitors required per month" and 受注金額(全てストレッチ). Style only: it takes no space.
st.html(
    "<style>[data-testid='stMetricLabel'] div, [data-testid='stMetricLabel'] p"
    " { white-space: normal !important; overflow: visible !important;"
    " text-overflow: clip !important; }</style>"
)
if lang() == "ja":  # 5,695万ドル, 5,185万ユーロ: at 36 px wider than a third of 1024 px (cut with
    # "…"); 2.7vw is 28 px there, and the full size from 1334 px up (present.CSS above 1280)
    st.html(
        "<style>@media (min-width: 640px) { [data-testid='stMetricValue']"
        " { font-size: clamp(1.5rem, 2.7vw, 2.25rem); } }</style>"
    )

with st.sidebar:
    st.caption(t("sidebar.scenario"))
    st.text(state.scenario_name(state.draft()) or t("sidebar.unnamed"))
    if state.url_problem() is not None:
        key, values = state.url_problem()
        st.warning(t(key, **{k: inert(v) if isinstance(v, str) else v for k, v in values.items()}))
    own = state.datasets().list()
    dataset_names = {"sample": t("sidebar.sample_ro"), **{d.id: d.name for d in own}}
    st.selectbox(  # the session's dataset: the sample until this session chooses another
        t("sidebar.source"),
        list(dataset_names),
        format_func=dataset_names.get,
        help=t("sidebar.source_help"),
        **state.bind_custom(f"sidebar.dataset.{lang()}", state.dataset_id(), state.choose_dataset),
    )
    if st.session_state.get(state.DATASET_GONE):
        st.info(t("sidebar.dataset_gone", name=inert(st.session_state[state.DATASET_GONE])))
    changed = state.data_changed()
    if changed is not None:
        st.warning(
            t(f"sidebar.data_{changed[0]}", name=inert(changed[1])), icon=":material/warning:"
        )
    st.segmented_control(
        t("sidebar.language"),
        options=list(LANG_NAMES),
        format_func=LANG_NAMES.get,
        key="lang",
        required=True,
    )
    currency = state.draft().get("currency", "JPY")
    choices = list(dict.fromkeys([*state.CURRENCY_CHOICES, currency]))
    st.selectbox(  # a new choice asks first (convert or relabel): ui.currency.ask below
        t("sidebar.currency"),
        choices,
        help=t("sidebar.currency_asks"),
        **state.bind_custom("sidebar.currency", currency, state.ask_currency),
    )
    if (change := currencies.last_change(state.draft())) is not None:
        st.caption(currencies.change_text(change, lang()))
    st.button(t("sidebar.reset"), key="sidebar.reset", on_click=state.reset)
    st.toggle(  # kept outside the widget, so it survives page switches
        t("sidebar.present"),
        help=t("sidebar.present_help"),
        **state.bind_custom(
            "sidebar.present",
            present.presenting(),
            lambda v: st.session_state.update({present.PRESENT: bool(v)}),
        ),
    )

currencies.ask()  # the dialog of a currency change the sidebar asked for
state.sync_url(page.url_path)  # a saved scenario's link stays in the address bar
present.follow()
if present.presenting():
    st.html(present.CSS)  # style only: it takes no space
    by_file = {f"pages/{p.url_path or 'overview'}.py": p for p in PAGES}
    current = next((f for f, p in by_file.items() if p.url_path == page.url_path), "")
    present.stepper(current, by_file)
page.run()
