"""CRM data: import exports (CSV, Excel, Parquet) through a preset or a column mapping, check
their quality, see the AsIs metrics, build the baseline scenario from a window of months,
backtest it against the actual months and make it the active scenario."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from db import funnel, metrics
from db.schema import stage_keys
from ui import data_baseline, data_cache, data_dataset, data_import, data_mapping, state
from ui.common import Fmt, funnel_or_stop
from ui.currency import data_note
from ui.data_metrics import metrics_tabs, window_slider
from ui.data_quality import quality_report
from ui.i18n import lang, t

F = Fmt(lang(), state.data_currency())  # the data's amounts, in the data's currency


# ----- the dataset ------------------------------------------------------------------------------
st.title(t("data.title"))
st.caption(t("data.caption"))
if (note := data_note(state.draft(), lang())) is not None:
    st.caption(note)
con = funnel_or_stop()
version = funnel.data_version(con)
origin = funnel.data_origin(con)
design = stage_keys(con)
span = metrics.data_months(con)
dataset = state.dataset_id()
data_dataset.dataset_box(con, dataset, origin, design, span, F)
data_dataset.show_notices()

# ----- import: the files, the column mapping, a preview, where the rows go ----------------------
st.header(t("data.import"), divider="gray")
st.caption(t("data.import_caption", mb=data_import.max_mb()))
uploads = data_import.uploader()
signature = data_import.new_uploads(uploads)
data_import.show_outcome(F)
raws = data_import.read_uploads(uploads, F)
if raws:
    choice = data_mapping.mapping_form(raws, signature, design)
    data_mapping.preview(choice.files, choice.detected, F)
    data_mapping.save_box(choice.mapping)
    data_import.import_box(choice, dataset, signature, F)

# ----- quality ----------------------------------------------------------------------------------
st.header(t("data.quality"), divider="gray")
quality_report(con, version, F)
if span is None:
    st.info(t("data.db_empty"))
    st.stop()

# ----- the window's AsIs metrics ----------------------------------------------------------------
st.header(t("data.metrics"), divider="gray")
start, end = window_slider(con, span, F)
metrics_tabs(data_cache.window_metrics(version, start, end, con), design, start, end, F)

# ----- baseline ---------------------------------------------------------------------------------
st.header(t("data.baseline"), divider="gray")
st.caption(t("data.baseline_caption", start=F.month(start), end=F.month(end)))
settings = data_baseline.settings_form(con, version, start, end)
if st.button(t("data.build"), key="data.build", icon=":material/build:"):
    data_baseline.build(con, version, (start, end), settings, dataset, origin)
built = data_baseline.last_build(version)
if built is not None:
    data_baseline.built_summary(built["scenario"], F)
    data_baseline.backtest_section(built, con, version, F)
    data_baseline.use_or_active(built)
