"""What the Scenarios page does with the store: cached reads (the listing, with the store's
recoveries or why it cannot be read), who is saving, and the callbacks of its buttons (save,
load, archive or restore, import), which run before the script and leave a message for the run
that follows (``FLASH``, shown by ``show_flash``) or, for a save that would hide someone's later
version, the clash (``STALE``, drawn by ``ui.history.clash_box``)."""

from __future__ import annotations

import copy
import os
from typing import Any

import streamlit as st

from db.errors import DataLayerError, ScenarioStoreError

from . import state
from .common import fmt
from .errors import error_text
from .format import inert
from .i18n import t
from .versions import store_warning_text

FLASH = "scn.flash"
STALE = "scn.stale"  # a save refused because its version is no longer the latest
MAX_IMPORT_BYTES = 1_000_000
ss = st.session_state


# ----- reads --------------------------------------------------------------------------------------
def _stamp(path: str) -> tuple:
    """Changes whenever the store file does (any session or process writing it)."""
    out = []
    for name in (path, path + ".wal"):
        try:
            st_ = os.stat(name)
            out.append((st_.st_mtime_ns, st_.st_size))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


@st.cache_data(max_entries=256, show_spinner=False)
def _read(path: str, stamp: tuple, what: str, *args):
    """A read of the store, cached until its file changes."""
    return copy.deepcopy(getattr(state.scenario_store(), what)(*args))


def read(what: str, *args):
    """A read of the store: cached per file change for the embedded store; straight from the
    database for a shared PostgreSQL store, which other servers write without touching a file
    here (a read there takes milliseconds)."""
    store = state.scenario_store()
    if "://" in str(store.path):  # a postgresql:// store (its path is its URL)
        return copy.deepcopy(getattr(store, what)(*args))
    return _read(store.path, _stamp(store.path), what, *args)


def listing_or_stop() -> list[dict[str, Any]]:
    """The saved scenarios, with the store's recoveries from a damaged log said above them;
    when the store cannot be read, says why and stops the page."""
    try:
        listing = read("list")
    except DataLayerError as exc:
        st.error(t("scn.store_unavailable", reason=error_text(exc)))
        st.stop()
    for w in getattr(state.scenario_store(), "warnings", list)():  # none without a log
        st.warning(store_warning_text(w), icon=":material/healing:")
    return listing


def viewer_zone() -> str | None:
    """The viewer's time zone (the browser's), None when it is not known."""
    try:
        return st.context.timezone or None
    except RuntimeError:
        return None


# ----- messages for the next run -----------------------------------------------------------------
def flash(kind: str, key: str, **kw) -> None:
    """A message for the next run of the page (set by a callback)."""
    ss[FLASH] = (kind, key, kw)


def show_flash() -> None:
    """The message a callback left, in a container that is always there, so the elements
    below keep their place (and the open tab)."""
    message = ss.pop(FLASH, None)
    with st.container():
        if message is not None:
            kind, key, kw = message
            (st.success if kind == "success" else st.error)(t(key, **kw))


# ----- who is saving ------------------------------------------------------------------------------
def author() -> str:
    return (ss.get("scn.author") or "").strip()


def remember_author() -> None:
    ss["scn.author_value"] = ss.get("scn.author", "")


def author_input() -> None:
    """Your name, recorded with every save, archive and import (kept across page switches)."""
    if "scn.author" not in ss:
        ss["scn.author"] = ss.get("scn.author_value", "")
    st.text_input(
        t("scn.author"),
        key="scn.author",
        max_chars=80,
        on_change=remember_author,
        help=t("scn.author_help"),
    )


# ----- callbacks (run before the script, so the whole page sees their effect) ---------------------
def parent_of(name: str) -> int | None:
    """The version a save of ``name`` builds on: the one this session loaded or saved last;
    0 for a name someone else saved that this session never opened; None for a new name."""
    ref = state.active_ref()
    if ref is not None and ref[0] == name:
        return ref[1]
    return 0 if any(r["name"] == name for r in state.scenario_store().list()) else None


def draft_named(name: str) -> dict[str, Any]:
    """A copy of the scenario being edited, named ``name``."""
    data = copy.deepcopy(state.draft())
    data["name"] = name
    return data


def save_current(force: bool = False) -> None:
    """Save the current scenario as the next version of the name typed. When someone saved
    that name since this session opened it (or it is someone else's name), nothing is saved:
    ``STALE`` holds the clash and the page asks to compare, save anyway or open theirs."""
    name = (ss.get("scn.save.name") or "").strip()
    if not name:
        return flash("error", "scn.need_name")
    if not author():
        return flash("error", "scn.need_author")
    data = draft_named(name)
    ss.pop(STALE, None)
    try:
        parent = parent_of(name)
        version = state.scenario_store().save(
            name,
            data,
            author=author(),
            note=ss.get("scn.save.note") or "",
            parent=parent,
            force=force,
        )
    except ScenarioStoreError as exc:
        if exc.code == "scenario_stale_parent":
            ss[STALE] = {"name": name, "parent": parent, "head": int(exc.params["head"])}
            return None
        return flash("error", "scn.save_failed", reason=error_text(exc))
    except DataLayerError as exc:
        return flash("error", "scn.save_failed", reason=error_text(exc))
    state.activate(data, "saved", (name, version))
    ss["scn.save.note"] = ""
    ss["scn.hist.name"] = name
    flash("success", "scn.saved", name=inert(name), version=version)


def load_version(name: str | None = None, version: int | None = None) -> None:
    """Make a saved version the active scenario: the one picked in the history, or ``name``
    and ``version`` (the latest version of a save that clashed)."""
    if name is None:
        name = ss.get("scn.hist.name")
        version = ss.get(f"scn.hist.version.{name}")
    ss.pop(STALE, None)
    try:
        record = state.scenario_store().record(name, version)
    except DataLayerError as exc:
        return flash("error", "scn.load_failed", reason=error_text(exc))
    state.activate(record["scenario"], "saved", (record["name"], record["version"]))
    flash("success", "scn.loaded", name=inert(name), version=version)


def set_archived(archived: bool) -> None:
    """Archive (or restore) the scenario picked in the history."""
    name = ss.get("scn.hist.name")
    if not author():
        return flash("error", "scn.need_author")
    store = state.scenario_store()
    try:
        (store.archive if archived else store.restore)(name, author=author())
    except DataLayerError as exc:
        return flash("error", "scn.save_failed", reason=error_text(exc))
    flash("success", "scn.archived" if archived else "scn.restored", name=inert(name))


def import_file() -> None:
    """Import the uploaded JSON as a new version (of its own name, or the one typed) and make
    it the active scenario."""
    upload = ss.get("scn.import.file")
    if upload is None:
        return flash("error", "scn.import_none")
    if not author():
        return flash("error", "scn.need_author")
    raw = upload.getvalue()
    if len(raw) > MAX_IMPORT_BYTES:
        return flash("error", "scn.import_too_big", size=fmt().count(len(raw) / 1000))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return flash("error", "scn.import_invalid", reason=t("scn.not_utf8"))
    override = (ss.get("scn.import.name") or "").strip() or None
    store = state.scenario_store()
    try:
        name, version = store.import_json(text, author=author(), name=override)
        record = store.record(name, version)
    except DataLayerError as exc:
        return flash("error", "scn.import_invalid", reason=error_text(exc, where=False))
    state.activate(record["scenario"], "imported", (name, version))
    ss["scn.hist.name"] = name
    flash("success", "scn.imported", name=inert(name), version=version)
