"""The Data page's baseline: the scenario built from the window's data (:func:`db.baseline.
build_baseline`) with the horizon, the target's uplift and how open items are treated; what it
rests on per stage; the backtest of the window's months (the verdict, a chart per stage, the
errors); and making it the active scenario. The tables are built here with texts translated
(pure functions of the scenario's dict and the backtest's frame); the sections draw them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from db.backtest_errors import stage_errors
from db.baseline import backtest_verdict, build_baseline
from db.errors import DataLayerError

from . import charts_data as cd
from . import data_cache, state
from .common import Fmt
from .data_widgets import PCT, Column, number_table, stage_label
from .errors import (
    backtest_reason_text,
    baseline_warning_text,
    error_reason,
    error_record,
    error_text,
)
from .format import inert as md
from .i18n import t

BUILT = "data.built"  # the session's last build: the scenario, its window, data version, backtest


@dataclass(frozen=True)
class Settings:
    """How to build: months planned, the target's uplift in percent over the window's pace,
    each stage's stale limit in months the user set (the others automatic), and whether stale
    items count as lost."""

    horizon: int
    uplift: float
    stale_after: dict[str, int]
    stale_as_lost: bool


# ----- the settings and the build ---------------------------------------------------------------
def settings_form(con: Any, version: str, start: str, end: str) -> Settings:
    """The horizon and uplift, and in an expander a stale limit per stage (empty: the data's own,
    shown as the placeholder) and whether stale items are lost."""
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
    defaults = data_cache.stale_defaults(version, start, end, con)
    with st.expander(t("data.open_items"), expanded=False):
        scols = st.columns(max(3, len(defaults)), vertical_alignment="bottom")
        chosen: dict[str, int] = {}
        for i, (k, default_n) in enumerate(defaults.items()):
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
                chosen[k] = int(n)
        stale_as_lost = st.checkbox(
            t("data.stale_as_lost"), key="data.stale_as_lost", help=t("data.stale_as_lost_help")
        )
    return Settings(int(horizon), float(uplift), chosen, bool(stale_as_lost))


def stale_key(scenario: dict[str, Any], stale_as_lost: bool) -> tuple[tuple, bool]:
    """The stale limits the baseline used per stage (sorted, the stages without one left out)
    and whether stale items were lost: the backtest's cache key beside the window."""
    stages = scenario["notes"]["baseline"]["stages"]
    limits = {k: v["stale_after"] for k, v in stages.items() if v["stale_after"] is not None}
    return tuple(sorted(limits.items())), bool(stale_as_lost)


def build(
    con: Any,
    version: str,
    window: tuple[str, str],
    settings: Settings,
    dataset: str,
    origin: tuple[str, str],
) -> None:
    """Build the baseline and its backtest's verdict and keep them in the session; an error
    when it cannot be built."""
    start, end = window
    try:
        scenario = build_baseline(
            con,
            start,
            end,
            horizon=settings.horizon,
            target_uplift=settings.uplift / 100,
            name=t("data.baseline_name", start=start, end=end),
            stale_after=settings.stale_after or None,
            stale_as_lost=settings.stale_as_lost,
            with_backtest=False,
            currency=state.data_currency(),  # a scenario converted since: its data's currency
        )
        if not (scenario.get("target") or {}).get("total"):
            scenario.pop("target", None)
        scenario["notes"]["dataset"] = state.provenance(dataset)  # which data, as it was
        key = stale_key(scenario, settings.stale_as_lost)
        try:  # the backtest's verdict goes into the notes, as build_baseline puts it there
            bt_frame = data_cache.backtest_of(version, start, end, *key, con)
            scenario["notes"]["baseline"]["backtest"] = backtest_verdict(
                bt_frame, scenario["stages"][0]["key"]
            )
            bt_error = None
        except DataLayerError as exc:
            bt_error = error_record(exc)
        st.session_state[BUILT] = {
            "scenario": scenario,
            "start": start,
            "end": end,
            "version": version,
            "origin": list(origin),
            "stale": key,
            "backtest_error": bt_error,
        }
    except DataLayerError as exc:
        st.session_state.pop(BUILT, None)
        st.error(t("data.build_failed", reason=error_text(exc)))


def last_build(version: str) -> dict[str, Any] | None:
    """The session's last build, unless the data changed since (then it is forgotten)."""
    built = st.session_state.get(BUILT)
    if built is not None and (built["version"] != version or "stale" not in built):
        st.session_state.pop(BUILT, None)
        return None
    return built


# ----- what was built ---------------------------------------------------------------------------
def deal_size(sc: dict[str, Any]) -> float:
    size = sc["deal"]["size"]
    return size["base"] if isinstance(size, dict) else size


def params_columns(sc: dict[str, Any]) -> list[Column]:
    """Per stage with outcomes (the last one is terminal): the rates in percent and the lag."""
    steps = sc["stages"][:-1]
    conversion = [state.param_value(sc, ("stages", i, "conversion")) for i in range(len(steps))]
    return [
        (t("data.col.stage"), [stage_label(s["key"]) for s in steps], None),
        (t("param.conversion"), [c * 100 for c in conversion], PCT),
        (t("param.disqualify"), [s["disqualify"] * 100 for s in steps], PCT),
        (t("param.recycle"), [s["recycle"] * 100 for s in steps], PCT),
        (t("param.lag_months"), [s["lag"] for s in steps], "%.2f"),
    ]


def provenance_columns(sc: dict[str, Any]) -> list[Column]:
    """Per stage with outcomes, the items the baseline rests on: used, dated, undated, censored,
    stale (or stale counted lost), and the stale limit in months."""
    notes = sc["notes"]["baseline"]
    steps = sc["stages"][:-1]
    rests = [notes["stages"][s["key"]] for s in steps]
    return [
        (t("data.col.stage"), [stage_label(s["key"]) for s in steps], None),
        (t("data.col.used"), [float(r["used"]) for r in rests], "localized"),
        (t("data.col.dated"), [float(r["resolved"]) for r in rests], "localized"),
        (t("data.col.undated"), [float(r["undated"]) for r in rests], "localized"),
        (t("data.col.censored"), [float(r["censored"]) for r in rests], "localized"),
        (t("data.col.stale_lost" if notes["stale_as_lost"] else "data.col.stale"),
         [float(r["stale"]) for r in rests], "localized"),
        (t("data.col.stale_after"), [r["stale_after"] for r in rests], "%d"),
    ]  # fmt: skip


def provenance_caption(sc: dict[str, Any], F: Fmt) -> str:
    """Where the data ends, how stale items were treated, and the items left out."""
    notes = sc["notes"]["baseline"]
    end_text = F.month(notes["data_end"][:7]) if notes.get("data_end") else "—"
    stale_text = t("data.stale_counted_lost" if notes["stale_as_lost"] else "data.stale_set_aside")
    caption = t("data.provenance_caption", end=end_text, stale=stale_text)
    left_out = sum(notes["stages"][s["key"]]["left_out"] for s in sc["stages"][:-1])
    if left_out:
        caption += " " + t("data.left_out", n=F.count(left_out))
    return caption


def built_summary(sc: dict[str, Any], F: Fmt) -> None:
    """The scenario's name and start, four tiles (inflow, deal size, opening pool, target), the
    parameters, what they rest on, and the build's warnings."""
    st.markdown(t("data.built", name=md(sc["name"]), start=F.month(sc["start"]),
                  months=sc["months"]))  # fmt: skip
    k1, k2, k3, k4 = st.columns(4)
    k1.metric(t("data.inflow", stage=stage_label(sc["stages"][0]["key"])), F.count(sc["inflow"]))
    k2.metric(t("param.size"), F.money(deal_size(sc)))
    k3.metric(t("data.opening_pool"), F.count(sc["recycle"]["opening"]))
    tgt = sc.get("target")
    k4.metric(t("data.target"), F.money(tgt["total"]) if tgt else "—")
    if not deal_size(sc):
        st.warning(t("data.no_amounts"))
    number_table("data.params_table", params_columns(sc))
    st.markdown(t("data.rests_on"))
    number_table("data.provenance_table", provenance_columns(sc))
    st.caption(provenance_caption(sc, F))
    for w in sc["notes"]["baseline"]["warnings"]:
        st.warning(baseline_warning_text(w), icon=":material/info:")


# ----- the backtest -----------------------------------------------------------------------------
def reasons_text(verdict: dict[str, Any]) -> str:
    """Why the backtest is not trusted: a markdown list of every stage's reasons."""
    lines = [backtest_reason_text(k, r) for k, v in verdict["stages"].items()
             for r in v["reasons"]]  # fmt: skip
    return t("data.bt.not_trusted") + "\n\n" + "\n".join(f"- {x}" for x in lines)


def stage_chart_frame(part: pd.DataFrame, F: Fmt) -> pd.DataFrame:
    """One stage's actual and planned arrivals month by month for
    :func:`ui.charts_data.actual_vs_planned_stage`."""
    names = {"actual": t("data.actual"), "planned": t("data.planned")}
    return pd.DataFrame(
        [{"month": F.month_short(mo), "series": names[col], "value": float(v),
          "value_text": F.count(v, digits=1)}
         for col in ("actual", "planned")
         for mo, v in zip(part["month"], part[col], strict=True)]
    )  # fmt: skip


def backtest_columns(bt: pd.DataFrame, verdict: dict[str, Any], F: Fmt) -> list[Column]:
    """Per stage: the verdict, the total and worst month's errors in percent, the actual and
    planned arrivals, and the WAPE (:func:`db.backtest_errors.stage_errors`)."""
    err = stage_errors(bt)
    vs = [verdict["stages"][k] for k in err.index]
    return [
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
    ]  # fmt: skip


def backtest_section(built: dict[str, Any], con: Any, version: str, F: Fmt) -> None:
    """The verdict (trusted, or why not), a chart per stage two a row, and the error table; a
    warning when the backtest could not be run."""
    st.subheader(t("data.backtest"))
    if built["backtest_error"] is not None:
        st.warning(t("data.build_failed", reason=error_reason(built["backtest_error"])))
        return
    bt = data_cache.backtest_of(version, built["start"], built["end"], *built["stale"], con)
    verdict = built["scenario"]["notes"]["baseline"]["backtest"]
    if verdict["verdict"] == "trusted":
        st.success(t("data.bt.trusted"), icon=":material/verified:")
    else:
        st.warning(reasons_text(verdict), icon=":material/warning:")
    cols = st.columns(2)
    for i, s in enumerate(dict.fromkeys(bt["stage"])):
        cols[i % 2].altair_chart(
            cd.actual_vs_planned_stage(
                stage_chart_frame(bt[bt["stage"] == s], F), t("plan.arrivals_axis"), stage_label(s)
            ),
            width="stretch",
            height=cd.BACKTEST_HEIGHT,
        )
    number_table("data.backtest_table", backtest_columns(bt, verdict, F))
    st.caption(t("data.backtest_caption"))


def use_or_active(built: dict[str, Any]) -> None:
    """Whether the built scenario is the active one (with a link to the overview), or the
    button that makes it so."""
    sc = built["scenario"]
    if state.canonical(state.baseline()) == state.canonical(sc):
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
