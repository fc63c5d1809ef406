"""A division's team month by month on the Capacity page (issue 10; spec section 8's ``heads``).

A team's ``heads`` is either one number, the heads today (leavers are replaced by hiring at the
attrition rate), or a list of H numbers, the team planned month by month without new hires. The
page offers the choice (:func:`kind_input`), the number or a table of the months
(the page's input, :func:`months_table`), and a sheet of heads by division and month that fills
the lists of the divisions it names (:func:`sheet_input`, ``db.heads``: all or nothing).

The table is an ``st.data_editor`` whose pending edits are the scenario's: :func:`apply_edits`
copies them into the scenario before the page draws anything, so every figure on the page follows
an edit in the same run. Its key carries a generation, renewed whenever the list changes other
than through the table (a sheet, a switch of kind, a reset or another scenario), so that the
table never lays old edits over a new list.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from db.errors import ImportDataError
from model import ScenarioError, month_labels
from ui import state
from ui.common import division_name, fmt
from ui.errors import error_reason, error_record
from ui.format import inert
from ui.i18n import CATALOGS, t, translate
from ui.present import presenting

KINDS = ("number", "list")
SHEET = "cap.heads_file"  # the uploader's key
SHEET_OUTCOME = "cap.heads_file.outcome"  # ("ok", {file, divisions}) or ("error", a record)
SHEET_TYPES = ["csv", "txt", "tsv", "xlsx"]
SHEET_MB = 5


def heads_kind(team: dict[str, Any]) -> str:
    """``list`` for a team planned month by month, else ``number``."""
    return "list" if isinstance(team.get("heads"), list) else "number"


def set_heads_kind(data: dict[str, Any], division: str, kind: str, months: int) -> None:
    """Switch a team between heads today and month by month: today's heads become every month's
    (the same team, kept as it is), and a month-by-month team's first month becomes today's."""
    team = data["capacity"][division]
    heads = team.get("heads", 0.0)
    if kind == "list" and not isinstance(heads, list):
        team["heads"] = [float(heads)] * int(months)
    elif kind == "number" and isinstance(heads, list):
        team["heads"] = float(heads[0]) if heads and _number(heads[0]) else 0.0


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def month_names(data: dict[str, Any]) -> list[str]:
    """The plan's months as the app shows them (Apr 2026, 2026年4月); none for a scenario whose
    start or horizon is not valid (its error is shown)."""
    try:
        labels = month_labels(str(data.get("start")), int(data.get("months") or 0))
    except (ScenarioError, TypeError, ValueError):
        return []
    F = fmt()
    return [F.month(m) for m in labels]


# ----- the table and its edits ------------------------------------------------------------------
def _gen_key(division: str) -> str:
    return f"cap.{division}.heads_gen"


def _applied_key(division: str) -> str:
    return f"cap.{division}.heads_applied"  # the list as the table's edits left it


def table_key(division: str) -> str:
    """The key of ``division``'s month-by-month table (its generation included)."""
    return f"cap.{division}.heads_table.{st.session_state.get(_gen_key(division), 0)}"


def _restart(division: str, heads: list[float]) -> None:
    """A new table for a list that changed other than through it (no old edits laid over it)."""
    ss = st.session_state
    ss[_gen_key(division)] = ss.get(_gen_key(division), 0) + 1
    ss[_applied_key(division)] = list(heads)


def _edited(base: list[float], edits: Any) -> tuple[list[float], bool]:
    """``base`` with a table's edited cells (their values are the months' new heads, so applying
    them again changes nothing); whether an edit was refused (empty, negative, not a finite
    number: the month keeps its value)."""
    out = list(base)
    refused = False
    rows = (edits or {}).get("edited_rows") or {}
    for i, change in rows.items():
        value = (change or {}).get("heads")
        try:
            x = float(value)
        except (TypeError, ValueError):
            x = math.nan
        if 0 <= int(i) < len(out) and math.isfinite(x) and x >= 0:
            out[int(i)] = x
        else:
            refused = True
    return out, refused


def apply_edits(data: dict[str, Any]) -> None:
    """Before the page draws: each month-by-month table's pending edits into the scenario."""
    ss = st.session_state
    for division, team in (data.get("capacity") or {}).items():
        heads = team.get("heads") if isinstance(team, dict) else None
        if not isinstance(heads, list):
            continue
        kept = ss.get(_applied_key(division))
        if kept is None or list(kept) != heads:  # new, or changed elsewhere
            _restart(division, heads)
            continue
        # the pending edits over the list as it is: the browser may keep them after they are
        # applied (and the table is drawn from the new list) or clear them
        new, refused = _edited(heads, ss.get(table_key(division)))
        if new != heads:
            team["heads"] = new
            ss[_applied_key(division)] = new
        if refused:
            _restart(division, team["heads"])


def kind_input(data: dict[str, Any], division: str, months: int) -> str:
    """Heads today or a month-by-month team; returns the kind."""
    team = data["capacity"][division]
    labels = {k: t(f"capacity.heads_kind.{k}") for k in KINDS}
    st.radio(
        t("capacity.heads_kind"),
        KINDS,
        format_func=labels.get,
        horizontal=True,
        help=t("capacity.heads_kind_help"),
        **state.bind_custom(
            f"cap.{division}.heads_kind",
            heads_kind(team),
            lambda v: set_heads_kind(data, division, v, months),
        ),
    )
    return heads_kind(team)


def months_table(data: dict[str, Any], division: str, labels: list[str]) -> None:
    """The team month by month: one row per month of the plan (``labels``: as the app shows
    months), its heads editable. Nothing for a list that does not fit the plan (its length, or
    a value that is not a number): the page says why, and heads today replace it."""
    heads = data["capacity"][division]["heads"]
    if len(heads) != len(labels) or not all(_number(x) for x in heads):
        return
    ss = st.session_state
    if ss.get(_applied_key(division)) is None:
        _restart(division, heads)
    ss.setdefault(_gen_key(division), 0)
    frame = pd.DataFrame({"month": labels, "heads": [float(x) for x in heads]})
    st.data_editor(
        frame,
        key=table_key(division),
        hide_index=True,
        height="content",  # every month in sight (at ten rows the plan's last months scrolled)
        num_rows="fixed",
        disabled=["month"],
        column_config={
            "month": st.column_config.TextColumn(t("capacity.heads_table.month")),
            "heads": st.column_config.NumberColumn(
                t("capacity.heads_table.heads"), min_value=0.0, step=0.1, format="%.1f"
            ),
        },
    )
    st.caption(t("capacity.heads_table_caption"))


# ----- a sheet of heads by division and month ----------------------------------------------------
def _names(divisions: list[str]) -> dict[str, list[str]]:
    """Each division and the names it may be written as: the app's, in every language."""
    return {d: [translate(f"division.{d}", lang) for lang in CATALOGS] for d in divisions}


def _read_sheet(data: dict[str, Any]) -> None:
    """The uploader's callback: the sheet's lists into the scenario, or (nothing changed) why
    not."""
    from db.heads import read_heads

    ss = st.session_state
    upload = ss.get(SHEET)
    if upload is None:
        ss.pop(SHEET_OUTCOME, None)
        return
    teams = data.get("capacity") or {}
    try:
        lists = read_heads(
            upload.getvalue(),
            upload.name,
            str(data.get("start")),
            int(data.get("months") or 0),
            _names(list(teams)),
        )
    except (ImportDataError, ScenarioError) as exc:
        ss[SHEET_OUTCOME] = ("error", error_record(exc))
        return
    for division, heads in lists.items():
        teams[division]["heads"] = heads
    ss[SHEET_OUTCOME] = ("ok", {"file": upload.name, "divisions": list(lists)})


def sheet_input(data: dict[str, Any]) -> None:
    """The uploader of a sheet of heads by division and month, and what became of the last."""
    if presenting() or not data.get("capacity"):
        return
    st.subheader(t("capacity.heads_file_title"))
    st.caption(t("capacity.heads_file_caption"))
    st.file_uploader(
        t("capacity.heads_file"),
        type=SHEET_TYPES,
        key=SHEET,
        on_change=_read_sheet,
        args=(data,),
        help=t("capacity.heads_file_help"),
        max_upload_size=SHEET_MB,
    )
    outcome = st.session_state.get(SHEET_OUTCOME)
    if outcome is None:
        return
    kind, detail = outcome
    if kind == "ok":
        names = t("err.list_sep").join(division_name(d) for d in detail["divisions"])
        st.success(t("capacity.heads_file_done", divisions=names, file=inert(detail["file"])))
    else:
        st.error(sheet_error_text(detail), icon=":material/error:")


def sheet_error_text(err: dict[str, Any]) -> str:
    """A sheet's error (a record of ``ui.errors.error_record``) in the session's language:
    where, why (divisions and months by name), the value, and that nothing changed."""
    F = fmt()
    params = dict(err["params"])
    for key in ("month", "first", "last"):
        if isinstance(params.get(key), str):
            params[key] = F.month(params[key])
    if "division" in params:
        params["division"] = division_name(params["division"])
    if "choices" in params:
        params["choices"] = [division_name(d) for d in params["choices"]]
    where = [t("data.err.file", file=inert(err["file"]))] if err.get("file") else []
    if err.get("row") is not None:
        where.append(t("data.err.row", row=err["row"]))
    if err.get("column") is not None:
        where.append(t("data.err.column", column=inert(err["column"])))
    text = " · ".join(where)
    text += ("\n\n" if text else "") + t(
        "data.err.reason", reason=error_reason({**err, "params": params})
    )
    if err.get("value") is not None:
        text += "\n\n" + t("data.err.value", value=inert(err["value"]))
    return text + "\n\n" + t("capacity.heads_file_unchanged")
