"""CRM data: import exports (CSV, Excel, Parquet) through a preset or a column mapping, check
their quality, see the AsIs metrics, build the baseline scenario from a window of months,
backtest it against the actual months and make it the active scenario."""

from ui.common import require_frame

require_frame(__file__)

import datetime as dt
import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from db import funnel, metrics, outcomes
from db.backtest_errors import stage_errors
from db.baseline import backtest, backtest_verdict, build_baseline, default_window
from db.datasets import SAMPLE, free_name
from db.errors import DataLayerError, ImportDataError
from db.guess import (
    column_defaults,
    combined_header,
    dataset_stem,
    dayfirst_default,
    detect_order,
    guess_mapping,
    role_files,
)
from db.imports import FIELDS, import_files, list_mappings, load_mapping, read_file, save_mapping
from db.mapping_edit import is_edited, missing_fields, named, stage_date_field, with_choices
from db.quality import quality_report
from db.schema import stage_keys
from ui import charts, state
from ui import charts_data as cd
from ui.common import fmt, funnel_or_stop, months_between, source_name
from ui.errors import (
    backtest_reason_text,
    baseline_warning_text,
    error_reason,
    error_record,
    error_text,
    import_warning_text,
    warning_record,
)
from ui.format import inert as md
from ui.i18n import has, lang, t

F = fmt()
MAX_MB = int(st.get_option("server.maxUploadSize"))
TYPES = ["csv", "tsv", "txt", "xlsx", "parquet"]
ENCODINGS = ["auto", "utf-8", "utf-8-sig", "cp932", "utf-16"]
NONE = "—"
OUTCOMES = ("converted", "disqualified", "recycled", "lost")
PCT_AXIS = "format(datum.value, '.0%')"
PCT = "%.1f%%"  # the NumberColumn format of shares, which tables show ×100


# ----- helpers ------------------------------------------------------------------------------------
def keep_choice(name: str, default: Any) -> dict[str, Any]:
    """Keyword arguments of a selectbox whose option labels are translated: its key carries the
    language (a keyed widget keeps the labels it was created with), and the choice lives under
    ``name`` so it survives a change of language."""
    key = f"{name}.{lang()}"
    st.session_state.setdefault(name, default)
    st.session_state[key] = st.session_state[name]

    def _keep() -> None:
        st.session_state[name] = st.session_state[key]

    return {"key": key, "on_change": _keep}


def stage_label(key: str) -> str:
    return t(f"stage.{key}") if has(f"stage.{key}") else key.replace("_", " ").capitalize()


def show_error(err: dict[str, Any]) -> None:
    """An import error (a record of ``ui.errors.error_record``, kept in the session and shown in
    the language of the moment): which file, row and column, and why (the database is
    unchanged)."""
    where = []
    if err["file"]:
        where.append(t("data.err.file", file=md(err["file"])))
    if err["row"] is not None:
        where.append(t("data.err.row", row=err["row"]))
    if err["column"] is not None:
        where.append(t("data.err.column", column=md(err["column"])))
    text = " · ".join(where)
    text += ("\n\n" if text else "") + t("data.err.reason", reason=error_reason(err))
    if err["value"] is not None:
        text += "\n\n" + t("data.err.value", value=md(err["value"]))
    if err["more"]:
        text += "\n\n" + t("data.err.more", n=F.count(err["more"]))
    st.error(text + "\n\n" + t("data.err.unchanged"), icon=":material/error:")


@st.cache_data(max_entries=8, show_spinner=False)
def read_upload(file_id: str, name: str, _data: bytes, encoding: str) -> Any:
    """An uploaded file read once per upload and encoding (``file_id`` is unique per upload)."""
    return read_file(_data, name, encoding=None if encoding == "auto" else encoding)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_quality(version: str, _con) -> list:
    return quality_report(_con)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_metrics(version: str, start: str, end: str, _con) -> dict[str, pd.DataFrame]:
    return {
        "summary": metrics.stage_summary(_con, start, end),
        "by_source": metrics.stage_summary(_con, start, end, by="source"),
        "stock": metrics.stock(_con, start, end),
        "recycle": metrics.recycle_events(_con),
        "feedback": metrics.source_feedback(_con, start, end),
    }


@st.cache_data(max_entries=16, show_spinner=False)
def cached_backtest(
    version: str, start: str, end: str, stale_after: tuple, stale_as_lost: bool, _con
) -> pd.DataFrame:
    return backtest(_con, start, end, stale_after=dict(stale_after) or None,
                    stale_as_lost=stale_as_lost)  # fmt: skip


@st.cache_data(max_entries=16, show_spinner=False)
def cached_stale_defaults(version: str, start: str, end: str, _con) -> dict[str, int]:
    """The default stale limit of each stage with item history, for the window."""
    s, e = metrics.month_start(start), metrics.month_start(end)
    return {k: v.stale_after for k, v in outcomes.stage_estimates(_con, s, e).items()}


def number_table(key: str, columns: list[tuple[str, Any, str | None]]) -> pd.DataFrame:
    """A table from ``(label, values, format)`` columns, each number column shown in its
    ``NumberColumn`` format (``localized``, ``%.2f``, ``PCT``; None: as it is), without the
    index and with "—" for empty cells. Returns the frame shown."""
    frame = pd.DataFrame({label: values for label, values, _ in columns})
    config = {label: st.column_config.NumberColumn(format=f) for label, _, f in columns if f}
    st.dataframe(frame, hide_index=True, placeholder="—", width="stretch", key=key,
                 column_config=config)  # fmt: skip
    return frame


def month_label(m: dt.date) -> str:
    return f"{m:%Y-%m}"


# ----- the database ---------------------------------------------------------------------------
st.title(t("data.title"))
st.caption(t("data.caption"))
con = funnel_or_stop()
version = funnel.data_version(con)
origin, origin_name = funnel.data_origin(con)
design = stage_keys(con)
span = metrics.data_months(con)

dataset = state.dataset_id()
CONFIRM_REMOVE = "data.confirm_remove"
CONFIRM_REPLACE = "data.confirm_replace"
NEW = "__new__"  # the import target "a new dataset"


def remove_dataset(dataset_id: str) -> None:
    """The confirmed removal (a callback): the dataset goes, the session is back on the
    sample."""
    st.session_state.pop(CONFIRM_REMOVE, None)
    try:
        name = state.dataset_name(dataset_id)
        state.remove_dataset(dataset_id)
    except DataLayerError as exc:
        st.session_state["data.remove_error"] = error_record(exc)
    else:
        st.session_state["data.removed"] = name


def rename_dataset(dataset_id: str) -> None:
    """A new name for the dataset (a callback): every session lists it under the new name."""
    try:
        state.datasets().rename(dataset_id, st.session_state.get(f"data.rename.{dataset_id}"))
    except DataLayerError as exc:
        st.session_state["data.remove_error"] = error_record(exc)
    else:
        st.session_state["data.renamed"] = state.dataset_name(dataset_id)


with st.container(border=True):
    c1, c2 = st.columns(2)
    c1.markdown(
        t("data.db_dataset", name=md(state.dataset_name(dataset)))
        + "  \n"
        + (
            ""
            if dataset == SAMPLE
            else t("data.db_origin", source=t(f"source.{origin}", name=md(origin_name))) + "  \n"
        )
        + t("data.db_stages", stages=" → ".join(stage_label(s) for s in design))
    )
    rows = funnel.row_counts(con)["stage_history"]
    months_text = (
        t("data.db_months", start=F.month(month_label(span[0])), end=F.month(month_label(span[1])))
        if span
        else t("data.db_empty")
    )
    c2.markdown(t("data.db_rows", rows=F.count(rows)) + "  \n" + months_text)
    if dataset == SAMPLE:
        st.caption(t("data.db_read_only") + " " + t("data.sample_help"))
    elif st.session_state.get(CONFIRM_REMOVE) != dataset:
        with st.container(horizontal=True):
            with st.popover(t("data.rename"), icon=":material/edit:"):
                st.text_input(
                    t("data.rename_name"),
                    value=state.dataset_name(dataset),
                    max_chars=80,
                    key=f"data.rename.{dataset}",
                )
                st.button(
                    t("data.rename_do"),
                    key="data.rename_do",
                    type="primary",
                    on_click=rename_dataset,
                    args=(dataset,),
                )
            st.button(
                t("data.remove"),
                key="data.remove",
                icon=":material/delete:",
                help=t("data.remove_help"),
                on_click=lambda: st.session_state.update({CONFIRM_REMOVE: dataset}),
            )
    else:  # asked: say what goes, and remove only on a second, explicit click
        st.warning(
            t("data.remove_confirm", name=md(state.dataset_name(dataset)), rows=F.count(rows)),
            icon=":material/warning:",
        )
        with st.container(horizontal=True):
            st.button(
                t("data.remove_yes"),
                key="data.remove_yes",
                type="primary",
                icon=":material/delete_forever:",
                on_click=remove_dataset,
                args=(dataset,),
            )
            st.button(t("data.cancel"), key="data.remove_no",
                      on_click=lambda: st.session_state.pop(CONFIRM_REMOVE, None))  # fmt: skip
if st.session_state.get("data.renamed"):
    st.success(t("data.renamed", name=md(st.session_state.pop("data.renamed"))),
               icon=":material/check_circle:")  # fmt: skip
if st.session_state.get("data.removed"):
    st.success(t("data.removed", name=md(st.session_state.pop("data.removed"))),
               icon=":material/check_circle:")  # fmt: skip
if st.session_state.get("data.remove_error"):
    st.error(error_reason(st.session_state.pop("data.remove_error")))

# ----- import -------------------------------------------------------------------------------------
st.header(t("data.import"), divider="gray")
st.caption(t("data.import_caption", mb=MAX_MB))
uploads = st.file_uploader(
    t("data.upload", mb=MAX_MB),
    type=TYPES,
    accept_multiple_files=True,
    key="data.upload",
    help=t("data.upload_help", mb=MAX_MB),
)
signature = hashlib.sha1("|".join(u.file_id for u in uploads or []).encode()).hexdigest()[:10]
if st.session_state.get("data.signature") != signature:
    st.session_state["data.signature"] = signature
    st.session_state.pop("data.outcome", None)
    st.session_state.pop("data.mapping", None)

outcome = st.session_state.get("data.outcome")
if outcome is not None and outcome[0] == "ok":
    res = outcome[1]
    st.success(
        t("data.imported", rows=F.count(res["rows_written"]), read=F.count(res["rows_read"]),
          files=md(", ".join(res["files"])), table=t(f"data.table.{res['table']}"))
        + " "
        + t("data.imported_into_replaced" if res.get("replaced") else "data.imported_into",
            name=md(res.get("dataset", ""))),
        icon=":material/check_circle:",
    )  # fmt: skip
    for w in res["warnings"]:
        st.warning(import_warning_text(w))
elif outcome is not None:
    show_error(outcome[1])

raws: list[Any] = []
read_failed = False
if uploads:
    enc_names = {e: t("data.encoding_auto") if e == "auto" else e for e in ENCODINGS}
    enc = st.selectbox(
        t("data.encoding"),
        ENCODINGS,
        format_func=enc_names.get,
        help=t("data.encoding_help"),
        **keep_choice("data.encoding", "auto"),
    )
    for u in uploads:
        try:
            raws.append(read_upload(u.file_id, u.name, u.getvalue(), enc))
        except ImportDataError as exc:
            read_failed = True
            show_error(error_record(exc))

if raws and not read_failed:
    mcon = state.mappings()
    options = list_mappings(mcon)
    names = [m["name"] for m in options]
    if st.session_state.get("data.mapping") not in names:
        st.session_state["data.mapping"] = guess_mapping(options, raws, mcon) or names[0]
    if st.session_state.get("data.mapping_next") in names:  # a mapping saved just now
        st.session_state["data.mapping"] = st.session_state.pop("data.mapping_next")
    labels = {
        m["name"]: t(f"preset.{m['name']}")
        if m["origin"] == "builtin"
        else t("data.saved_preset", name=m["name"])
        for m in options
    }
    mapping_name = st.selectbox(
        t("data.mapping"),
        names,
        format_func=labels.get,
        help=t("data.mapping_help"),
        **keep_choice("data.mapping", names[0]),
    )
    base = load_mapping(mcon, mapping_name)
    kind = base["kind"]
    roles = list(base.get("files") or ["main"])
    by_name = {r.name: r for r in raws}
    if len(roles) != len(raws):
        st.warning(t("data.roles_count", n=len(roles), roles=", ".join(roles), got=len(raws)))
        st.stop()
    assign = role_files(roles, list(by_name))
    if len(roles) > 1:
        rcols = st.columns(len(roles))
        for i, role in enumerate(roles):
            assign[role] = rcols[i].selectbox(
                t("data.role", role=role),
                list(by_name),
                index=list(by_name).index(assign[role]),
                key=f"data.role.{signature}.{role}",
            )
    files = {role: by_name[assign[role]] for role in roles}
    header = combined_header(files, roles)

    # -- the column mapping ------------------------------------------------------------------
    fields = FIELDS[kind]
    design_for = list(base.get("stages") or design)
    defaults = column_defaults(base, header, design_for)
    chosen: dict[str, str | None] = {}
    with st.expander(t("data.columns", kind=t(f"data.kind.{kind}")), expanded=False):
        st.caption(t("data.columns_help"))
        grid = st.columns(3)
        for i, (f, (_ftype, required)) in enumerate(fields.items()):
            default = defaults[f]
            label = t(f"field.{f}") + (" *" if required else "")
            chosen[f] = grid[i % 3].selectbox(
                label,
                [NONE, *header],
                index=header.index(default) + 1 if default else 0,
                key=f"data.col.{signature}.{mapping_name}.{f}",
            )
        if kind == "items":
            st.markdown(t("data.stage_dates"))
            sgrid = st.columns(max(1, len(design_for)))
            for i, s in enumerate(design_for):
                default = defaults[stage_date_field(s)]
                chosen[stage_date_field(s)] = sgrid[i].selectbox(
                    stage_label(s),
                    [NONE, *header],
                    index=header.index(default) + 1 if default else 0,
                    key=f"data.date.{signature}.{mapping_name}.{s}",
                )
    chosen = {k: (None if v == NONE else v) for k, v in chosen.items()}

    # -- the dates: how they are written, and how the mapping reads them -----------------------
    detected = detect_order(files, roles, kind, chosen)
    dayfirst = st.checkbox(
        t("data.dayfirst"),
        value=dayfirst_default(detected, bool(base.get("dayfirst", True))),
        key=f"data.dayfirst.{signature}.{mapping_name}",
        help=t("data.dayfirst_help"),
    )
    edited = is_edited(chosen, defaults, dayfirst, base)
    mapping = with_choices(base, chosen, design_for, dayfirst, edited)
    missing = [t(f"field.{f}") for f in missing_fields(kind, chosen)]
    if missing:
        st.warning(t("data.missing_required", fields=", ".join(missing)))

    # -- preview -------------------------------------------------------------------------------
    st.subheader(t("data.preview"))
    tabs = st.tabs([f"{r.name}" for r in files.values()]) if len(files) > 1 else [st.container()]
    for tab, raw in zip(tabs, files.values(), strict=True):
        with tab:
            enc_text = raw.encoding or t("data.encoding_binary", format=raw.format)
            st.caption(
                t("data.file_facts", name=md(raw.name), rows=F.count(raw.table.num_rows),
                  cols=F.count(len(raw.header)), encoding=enc_text,
                  dates=t(f"data.dates.{detected or 'none'}"))
            )  # fmt: skip
            st.dataframe(
                raw.table.slice(0, 5).drop_columns(["__row"]).to_pandas(),
                hide_index=True,
                placeholder="—",
                width="stretch",
            )

    # -- save the mapping, import --------------------------------------------------------------
    with st.expander(t("data.save_mapping"), expanded="data.saved_name" in st.session_state):
        if st.session_state.get("data.saved_name"):
            st.success(t("data.saved", name=md(st.session_state.pop("data.saved_name"))))
        s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
        new_name = s1.text_input(t("data.mapping_name"), key="data.mapping_name", max_chars=80)
        if s2.button(t("data.save"), key="data.save_mapping", icon=":material/save:"):
            try:
                save_mapping(mcon, new_name, named(mapping, new_name))
            except DataLayerError as exc:
                st.error(t("data.save_failed", reason=error_text(exc)))
            else:
                st.session_state["data.saved_name"] = new_name.strip()
                st.session_state["data.mapping_next"] = new_name.strip()
                st.rerun()

    # -- where the rows go: a new dataset, or one of the imported ones (added to or replaced) -----
    own = state.datasets().list()
    targets = [NEW] + [d.id for d in own]
    target_names = {NEW: t("data.target_new"), **{d.id: d.name for d in own}}
    t1, t2 = st.columns([1, 1.4], vertical_alignment="bottom")
    if st.session_state.get(f"data.target.{signature}") not in targets:
        st.session_state[f"data.target.{signature}"] = dataset if dataset in targets else NEW
    target = t1.selectbox(
        t("data.import_into"),
        targets,
        format_func=target_names.get,
        help=t("data.target_help"),
        **keep_choice(f"data.target.{signature}", NEW),
    )
    replace = False
    if target == NEW:
        stem = dataset_stem(next(iter(files.values())).name)
        free = free_name(stem, [d.name for d in own])  # "leads (2)" after "leads"
        new_name = t2.text_input(
            t("data.dataset_name"), value=free, max_chars=80, key=f"data.new_name.{signature}"
        )
    else:
        replace = t2.checkbox(
            t("data.replace"),
            value=False,  # never the default: adding keeps what is there
            key=f"data.replace.{signature}.{target}",
            help=t("data.replace_help"),
        )
    run = False
    if st.button(t("data.do_import"), key="data.import", type="primary", icon=":material/upload:"):
        if replace:  # a second, explicit click replaces: nothing is replaced before it
            st.session_state[CONFIRM_REPLACE] = (signature, target)
        else:
            run = True
    if replace and st.session_state.get(CONFIRM_REPLACE) == (signature, target):
        trows = funnel.row_counts(state.funnel_of(target))
        st.warning(
            t("data.replace_confirm", name=md(target_names[target]),
              rows=F.count(sum(trows.values()))),
            icon=":material/warning:",
        )  # fmt: skip
        with st.container(horizontal=True):
            yes = st.button(t("data.replace_yes"), key="data.replace_yes", type="primary",
                            icon=":material/published_with_changes:")  # fmt: skip
            no = st.button(t("data.cancel"), key="data.replace_no")
        if yes:
            st.session_state.pop(CONFIRM_REPLACE, None)
            run = True
        if no:
            st.session_state.pop(CONFIRM_REPLACE, None)
            st.rerun()
    if run:
        with st.status(t("data.importing"), expanded=True) as status:
            bar = st.progress(0.1, text=t("data.step_read", n=len(files)))
            created = None
            try:
                if target == NEW:
                    created = state.datasets().create(new_name)
                into = created.id if created is not None else target
                tcon = state.funnel_of(into)
                bar.progress(0.35, text=t("data.step_write"))
                result = import_files(
                    tcon,
                    files if len(files) > 1 else next(iter(files.values())),
                    mapping,
                    replace_all=replace,
                    preset_name=None if edited else mapping_name,
                )
                funnel.checkpoint(tcon)
                bar.progress(0.8, text=t("data.step_quality"))
                cached_quality(funnel.data_version(tcon), tcon)
                bar.progress(1.0, text=t("data.step_done"))
                status.update(label=t("data.import_done"), state="complete")
                state.choose_dataset(into)
                st.session_state["data.outcome"] = (
                    "ok",
                    {"rows_written": result.rows_written, "rows_read": result.rows_read,
                     "rows_skipped": result.rows_skipped, "files": list(result.files),
                     "table": result.table, "dataset": state.dataset_name(into),
                     "replaced": replace,
                     "warnings": [warning_record(w) for w in result.warnings]},
                )  # fmt: skip
            except DataLayerError as exc:
                if created is not None:  # all or nothing: no empty dataset is left behind
                    state.remove_dataset(created.id)
                status.update(label=t("data.import_failed"), state="error")
                st.session_state["data.outcome"] = ("error", error_record(exc))
        st.rerun()

# ----- quality ----------------------------------------------------------------------------------
st.header(t("data.quality"), divider="gray")
findings = cached_quality(version, con)
found = [f for f in findings if f.count]
st.caption(t("data.quality_caption", n=len(found), total=len(findings)))
qtable = pd.DataFrame(
    {
        t("data.q.check"): [t(f"quality.{f.check}") for f in findings],
        t("data.q.count"): [f.count for f in findings],
        t("data.q.status"): [t("data.q.found" if f.count else "data.q.ok") for f in findings],
    }
)
st.dataframe(qtable, hide_index=True, width="stretch", key="data.quality_table")


def lie_text(check: str, hit: dict) -> str:
    """One hit of a numbers-that-lie finding (db.lies) as a sentence in the session's language;
    owner names and stage keys made inert (the sentence is markdown)."""
    share = {k: F.pct(hit[k]) for k in ("rate", "rest", "pooled_conversion", "conversion_without")
             if hit.get(k) is not None}  # fmt: skip
    listed = {k: ", ".join(f"{md(F.month(m['name']) if k == 'months' else m['name'])} "
                           f"({F.count(m['items'])})" for m in hit.get(k, []))
              for k in ("months", "owners")}  # fmt: skip
    stage = t(f"stage.{hit['stage']}") if has(f"stage.{hit['stage']}") else hit["stage"]
    kw = {"stage": md(stage), "owner": md(hit.get("owner", "")), "months": listed["months"],
          "owners": listed["owners"], "rate": share.get("rate"), "rest": share.get("rest"),
          "pooled": share.get("pooled_conversion"), "without": share.get("conversion_without"),
          **{k: F.count(hit[k]) for k in ("count", "items", "open") if k in hit}}  # fmt: skip
    if check == "stage_drift":
        conv = hit["metric"] == "conversion"
        kw |= {"month": F.month(hit["month"]), "n_before": F.count(hit["items_before"]),
               "n_after": F.count(hit["items_after"]), "horizon": F.count(hit["horizon_days"]),
               **{k: F.pct(hit[k]) if conv else F.count(hit[k], digits=1)
                  for k in ("before", "after")}}  # fmt: skip
        return t(f"quality.stage_drift.hit_{hit['metric']}", **kw)
    if check == "never_touched":
        kw["limit"] = F.count(hit["limit_days"])
    return t(f"quality.{check}.hit", **kw)


for f in found:
    with st.expander(t("data.q.examples", check=t(f"quality.{f.check}"), n=F.count(f.count))):
        st.caption(t(f"quality.{f.check}.help"))
        for hit in f.params.get("hits", []):
            st.markdown("- " + lie_text(f.check, hit))
        named = f.examples.rename(  # the columns in words (they were db's own keys)
            columns=lambda c: t(f"data.qcol.{c}") if has(f"data.qcol.{c}") else c
        )
        st.dataframe(named, hide_index=True, width="stretch")

if span is None:
    st.info(t("data.db_empty"))
    st.stop()

# ----- the window -------------------------------------------------------------------------------
st.header(t("data.metrics"), divider="gray")
months = months_between(*span)
try:
    lo, hi = default_window(con)
    window_default = (month_label(lo), month_label(hi))
except DataLayerError:
    window_default = (months[0], months[-1])
w = st.session_state.get("data.window")
if w is not None and not (isinstance(w, tuple | list) and all(m in months for m in w)):
    del st.session_state["data.window"]  # the data changed: back to the default window
start, end = st.select_slider(
    t("data.window"),
    options=months,
    value=window_default,
    format_func=F.month_short,
    key="data.window",
    help=t("data.window_help"),
)
m = cached_metrics(version, start, end, con)
summary = m["summary"]

tab_stage, tab_source, tab_stock, tab_pool = st.tabs(
    [t("data.tab.stages"), t("data.tab.sources"), t("data.tab.stock"), t("data.tab.pool")]
)
with tab_stage:
    number_table(
        "data.stage_table",
        [
            (t("data.col.stage"), [stage_label(s) for s in summary["stage"]], None),
            (t("data.col.entered"), summary["entered"].astype(float), "localized"),
            (t("data.col.resolved"), summary["resolved"].astype(float), "localized"),
            (t("data.col.open"), summary["open"].astype(float), "localized"),
            (t("param.conversion"), summary["conversion"] * 100, PCT),
            (t("param.disqualify"), summary["disqualify"] * 100, PCT),
            (t("param.recycle"), summary["recycle"] * 100, PCT),
            (t("data.col.lost"), summary["lost_share"] * 100, PCT),
            (t("data.col.lag_days"), summary["lag_median_days"], "%.1f"),
            (t("param.lag_months"), summary["lag_months"], "%.2f"),
        ],
    )
    shares = {o: summary[c].tolist() for o, c in zip(OUTCOMES, ("conversion", "disqualify",
              "recycle", "lost_share"), strict=True)}  # fmt: skip
    texts = [F.pct(v if pd.notna(v) else 0) for o in OUTCOMES for v in shares[o]]
    odf = cd.outcome_frame(
        [stage_label(s) for s in summary["stage"]],
        shares,
        {o: t(f"outcome.{o}") for o in OUTCOMES},
        texts,
    )
    st.altair_chart(
        cd.outcome_chart(odf, t("data.share_axis")),
        width="stretch",
        height=cd.outcome_height(len(summary)),
    )
    st.caption(t("data.stage_table_caption"))
with tab_source:
    fb = m["feedback"]
    src = number_table(
        "data.source_table",
        [
            (t("data.col.source"), [source_name(s) for s in fb["source"]], None),
            (t("data.col.items"), fb["items"].astype(float), "localized"),
            (t("metric.wins"), fb["won"].astype(float), "localized"),
            (t("data.col.win_rate"), fb["win_rate"] * 100, PCT),
            (t("data.col.days_to_win"), fb["days_to_win_median"], "%.0f"),
            (t("metric.bookings"), fb["bookings"].round(), "localized"),
        ],
    )
    bars = pd.DataFrame(
        {
            "name": src[t("data.col.source")],
            "value": fb["win_rate"].astype(float),
            "text": [F.pct(v) for v in fb["win_rate"]],
        }
    )
    st.altair_chart(
        cd.ranked_bars(bars, "value", "text", t("data.col.win_rate"), PCT_AXIS),
        width="stretch",
        height=cd.bars_height(len(bars)),
    )
    bs = m["by_source"]
    if len(bs):
        bs = bs.assign(source=[source_name(s) for s in bs["source"]])
        conv = bs.pivot_table(index="source", columns="stage", values="conversion", sort=False)
        conv = conv * 100
        conv = conv[[s for s in design if s in conv.columns]]
        conv.columns = [f"{stage_label(s)} → {t('param.conversion')}" for s in conv.columns]
        conv.index.name = t("data.col.source")
        st.caption(t("data.conversion_by_source"))
        pct = st.column_config.NumberColumn(format=PCT)
        st.dataframe(conv, width="stretch", column_config={c: pct for c in conv.columns})
with tab_stock:
    stk = m["stock"]
    if len(stk):
        mlist = [F.month_short(month_label(x)) for x in pd.to_datetime(stk["month"])]
        stk = stk.assign(m=mlist)
        keys = list(dict.fromkeys(stk["stage"]))
        series = {stage_label(s): stk.loc[stk["stage"] == s, "stock"].tolist() for s in keys}
        sdf = charts.long_frame(
            list(dict.fromkeys(mlist)),
            series,
            {k: [F.count(v) for v in vs] for k, vs in series.items()},
        )
        st.altair_chart(charts.line_chart(sdf, t("data.stock_axis")), width="stretch")
        st.caption(t("data.stock_caption"))
    else:
        st.info(t("data.no_history"))
with tab_pool:
    rec = m["recycle"]
    if len(rec) and rec["recycled"].sum() > 0:
        inwin = rec[(rec["month"] >= pd.Timestamp(start)) & (rec["month"] <= pd.Timestamp(end))]
        rec = inwin if len(inwin) else rec
        mlist = [F.month_short(month_label(x)) for x in pd.to_datetime(rec["month"])]
        series = {
            t("data.pool"): rec["pool_observed"].tolist(),
            t("data.recycled"): rec["recycled"].tolist(),
            t("data.reactivated"): rec["reactivated"].tolist(),
        }
        pdf = charts.long_frame(
            mlist, series, {k: [F.count(v) for v in vs] for k, vs in series.items()}
        )
        p1, p2 = st.columns(2)
        p1.metric(t("data.pool_end"), F.count(float(rec["pool_observed"].iloc[-1])))
        p2.metric(t("data.reactivated_total"), F.count(float(rec["reactivated"].sum())))
        st.altair_chart(cd.pool_chart(pdf, t("stages.items_axis")), width="stretch")
    else:
        st.info(t("data.no_recycle"))

# ----- baseline ---------------------------------------------------------------------------------
st.header(t("data.baseline"), divider="gray")
st.caption(t("data.baseline_caption", start=F.month(start), end=F.month(end)))
b1, b2 = st.columns(2)
horizon = b1.number_input(
    t("data.horizon"), min_value=1, max_value=60, value=12, step=1, key="data.horizon"
)
uplift = b2.number_input(
    t("data.uplift"),
    min_value=0.0,
    max_value=500.0,
    value=20.0,
    step=5.0,
    format="%.0f",
    key="data.uplift",
    help=t("data.uplift_help"),
)
stale_defaults = cached_stale_defaults(version, start, end, con)
with st.expander(t("data.open_items"), expanded=False):
    scols = st.columns(max(3, len(stale_defaults)), vertical_alignment="bottom")
    chosen_limits: dict[str, int] = {}
    for i, (k, default_n) in enumerate(stale_defaults.items()):
        n = scols[i].number_input(
            t("data.stale_after", stage=stage_label(k)),
            min_value=0,
            max_value=120,
            value=None,
            step=1,
            placeholder=t("data.stale_auto", n=default_n),
            key=f"data.stale_after.{k}",
            help=t("data.stale_after_help"),
        )
        if n is not None:
            chosen_limits[k] = int(n)
    stale_as_lost = st.checkbox(
        t("data.stale_as_lost"), key="data.stale_as_lost", help=t("data.stale_as_lost_help")
    )
if st.button(t("data.build"), key="data.build", icon=":material/build:"):
    try:
        scenario = build_baseline(
            con,
            start,
            end,
            horizon=int(horizon),
            target_uplift=float(uplift) / 100,
            name=t("data.baseline_name", start=start, end=end),
            stale_after=chosen_limits or None,
            stale_as_lost=bool(stale_as_lost),
            with_backtest=False,
        )
        if not (scenario.get("target") or {}).get("total"):
            scenario.pop("target", None)
        scenario["notes"]["dataset"] = state.provenance(dataset)  # which data, as it was
        limits = {k: v["stale_after"] for k, v in scenario["notes"]["baseline"]["stages"].items()
                  if v["stale_after"] is not None}  # fmt: skip
        stale_key = (tuple(sorted(limits.items())), bool(stale_as_lost))
        try:  # the backtest's verdict goes into the notes, as build_baseline puts it there
            bt_frame = cached_backtest(version, start, end, *stale_key, con)
            scenario["notes"]["baseline"]["backtest"] = backtest_verdict(
                bt_frame, scenario["stages"][0]["key"]
            )
            bt_error = None
        except DataLayerError as exc:
            bt_error = error_record(exc)
        st.session_state["data.built"] = {
            "scenario": scenario,
            "start": start,
            "end": end,
            "version": version,
            "origin": [origin, origin_name],
            "stale": stale_key,
            "backtest_error": bt_error,
        }
    except DataLayerError as exc:
        st.session_state.pop("data.built", None)
        st.error(t("data.build_failed", reason=error_text(exc)))

built = st.session_state.get("data.built")
if built is not None and (built["version"] != version or "stale" not in built):
    st.session_state.pop("data.built", None)
    built = None
if built is not None:
    sc = built["scenario"]
    bstart, bend = built["start"], built["end"]
    notes = sc["notes"]["baseline"]
    st.markdown(t("data.built", name=md(sc["name"]), start=F.month(sc["start"]),
                  months=sc["months"]))  # fmt: skip
    k1, k2, k3, k4 = st.columns(4)
    k1.metric(t("data.inflow", stage=stage_label(sc["stages"][0]["key"])), F.count(sc["inflow"]))
    size = sc["deal"]["size"]
    k2.metric(t("param.size"), F.money(size["base"] if isinstance(size, dict) else size))
    k3.metric(t("data.opening_pool"), F.count(sc["recycle"]["opening"]))
    tgt = sc.get("target")
    k4.metric(t("data.target"), F.money(tgt["total"]) if tgt else "—")
    if not (size["base"] if isinstance(size, dict) else size):
        st.warning(t("data.no_amounts"))
    steps = sc["stages"][:-1]  # the stages with outcomes (the last one is terminal)
    conversion = [state.param_value(sc, ("stages", i, "conversion")) for i in range(len(steps))]
    rests = [notes["stages"][s["key"]] for s in steps]
    number_table(
        "data.params_table",
        [
            (t("data.col.stage"), [stage_label(s["key"]) for s in steps], None),
            (t("param.conversion"), [c * 100 for c in conversion], PCT),
            (t("param.disqualify"), [s["disqualify"] * 100 for s in steps], PCT),
            (t("param.recycle"), [s["recycle"] * 100 for s in steps], PCT),
            (t("param.lag_months"), [s["lag"] for s in steps], "%.2f"),
        ],
    )
    st.markdown(t("data.rests_on"))
    number_table(
        "data.provenance_table",
        [
            (t("data.col.stage"), [stage_label(s["key"]) for s in steps], None),
            (t("data.col.used"), [float(r["used"]) for r in rests], "localized"),
            (t("data.col.dated"), [float(r["resolved"]) for r in rests], "localized"),
            (t("data.col.undated"), [float(r["undated"]) for r in rests], "localized"),
            (t("data.col.censored"), [float(r["censored"]) for r in rests], "localized"),
            (t("data.col.stale_lost" if notes["stale_as_lost"] else "data.col.stale"),
             [float(r["stale"]) for r in rests], "localized"),
            (t("data.col.stale_after"), [r["stale_after"] for r in rests], "%d"),
        ],
    )  # fmt: skip
    end_text = F.month(notes["data_end"][:7]) if notes.get("data_end") else "—"
    stale_text = t("data.stale_counted_lost" if notes["stale_as_lost"] else "data.stale_set_aside")
    caption = t("data.provenance_caption", end=end_text, stale=stale_text)
    left_out = sum(r["left_out"] for r in rests)
    if left_out:
        caption += " " + t("data.left_out", n=F.count(left_out))
    st.caption(caption)
    for w in notes["warnings"]:
        st.warning(baseline_warning_text(w), icon=":material/info:")
    st.subheader(t("data.backtest"))
    bt = None
    if built["backtest_error"] is not None:
        st.warning(t("data.build_failed", reason=error_reason(built["backtest_error"])))
    else:
        bt = cached_backtest(version, bstart, bend, *built["stale"], con)
    if bt is not None:
        verdict = notes["backtest"]
        if verdict["verdict"] == "trusted":
            st.success(t("data.bt.trusted"), icon=":material/verified:")
        else:
            lines = [backtest_reason_text(k, r) for k, v in verdict["stages"].items()
                     for r in v["reasons"]]  # fmt: skip
            st.warning(t("data.bt.not_trusted") + "\n\n" + "\n".join(f"- {x}" for x in lines),
                       icon=":material/warning:")  # fmt: skip
        names2 = {"actual": t("data.actual"), "planned": t("data.planned")}
        charts_ = st.columns(2)
        for i, s in enumerate(dict.fromkeys(bt["stage"])):
            part = bt[bt["stage"] == s]
            rows_ = [{"month": F.month_short(mo), "series": names2[col], "value": float(v),
                      "value_text": F.count(v, digits=1)}
                     for col in ("actual", "planned")
                     for mo, v in zip(part["month"], part[col], strict=True)]  # fmt: skip
            charts_[i % 2].altair_chart(
                cd.actual_vs_planned_stage(
                    pd.DataFrame(rows_), t("plan.arrivals_axis"), stage_label(s)
                ),
                width="stretch",
                height=cd.BACKTEST_HEIGHT,
            )
        err = stage_errors(bt)
        vs = [verdict["stages"][k] for k in err.index]
        number_table(
            "data.backtest_table",
            [
                (t("data.col.stage"), [stage_label(s) for s in err.index], None),
                (t("data.col.verdict"), [t("data.bt.input" if v["input"] else "data.bt.ok"
                 if v["trusted"] else "data.bt.off") for v in vs], None),
                (t("data.col.total_error"),
                 [v["total_error"] * 100 if v["total_error"] is not None else None for v in vs],
                 "%+.1f%%"),
                (t("data.col.worst_month"),
                 [F.month_short(v["worst_month"]) if v["worst_month"] else None for v in vs], None),
                (t("data.col.worst_error"),
                 [v["worst_error"] * 100 if v["worst_error"] is not None else None for v in vs],
                 "%+.1f%%"),
                (t("data.actual"), err["actual"].to_numpy(), "localized"),
                (t("data.planned"), err["planned"].round().to_numpy(), "localized"),
                (t("data.wape"), err["wape"].to_numpy() * 100, PCT),
            ],
        )  # fmt: skip
        st.caption(t("data.backtest_caption"))
    active = state.canonical(state.baseline()) == state.canonical(sc)
    if active:
        st.success(t("data.is_active"), icon=":material/check_circle:")
        st.page_link("pages/overview.py", label=t("data.to_overview"), icon=":material/flag:")
    else:
        st.button(
            t("data.use"),
            key="data.use",
            type="primary",
            icon=":material/play_arrow:",
            on_click=state.use_baseline,
            args=(sc, *built["origin"]),
        )
