"""What the Data page's sections draw the same way: a selectbox whose translated choice survives
a change of language, a table of numbers in their formats, an import error that says where and
why, and the names of stages and months as the page writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from .common import Fmt
from .errors import error_reason
from .format import inert as md
from .i18n import has, lang, t

PCT = "%.1f%%"  # the NumberColumn format of shares, which tables show ×100
Column = tuple[str, Any, str | None]  # (label, values, NumberColumn format or None)


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
    """A stage key in the session's language (``lead_to_deal`` reads "Lead to deal" when the
    catalog has no name for it)."""
    return t(f"stage.{key}") if has(f"stage.{key}") else key.replace("_", " ").capitalize()


def month_label(m: dt.date) -> str:
    """A month as ``YYYY-MM``."""
    return f"{m:%Y-%m}"


def error_message(err: dict[str, Any], F: Fmt) -> str:
    """An import error (a record of ``ui.errors.error_record``, kept in the session and shown in
    the language of the moment) as markdown: which file, row and column, why, the value, how many
    more, and that the database is unchanged."""
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
    return text + "\n\n" + t("data.err.unchanged")


def show_error(err: dict[str, Any], F: Fmt) -> None:
    """:func:`error_message` in an error box."""
    st.error(error_message(err, F), icon=":material/error:")


def number_table(key: str, columns: list[Column]) -> pd.DataFrame:
    """A table from ``(label, values, format)`` columns, each number column shown in its
    ``NumberColumn`` format (``localized``, ``%.2f``, ``PCT``; None: as it is), without the
    index and with "—" for empty cells. Returns the frame shown."""
    frame = pd.DataFrame({label: values for label, values, _ in columns})
    config = {label: st.column_config.NumberColumn(format=f) for label, _, f in columns if f}
    st.dataframe(frame, hide_index=True, placeholder="—", width="stretch", key=key,
                 column_config=config)  # fmt: skip
    return frame
