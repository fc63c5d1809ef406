"""The Data page's first box: which dataset the session works on (its name, where its data came
from, its stages, rows and months), and for an imported one its renaming and its removal after a
second, explicit click. The sample is built in and read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from db import funnel
from db.datasets import SAMPLE
from db.errors import DataLayerError

from . import state
from .common import Fmt
from .data_widgets import month_label, stage_label
from .errors import error_reason, error_record
from .format import inert as md
from .i18n import t

CONFIRM_REMOVE = "data.confirm_remove"


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


def facts_text(dataset: str, origin: tuple[str, str], design: list[str]) -> str:
    """The left column: the dataset, where its data came from (not for the sample) and its
    stages, as markdown lines."""
    source, name = origin
    return (
        t("data.db_dataset", name=md(state.dataset_name(dataset)))
        + "  \n"
        + (
            ""
            if dataset == SAMPLE
            else t("data.db_origin", source=t(f"source.{source}", name=md(name))) + "  \n"
        )
        + t("data.db_stages", stages=" → ".join(stage_label(s) for s in design))
    )


def size_text(rows: int, span: tuple[dt.date, dt.date] | None, F: Fmt) -> str:
    """The right column: the stage-history rows and the months they cover, as markdown lines."""
    months_text = (
        t("data.db_months", start=F.month(month_label(span[0])), end=F.month(month_label(span[1])))
        if span
        else t("data.db_empty")
    )
    return t("data.db_rows", rows=F.count(rows)) + "  \n" + months_text


def _rename_and_remove(dataset: str) -> None:
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


def _confirm_remove(dataset: str, rows: int, F: Fmt) -> None:
    """Asked: say what goes, and remove only on a second, explicit click."""
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


def dataset_box(
    con: Any,
    dataset: str,
    origin: tuple[str, str],
    design: list[str],
    span: tuple[dt.date, dt.date] | None,
    F: Fmt,
) -> None:
    """The box: the facts side by side, then the sample's note or the rename and remove buttons
    (or the removal's confirmation)."""
    with st.container(border=True):
        c1, c2 = st.columns(2)
        c1.markdown(facts_text(dataset, origin, design))
        rows = funnel.row_counts(con)["stage_history"]
        c2.markdown(size_text(rows, span, F))
        if dataset == SAMPLE:
            st.caption(t("data.db_read_only") + " " + t("data.sample_help"))
        elif st.session_state.get(CONFIRM_REMOVE) != dataset:
            _rename_and_remove(dataset)
        else:
            _confirm_remove(dataset, rows, F)


def show_notices() -> None:
    """What the last rename or removal did (once), or why it could not."""
    if st.session_state.get("data.renamed"):
        st.success(t("data.renamed", name=md(st.session_state.pop("data.renamed"))),
                   icon=":material/check_circle:")  # fmt: skip
    if st.session_state.get("data.removed"):
        st.success(t("data.removed", name=md(st.session_state.pop("data.removed"))),
                   icon=":material/check_circle:")  # fmt: skip
    if st.session_state.get("data.remove_error"):
        st.error(error_reason(st.session_state.pop("data.remove_error")))
