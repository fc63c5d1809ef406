"""The Data page's import: the uploader, the last import's outcome, reading the uploads in the
chosen encoding, and where the rows go (a new dataset, or an imported one added to or, after a
second click, replaced) with the import itself: all rows or none, a dataset created for it
removed again when it fails."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import streamlit as st

from db import funnel
from db.datasets import free_name
from db.errors import DataLayerError, ImportDataError
from db.guess import dataset_stem
from db.imports import import_files

from . import data_cache, state
from .common import Fmt
from .data_mapping import Choice
from .data_widgets import keep_choice, show_error
from .errors import error_record, import_warning_text, warning_record
from .format import inert as md
from .i18n import t

TYPES = ["csv", "tsv", "txt", "xlsx", "parquet"]
ENCODINGS = ["auto", "utf-8", "utf-8-sig", "cp932", "utf-16"]
CONFIRM_REPLACE = "data.confirm_replace"
NEW = "__new__"  # the import target "a new dataset"


def max_mb() -> int:
    """The upload limit per file in MB (``server.maxUploadSize``)."""
    return int(st.get_option("server.maxUploadSize"))


def uploader() -> list[Any]:
    """The file uploader (several files at once); the files uploaded, or none. Streamlit (1.67)
    has no way to set the texts of the uploader's box ("Drag and drop files here", the limit and
    types line, "Browse files"): they stay English, so the label names the accepted types and the
    limit, and the help says how to use the box, in the session's language."""
    mb = max_mb()
    return (
        st.file_uploader(
            t("data.upload_label", mb=mb),
            type=TYPES,
            accept_multiple_files=True,
            key="data.upload",
            help=t("data.upload_help", mb=mb) + " " + t("data.upload_box"),
        )
        or []
    )


def upload_signature(file_ids: Iterable[str]) -> str:
    """A short name for a set of uploads (ten hex digits), new with every upload."""
    return hashlib.sha1("|".join(file_ids).encode()).hexdigest()[:10]


def new_uploads(uploads: list[Any]) -> str:
    """The uploads' signature; when they changed, the last outcome and mapping are forgotten."""
    signature = upload_signature(u.file_id for u in uploads)
    if st.session_state.get("data.signature") != signature:
        st.session_state["data.signature"] = signature
        st.session_state.pop("data.outcome", None)
        st.session_state.pop("data.mapping", None)
    return signature


def imported_text(res: dict[str, Any], F: Fmt) -> str:
    """The success message of an import (an outcome of :func:`outcome_record`)."""
    return (
        t("data.imported", rows=F.count(res["rows_written"]), read=F.count(res["rows_read"]),
          files=md(", ".join(res["files"])), table=t(f"data.table.{res['table']}"))
        + " "
        + t("data.imported_into_replaced" if res.get("replaced") else "data.imported_into",
            name=md(res.get("dataset", "")))
    )  # fmt: skip


def outcome_record(result: Any, dataset_name: str, replaced: bool) -> dict[str, Any]:
    """What an import did (``db.imports.ImportResult``), kept in the session to show after the
    rerun in the language of the moment."""
    return {
        "rows_written": result.rows_written,
        "rows_read": result.rows_read,
        "rows_skipped": result.rows_skipped,
        "files": list(result.files),
        "table": result.table,
        "dataset": dataset_name,
        "replaced": replaced,
        "warnings": [warning_record(w) for w in result.warnings],
    }


def show_outcome(F: Fmt) -> None:
    """The last import's success and warnings, or its error."""
    outcome = st.session_state.get("data.outcome")
    if outcome is not None and outcome[0] == "ok":
        res = outcome[1]
        st.success(imported_text(res, F), icon=":material/check_circle:")
        for w in res["warnings"]:
            st.warning(import_warning_text(w))
    elif outcome is not None:
        show_error(outcome[1], F)


def encoding_names() -> dict[str, str]:
    return {e: t("data.encoding_auto") if e == "auto" else e for e in ENCODINGS}


def read_uploads(uploads: list[Any], F: Fmt) -> list[Any]:
    """The encoding selectbox and the uploads read with it; none when any could not be read
    (its error shown)."""
    if not uploads:
        return []
    names = encoding_names()
    enc = st.selectbox(
        t("data.encoding"),
        ENCODINGS,
        format_func=names.get,
        help=t("data.encoding_help"),
        **keep_choice("data.encoding", "auto"),
    )
    raws, failed = [], False
    for u in uploads:
        try:
            raws.append(data_cache.read_upload(u.file_id, u.name, u.getvalue(), enc))
        except ImportDataError as exc:
            failed = True
            show_error(error_record(exc), F)
    return [] if failed else raws


def target_options(own: Sequence[Any]) -> tuple[list[str], dict[str, str]]:
    """Where an import can go: a new dataset, then each imported one; and their names."""
    return [NEW] + [d.id for d in own], {NEW: t("data.target_new"), **{d.id: d.name for d in own}}


def _replace_confirmed(target: str, name: str, F: Fmt) -> bool:
    """The question before replacing a dataset's data: True on "replace", a rerun on cancel."""
    trows = funnel.row_counts(state.funnel_of(target))
    st.warning(
        t("data.replace_confirm", name=md(name), rows=F.count(sum(trows.values()))),
        icon=":material/warning:",
    )
    with st.container(horizontal=True):
        yes = st.button(t("data.replace_yes"), key="data.replace_yes", type="primary",
                        icon=":material/published_with_changes:")  # fmt: skip
        no = st.button(t("data.cancel"), key="data.replace_no")
    if yes:
        st.session_state.pop(CONFIRM_REPLACE, None)
        return True
    if no:
        st.session_state.pop(CONFIRM_REPLACE, None)
        st.rerun()
    return False


def _run(choice: Choice, target: str, new_name: str, replace: bool) -> None:
    """The import with its progress; the outcome kept for the rerun that shows it."""
    files = choice.files
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
                choice.mapping,
                replace_all=replace,
                preset_name=None if choice.edited else choice.name,
            )
            funnel.checkpoint(tcon)
            bar.progress(0.8, text=t("data.step_quality"))
            data_cache.quality(funnel.data_version(tcon), tcon)
            bar.progress(1.0, text=t("data.step_done"))
            status.update(label=t("data.import_done"), state="complete")
            state.choose_dataset(into)
            record = outcome_record(result, state.dataset_name(into), replace)
            st.session_state["data.outcome"] = ("ok", record)
        except DataLayerError as exc:
            if created is not None:  # all or nothing: no empty dataset is left behind
                state.remove_dataset(created.id)
            status.update(label=t("data.import_failed"), state="error")
            st.session_state["data.outcome"] = ("error", error_record(exc))
    st.rerun()


def import_box(choice: Choice, dataset: str, signature: str, F: Fmt) -> None:
    """Where the rows go (the session's dataset when it is an imported one), the new dataset's
    name or whether to replace, the import button, and the import."""
    own = state.datasets().list()
    targets, target_names = target_options(own)
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
    replace, new_name = False, ""
    if target == NEW:
        stem = dataset_stem(next(iter(choice.files.values())).name)
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
        run = _replace_confirmed(target, target_names[target], F) or run
    if run:
        _run(choice, target, new_name, replace)
