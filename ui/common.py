"""Helpers every page uses: the formatter for the session's language and currency, translated
stage, division and parameter names, the error framing of an invalid scenario, and the widgets
and metrics drawn the same way wherever they appear (a rate slider, a metric against the
baseline)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from model import Scenario

from . import format as fm
from . import state
from .i18n import has, lang, t, translate


@dataclass(frozen=True)
class Fmt:
    """Formatting bound to one language and currency."""

    lang: str
    currency: str

    def money(self, x: float | None, signed: bool = False) -> str:
        return fm.money(x, self.lang, self.currency, signed)

    def count(self, x: float | None, signed: bool = False, digits: int = 0) -> str:
        return fm.count(x, self.lang, signed, digits)

    def pct(self, x: float | None, digits: int = 1, signed: bool = False) -> str:
        return fm.percent(x, self.lang, digits, signed)

    def points(self, x: float) -> str:
        return fm.points(x, self.lang)

    def months(self, x: float) -> str:
        return fm.months(x, self.lang)

    def month(self, label: str) -> str:
        return fm.month(label, self.lang)

    def month_short(self, label: str) -> str:
        return fm.month_short(label, self.lang)

    def money_axis(self) -> str:
        return fm.money_axis_expr(self.lang, self.currency)

    def metric_value(self, metric: str, x: float | None, signed: bool = False) -> str:
        """A target metric's value: money for bookings and revenue, a count for wins."""
        if metric == "wins":
            return self.count(x, signed, digits=1)
        return self.money(x, signed)


def fmt() -> Fmt:
    return Fmt(lang(), state.draft().get("currency", "JPY"))


def stage_name(scenario: Scenario, key: str) -> str:
    """The stage's name in the session's language (catalog by key, else the scenario's label)."""
    if has(f"stage.{key}"):
        return t(f"stage.{key}")
    return scenario.stage(key).display_label


def stage_label(stage: dict) -> str:
    """A stage of the scenario's JSON dict, named in the session's language."""
    key = stage.get("key", "")
    return t(f"stage.{key}") if has(f"stage.{key}") else (stage.get("label") or key)


def division_name(division: str) -> str:
    return t(f"division.{division}")


def param_name(scenario: Scenario, name: str, stage: str | None) -> str:
    """``Opportunities · conversion`` for a stage parameter, ``Deal size`` for the others."""
    what = t(f"param.{name}")
    return f"{stage_name(scenario, stage)} · {what}" if stage else what


def require_plan() -> state.Current:
    """The current plan, or an error message on the page and a stop (never a traceback)."""
    cur = state.current()
    if not cur.ok:
        assert cur.error is not None
        st.error(t("error.invalid", field=cur.error.field, reason=cur.error.reason))
        st.caption(t("error.hint"))
        st.stop()
    return cur


def vs_baseline(value: float, baseline: float | None, F: Fmt) -> str | None:
    """A count's change against the baseline plan as a metric's delta (``+12 vs baseline``);
    None without a baseline, or when the change rounds to nothing."""
    if baseline is None:
        return None
    change = F.count(value - baseline, signed=True)
    return t("overview.vs_baseline", value=change) if change != "0" else None


def metric_vs_baseline(
    label: str, value: float, baseline: float | None, F: Fmt, help: str | None = None
) -> None:
    """A count as a metric, its change against the baseline plan as the delta (an increase in
    red: more required is worse)."""
    st.metric(
        label,
        F.count(value),
        delta=vs_baseline(value, baseline, F),
        delta_color="inverse",
        help=help,
    )


def rate_slider(param: str, key: str, path: state.Path_, default: float = 0.0) -> None:
    """A rate of the scenario at ``path`` as a slider in percent (0–100, half-point steps),
    labelled and explained by the catalog's ``param.<param>`` and ``param.<param>_help``."""
    st.slider(
        t(f"param.{param}"),
        min_value=0.0,
        max_value=100.0,
        step=0.5,
        format="%.1f%%",
        help=t(f"param.{param}_help"),
        **state.bind(key, path, scale=100, default=default),
    )


def warning_text(w: str, F: Fmt) -> str:
    """A plan warning in ``F``'s language: by its code (model.errors.PlanWarning) with its
    numbers formatted, else the model's English sentence."""
    code = getattr(w, "code", None)
    if code is None or not has(f"warning.{code}"):
        return translate("plan.model_warning", F.lang, text=w)
    p = w.params  # type: ignore[attr-defined]
    values: dict[str, str] = {}
    if "label" in p:
        values["month"] = fm.month(p["label"], F.lang)
    if code == "lead_time_short":
        values["short"] = F.count(p["short"], digits=1)
    elif code == "already_met":
        amount = F.count if p["metric"] == "wins" else F.money
        values |= {"reached": amount(p["reached"]), "target": amount(p["target"])}
    else:  # monthly_overshoot, monthly_overshoot_recycling
        ratio = p["won"] / p["wanted"] if p["wanted"] > 0 else float("inf")
        values |= {
            "won": F.count(p["won"]),
            "wanted": F.count(p["wanted"]),
            "ratio": translate("warning.ratio", F.lang, ratio=f"{ratio:.1f}"),
            "share": F.pct(p["share"]),
            "lead": F.months(p["lead"]),
        }
    return translate(f"warning.{code}", F.lang, **values)


def show_warnings(warnings: tuple[str, ...]) -> None:
    F = fmt()
    for w in warnings:
        st.warning(warning_text(w, F))


FRAME_FLAG = "_app_frame"  # set by app.py: the page runs inside the navigation frame
DEEP_LINK = "_deep_link"


def require_frame(page_file: str) -> None:
    """Route a page through app.py when Streamlit ran it on its own.

    Until some session has called ``st.navigation``, Streamlit still treats a ``pages/``
    folder the legacy way: on a freshly started server whose very first request is a deep link
    (``/divisions``, as in a shared link), it runs ``pages/divisions.py`` without app.py, so
    there is no sidebar and no session state. The page then remembers where it was asked to go
    and switches to app.py, which registers the navigation and comes back here.
    """
    if st.session_state.get(FRAME_FLAG):
        return
    from pathlib import Path

    st.session_state[DEEP_LINK] = f"pages/{Path(page_file).name}"
    st.switch_page("app.py")
