"""Presentation mode: the same pages for a room, not for editing. A sidebar toggle (or a link
with ``?present=1``) hides every editing widget, shows a division's ranges as figures,
enlarges the headline numbers for a projector and steps through the meeting's pages
(Overview → Divisions → Capacity → Plan vs actual) with buttons at the top."""

from __future__ import annotations

import streamlit as st

from .i18n import t

PRESENT = "present"  # the session's switch (a widget key)
STEPS = ("pages/overview.py", "pages/divisions.py", "pages/capacity.py", "pages/actuals.py")
CSS = (  # larger from 1280 px up: at a projector's 1024 px the tiles are full already
    "<style>@media (min-width: 1280px) {"
    "[data-testid='stMetricValue'] { font-size: 2.9rem !important; line-height: 1.15; }"
    "[data-testid='stMetricLabel'] p { font-size: 1.05rem !important; }"
    "[data-testid='stMainBlockContainer'] h1 { font-size: 2.9rem !important; }"
    "}</style>"
)


def presenting() -> bool:
    """True while the session presents (nothing on the page edits the scenario)."""
    return bool(st.session_state.get(PRESENT))


def from_link(value: str | None) -> bool | None:
    """``?present=1`` (or 0) of a shared link; None when the link says nothing valid."""
    return {"1": True, "0": False}.get(str(value)) if value is not None else None


def stepper(current: str, pages: dict[str, object]) -> None:
    """Previous / next among the meeting's pages, and where this one is (only while presenting
    and on one of them). ``pages``: a page file -> its st.Page."""
    if not presenting() or current not in STEPS:
        return
    i = STEPS.index(current)
    c1, c2, c3 = st.columns([1, 2, 1], vertical_alignment="center")
    if i > 0 and STEPS[i - 1] in pages:
        c1.button(t("present.prev"), key="present.prev", icon=":material/arrow_back:",
                  on_click=_go, args=(pages[STEPS[i - 1]],), width="stretch")  # fmt: skip
    c2.caption(t("present.where", n=i + 1, of=len(STEPS)))
    if i + 1 < len(STEPS) and STEPS[i + 1] in pages:
        c3.button(t("present.next"), key="present.next", icon=":material/arrow_forward:",
                  on_click=_go, args=(pages[STEPS[i + 1]],), width="stretch")  # fmt: skip


def _go(page: object) -> None:
    st.session_state["_present_go"] = page


def follow() -> None:
    """Switch to the page a step button chose (a callback cannot switch pages itself)."""
    page = st.session_state.pop("_present_go", None)
    if page is not None:
        st.switch_page(page)
