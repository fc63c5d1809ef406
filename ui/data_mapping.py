"""The Data page's column mapping of uploaded files: the preset or saved mapping (guessed from the
files' columns), which file plays which role, which column is which field and each stage's date
column, whether dates are day-first, a preview of the files, and saving the mapping under a name.
The guesses are :mod:`db.guess`'s; the mapping with the choices is :mod:`db.mapping_edit`'s."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from db.errors import DataLayerError
from db.guess import (
    column_defaults,
    combined_header,
    dayfirst_default,
    detect_order,
    guess_mapping,
    role_files,
)
from db.imports import FIELDS, list_mappings, load_mapping, save_mapping
from db.mapping_edit import is_edited, missing_fields, named, stage_date_field, with_choices

from . import state
from .common import Fmt
from .data_widgets import keep_choice, stage_label
from .errors import error_text
from .format import inert as md
from .i18n import t

NONE = "—"  # the option "no column"


@dataclass(frozen=True)
class Choice:
    """What the user chose for the uploaded files: the mapping's name, the mapping with the
    choices (``edited`` when they differ from it), the files by role, and how their dates are
    written (:func:`db.guess.date_order`)."""

    name: str
    mapping: dict[str, Any]
    edited: bool
    files: dict[str, Any]
    detected: str | None


def mapping_labels(options: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """Each mapping's name in the list: a preset's from the catalog, a saved one's as saved."""
    return {
        m["name"]: t(f"preset.{m['name']}")
        if m["origin"] == "builtin"
        else t("data.saved_preset", name=m["name"])
        for m in options
    }


def choose_mapping(mcon: Any, raws: list[Any]) -> tuple[str, dict[str, Any]]:
    """The mapping selectbox (first the one whose columns the files have, or one saved just now)
    and the chosen mapping."""
    options = list_mappings(mcon)
    names = [m["name"] for m in options]
    if st.session_state.get("data.mapping") not in names:
        st.session_state["data.mapping"] = guess_mapping(options, raws, mcon) or names[0]
    if st.session_state.get("data.mapping_next") in names:  # a mapping saved just now
        st.session_state["data.mapping"] = st.session_state.pop("data.mapping_next")
    labels = mapping_labels(options)
    mapping_name = st.selectbox(
        t("data.mapping"),
        names,
        format_func=labels.get,
        help=t("data.mapping_help"),
        **keep_choice("data.mapping", names[0]),
    )
    return mapping_name, load_mapping(mcon, mapping_name)


def assign_files(roles: list[str], raws: list[Any], signature: str) -> dict[str, Any]:
    """The files by role: guessed from their names, a selectbox per role when there are several;
    a warning and a stop when the mapping wants another number of files."""
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
    return {role: by_name[assign[role]] for role in roles}


def _column_box(label: str, header: list[str], default: str | None, key: str, where=st) -> Any:
    return where.selectbox(
        label,
        [NONE, *header],
        index=header.index(default) + 1 if default else 0,
        key=key,
    )


def column_choices(
    base: dict[str, Any], header: list[str], stages: list[str], key: str
) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The expander of a selectbox per field of the mapping's kind (and per stage's date for a
    mapping of kind ``items``), each on the mapping's column; the chosen columns (None for
    none) and the mapping's defaults."""
    kind = base["kind"]
    defaults = column_defaults(base, header, stages)
    chosen: dict[str, str | None] = {}
    with st.expander(t("data.columns", kind=t(f"data.kind.{kind}")), expanded=False):
        st.caption(t("data.columns_help"))
        grid = st.columns(3)
        for i, (f, (_ftype, required)) in enumerate(FIELDS[kind].items()):
            label = t(f"field.{f}") + (" *" if required else "")
            chosen[f] = _column_box(label, header, defaults[f], f"data.col.{key}.{f}", grid[i % 3])
        if kind == "items":
            st.markdown(t("data.stage_dates"))
            sgrid = st.columns(max(1, len(stages)))
            for i, s in enumerate(stages):
                d = stage_date_field(s)
                chosen[d] = _column_box(
                    stage_label(s), header, defaults[d], f"data.date.{key}.{s}", sgrid[i]
                )
    return {k: (None if v == NONE else v) for k, v in chosen.items()}, defaults


def mapping_form(raws: list[Any], signature: str, design: list[str]) -> Choice:
    """The mapping, the files' roles, the columns and the dates: what the import will use."""
    mcon = state.mappings()
    mapping_name, base = choose_mapping(mcon, raws)
    kind = base["kind"]
    roles = list(base.get("files") or ["main"])
    files = assign_files(roles, raws, signature)
    header = combined_header(files, roles)
    stages = list(base.get("stages") or design)
    key = f"{signature}.{mapping_name}"
    chosen, defaults = column_choices(base, header, stages, key)
    # the dates: how they are written, and how the mapping reads them
    detected = detect_order(files, roles, kind, chosen)
    dayfirst = st.checkbox(
        t("data.dayfirst"),
        value=dayfirst_default(detected, bool(base.get("dayfirst", True))),
        key=f"data.dayfirst.{key}",
        help=t("data.dayfirst_help"),
    )
    edited = is_edited(chosen, defaults, dayfirst, base)
    missing = [t(f"field.{f}") for f in missing_fields(kind, chosen)]
    if missing:
        st.warning(t("data.missing_required", fields=", ".join(missing)))
    mapping = with_choices(base, chosen, stages, dayfirst, edited)
    return Choice(mapping_name, mapping, edited, files, detected)


def preview(files: dict[str, Any], detected: str | None, F: Fmt) -> None:
    """Each file's facts (rows, columns, encoding, how its dates are written) and first rows, in
    a tab per file when there are several."""
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


def save_box(mapping: dict[str, Any]) -> None:
    """The expander that saves the mapping with the choices under a name (listed next time,
    and chosen at once)."""
    with st.expander(t("data.save_mapping"), expanded="data.saved_name" in st.session_state):
        if st.session_state.get("data.saved_name"):
            st.success(t("data.saved", name=md(st.session_state.pop("data.saved_name"))))
        s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
        new_name = s1.text_input(t("data.mapping_name"), key="data.mapping_name", max_chars=80)
        if s2.button(t("data.save"), key="data.save_mapping", icon=":material/save:"):
            try:
                save_mapping(state.mappings(), new_name, named(mapping, new_name))
            except DataLayerError as exc:
                st.error(t("data.save_failed", reason=error_text(exc)))
            else:
                st.session_state["data.saved_name"] = new_name.strip()
                st.session_state["data.mapping_next"] = new_name.strip()
                st.rerun()
