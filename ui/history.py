"""The Scenarios page's sections about saved versions, drawn: a save that clashed with someone's
later version (who, what differs, the three ways on), and the history (the saved scenarios, one
scenario's versions, load, archive or restore, the dataset a version was built from, and the
differences between two versions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from db.errors import DataLayerError
from db.scenarios import diff_scenarios

from . import state
from .common import Fmt
from .compare import in_currency
from .errors import error_text
from .format import inert
from .i18n import t
from .saving import STALE, draft_named, load_version, read, save_current, set_archived, viewer_zone
from .versions import (
    clash_text,
    data_status_text,
    diff_table,
    history_name,
    scenarios_table,
    target_metric,
    versions_table,
    visible,
)

ss = st.session_state


def version_picker(label: str, numbers: list[int], key: str, index: int = 0) -> int:
    """A scenario's version numbers (newest first) to pick from, shown as ``v3``."""
    return st.selectbox(label, numbers, index=index, key=key, format_func=lambda v: f"v{v}")


def clash_box(clash: Mapping[str, Any], F: Fmt) -> None:
    """A save that would hide someone's later version: who saved what since, the differences
    between theirs and this scenario, and the three ways on."""
    name, head = clash["name"], clash["head"]
    try:
        latest = state.scenario_store().record(name, head)
    except DataLayerError as exc:
        st.error(t("scn.save_failed", reason=error_text(exc)))
        return
    mine = draft_named(name)
    with st.container(border=True, key="scn.stale.box"):
        st.warning(clash_text(clash, latest, viewer_zone()), icon=":material/warning:")
        rows = diff_scenarios(latest["scenario"], mine)
        if rows:
            st.caption(t("scn.stale_diff", head=head))
            theirs, yours = t("scn.col.theirs", v=head), t("scn.col.yours")
            diff = diff_table(rows, F, target_metric(mine), theirs, yours)
            st.dataframe(diff, hide_index=True, width="stretch", key="scn.stale.diff")
        else:
            st.caption(t("scn.stale_same", head=head))
        b1, b2, b3 = st.columns(3)
        b1.button(
            t("scn.stale_save", next=head + 1),
            key="scn.stale.save",
            type="primary",
            on_click=save_current,
            kwargs={"force": True},
        )
        b2.button(
            t("scn.stale_open", head=head),
            key="scn.stale.open",
            on_click=load_version,
            args=(name, head),
        )
        b3.button(t("scn.stale_cancel"), key="scn.stale.cancel", on_click=ss.pop, args=(STALE,))


def history(listing: Sequence[Mapping[str, Any]], ref: tuple[str, int] | None, F: Fmt) -> None:
    """The saved scenarios; for the one picked its versions, a version to load, archive or
    restore, the dataset that version was built from, and what changed between two versions."""
    show_archived = st.toggle(t("scn.show_archived"), key="scn.show_archived")
    shown = visible(listing, show_archived)
    if not shown:
        st.info(t("scn.none_saved"))
        return
    zone = viewer_zone()
    st.dataframe(scenarios_table(shown, zone), hide_index=True, width="stretch", key="scn.list")
    names = [r["name"] for r in shown]
    if ss.get("scn.hist.name") not in names:
        ss["scn.hist.name"] = history_name(names, ref)
    name = st.selectbox(t("scn.scenario"), names, key="scn.hist.name")
    is_archived = next(r["archived"] for r in shown if r["name"] == name)
    versions = read("versions", name)
    st.markdown(f"**{t('scn.versions', name=inert(name))}**")
    table = versions_table(versions, zone)
    st.dataframe(table, hide_index=True, width="stretch", key="scn.versions")
    numbers = [v["version"] for v in versions][::-1]
    picked = _load_and_archive(name, numbers, is_archived)
    try:  # which data the picked version was built from, and what became of that data since
        built = data_status_text(state.data_status(read("load", name, picked)), picked)
    except DataLayerError:
        built = None
    if built is not None:
        st.caption(built)
    _differences(name, numbers, F)


def _load_and_archive(name: str, numbers: list[int], is_archived: bool) -> int:
    """The version picker with its Load button, and Archive (or Restore) for the scenario."""
    l1, l2, l3 = st.columns([1, 1, 1], vertical_alignment="bottom")
    with l1:
        picked = version_picker(t("scn.version"), numbers, f"scn.hist.version.{name}")
    l2.button(t("scn.load"), key="scn.load", on_click=load_version, icon=":material/file_open:")
    act = "restore" if is_archived else "archive"  # the store's way back, or out of the list
    l3.button(
        t(f"scn.{act}"),
        key=f"scn.{act}",
        on_click=set_archived,
        args=(not is_archived,),
        icon=":material/unarchive:" if is_archived else ":material/archive:",
    )
    if is_archived:
        st.caption(t("scn.archived_help"))
    return picked


def _differences(name: str, numbers: list[int], F: Fmt) -> None:
    """What changed between two versions of ``name`` (the newest two to begin with)."""
    st.subheader(t("scn.diff"))
    if len(numbers) < 2:
        st.caption(t("scn.diff_one"))
        return
    d1, d2 = st.columns(2)
    with d1:
        a = version_picker(t("scn.diff_old"), numbers, f"scn.diff.a.{name}", index=1)
    with d2:
        b = version_picker(t("scn.diff_new"), numbers, f"scn.diff.b.{name}")
    rows = read("diff", name, a, b)
    if not rows:
        st.info(t("scn.diff_none", a=a, b=b))
        return
    new = read("load", name, b)
    F = in_currency(F, new.get("currency", "JPY"))  # the versions' amounts in their currency
    diff = diff_table(rows, F, target_metric(new), t("scn.col.old", v=a), t("scn.col.new", v=b))
    st.dataframe(diff, hide_index=True, width="stretch", key="scn.diff.table")
