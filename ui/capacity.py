"""Capacity, hiring and cost (spec section 8) for the pages: the session's section 8 (cached),
each division's team in a few figures, the edits of the team and the costs, the tiles the
Overview and Divisions pages show, the chart builders (pure: a DataFrame in, an Altair chart
out, in ui/charts.py's style), and the teams in the Monte Carlo and the tornado (issue 10)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from model import Scenario, base
from model.capacity import CUSTOMER_SUCCESS, CapacityPlan, capacity_plan, team_capacity
from model.scenario import CUSTOMERS_WORK, DIVISIONS
from model.uncertainty import MonteCarlo, Sensitivity

from . import state
from .charts import COUNT_AXIS_EXPR, HEIGHT, HIGHLIGHT, MUTED, PALETTE, tornado_frame
from .format import whole
from .i18n import t

# what a new team works by default: the first stage its division owns, else the customers
NEW_TEAM = {"per_head": 100.0, "heads": 0.0}
SERIES = ("required", "effective", "heads", "team")


# ----- the model's section 8, cached -------------------------------------------------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _capacity(text: str) -> CapacityPlan | None:
    cur = state.plan_of(json.loads(text))
    if cur.plan is None or not has_capacity(cur.scenario):
        return None
    return capacity_plan(cur.plan)


def has_capacity(scenario: Scenario | None) -> bool:
    """Whether the scenario has section 8's ``capacity`` or ``costs``."""
    return scenario is not None and (scenario.capacity is not None or scenario.costs is not None)


def capacity_of(cur: state.Current) -> CapacityPlan | None:
    """Section 8 of the session's plan (None without ``capacity`` or ``costs``, or no plan)."""
    return _capacity(cur.text) if cur.ok else None


# ----- a division's team in figures --------------------------------------------------------------
@dataclass(frozen=True)
class Team:
    """One division's team against the plan (heads are fractional, as in the model)."""

    division: str
    today: float  # heads at the start of the plan
    needed_peak: float  # the most heads the plan's workload needs in a month
    needed_peak_month: int
    hires: float  # joiners over the plan
    open_now: float  # requisitions to open in the plan's first month
    joins_in: int  # the first month a requisition opened now fills (hiring_months)
    productive_in: int  # the month its joiners are fully productive (hiring + ramp)
    short: float  # the most heads short in a month (joiners that come too late)
    short_until: int | None  # the last month with a shortfall
    cost: float  # the team's cost over the plan
    over_team: bool  # the plan's workload exceeds what today's team carries in some month
    first_over: int | None  # the first such month
    team_heads: np.ndarray  # C(t): today's team kept as it is (leavers replaced, no growth)
    team_capacity: np.ndarray  # C(t)·per_head: the workload today's team carries each month


def divisions(scenario: Scenario) -> list[tuple[str, Any]]:
    """The divisions with capacity and their teams, in the order of the funnel (marketing,
    inside sales, field sales, customer success) whatever the order of the JSON."""
    return sorted(scenario.capacity or (), key=lambda dc: DIVISIONS.index(dc[0]))


def heads_text(F, x: float) -> str:
    """Heads, whole (people are not fractional: 84.3 heads of work read "84.3")."""
    return F.count(x)


def people_to_cover(x: float) -> float:
    """The whole people a fractional need takes (1.1 heads short: 2 people; 1.7 to open: 2)."""
    return float(math.ceil(x - 1e-9))


def teams(scenario: Scenario, cp: CapacityPlan) -> list[Team]:
    """Each division with capacity, in the funnel's order, as :class:`Team`."""
    out = []
    H = scenario.months
    for d, c in divisions(scenario):
        s = cp.staffing[d]

        def row(name: str, s=s) -> np.ndarray:
            return getattr(s, name)[0]

        team = team_capacity(c.heads, H)
        limit = team * float(base(c.per_head))
        over = np.nonzero(row("workload") > limit * (1 + 1e-9))[0]
        short = np.nonzero(row("shortfall") > 1e-9)[0]
        today = c.heads[0] if isinstance(c.heads, tuple) else c.heads
        out.append(
            Team(
                division=d,
                today=float(today),
                needed_peak=float(row("required").max()),
                needed_peak_month=int(row("required").argmax()),
                hires=float(row("joiners").sum()),
                open_now=float(row("requisitions")[0]),
                joins_in=c.hiring_months,
                productive_in=c.hiring_months + c.ramp_months,
                short=float(row("shortfall").max()),
                short_until=int(short[-1]) if len(short) else None,
                cost=float(row("cost").sum()),
                over_team=bool(len(over)),
                first_over=int(over[0]) if len(over) else None,
                team_heads=team,
                team_capacity=limit,
            )
        )
    return out


def other_acquisition_cost(scenario: Scenario, cp: CapacityPlan) -> np.ndarray:
    """The acquisition cost by month besides the teams' (spend per arrival and fixed spend)."""
    teams_cost = sum(
        (cp.staffing[d].cost[0] for d, _ in scenario.capacity or () if d != CUSTOMER_SUCCESS),
        np.zeros_like(cp.acquisition_cost),
    )
    return np.clip(cp.acquisition_cost - teams_cost, 0.0, None)


def utilisation_rows(cp: CapacityPlan, teams_: list[Team], today: bool) -> list[list[float]]:
    """Utilisation by division and month: the plan's (with its hires, spec section 8), or
    today's team's without hires (workload ÷ C(t)·per_head; NaN where that is 0)."""
    rows = []
    for tm in teams_:
        s = cp.staffing[tm.division]
        if today:
            load, cap_ = s.workload[0], tm.team_capacity
            with np.errstate(divide="ignore", invalid="ignore"):
                rows.append(
                    np.where(cap_ > 0, load / np.where(cap_ > 0, cap_, 1.0), np.nan).tolist()
                )
        else:
            rows.append(s.utilisation[0].tolist())
    return rows


def over_ceiling(plan_bookings: float, cp: CapacityPlan) -> bool:
    """Whether the plan books more than the most today's team can carry (the ceiling)."""
    c = cp.ceiling
    return c is not None and c.bookings is not None and plan_bookings > c.bookings * (1 + 1e-9)


# ----- edits (widget callbacks) ------------------------------------------------------------------
def default_works(scenario: Scenario, division: str) -> str:
    """What a new team of ``division`` works: the stage whose items become the first stage it
    owns (a division that owns "won deals" works the opportunities; one that owns the first
    stage works that stage), else the customers."""
    keys = scenario.stage_keys
    for i, st_ in enumerate(scenario.stages):
        if st_.owner == division:
            return keys[max(0, i - 1)]
    return CUSTOMERS_WORK


def add_team(data: dict[str, Any], scenario: Scenario, division: str) -> None:
    """Give ``division`` a team (no heads yet) working its first stage."""
    if division not in DIVISIONS:
        return
    team = {"works": default_works(scenario, division), **NEW_TEAM}
    data.setdefault("capacity", {})
    if data["capacity"] is None:
        data["capacity"] = {}
    data["capacity"][division] = team


def remove_team(data: dict[str, Any], division: str) -> None:
    """Take ``division``'s team out of the scenario (the key goes when no team is left)."""
    caps = data.get("capacity") or {}
    caps.pop(division, None)
    if not caps:
        data.pop("capacity", None)


def set_team_field(data: dict[str, Any], division: str, field: str, value: Any) -> None:
    """A team's ``works`` or ``basis`` (text), or a whole number of months."""
    if value is None:
        return
    team = data["capacity"][division]
    if field in ("ramp_months", "hiring_months"):
        team[field] = int(value)
    else:
        team[field] = value
        if field == "works" and value == CUSTOMERS_WORK:
            team.pop("basis", None)


# ----- tables ------------------------------------------------------------------------------------
def monthly_table(cp: CapacityPlan, division: str, months: list[str], F, labels) -> pd.DataFrame:
    """One division's month-by-month staffing as text: rows ``labels`` keys (the fields of
    section 8's output), columns the months."""
    s = cp.staffing[division]
    rows = {}
    for field, label in labels.items():
        values = getattr(s, field)[0]
        if field == "utilisation":
            rows[label] = [F.pct(v, digits=0) if np.isfinite(v) else "—" for v in values]
        elif field == "cost":
            rows[label] = [F.money(v) for v in values]
        else:
            rows[label] = [F.count(v) for v in values]
    return pd.DataFrame(rows, index=months).T


def hiring_table(
    scenario: Scenario, cp: CapacityPlan, months: list[str], F, names, what
) -> pd.DataFrame:
    """The hiring plan: per division, the requisitions to open and the joiners by month ("" for
    none); ``names``: division -> name, ``what``: ``requisitions``/``joiners`` -> label."""
    rows = {}
    for d, _ in divisions(scenario):
        for field in ("requisitions", "joiners"):
            values = getattr(cp.staffing[d], field)[0]
            whole = F.counts(values)  # whole people that add up over the months
            rows[f"{names[d]} · {what[field]}"] = [w if w != "0" else "" for w in whole]
    return pd.DataFrame(rows, index=months).T


# ----- tiles of the other pages ------------------------------------------------------------------
def overview_tiles(cur: state.Current, F) -> None:
    """The Overview's row: the heads to hire over the plan (against the ceiling), CAC and
    payback. Nothing without section 8."""
    cp = capacity_of(cur)
    if cp is None:
        return
    hires = sum(tm.hires for tm in teams(cur.scenario, cp))
    over = over_ceiling(cur.plan.totals["bookings"], cp)
    c1, c2, c3 = st.columns(3)
    if cur.scenario.capacity:
        c1.metric(
            t("capacity.tile_hires"),
            F.count(hires),
            delta=t("capacity.over_ceiling_short" if over else "capacity.within_ceiling_short"),
            delta_color="inverse" if over else "off",
            delta_arrow="up" if over else "off",
            help=t("capacity.tile_hires_help"),
        )
    economics_tiles(cp, F, c2, c3)


def economics_tiles(cp: CapacityPlan, F, cac_col, payback_col) -> None:
    """CAC and its payback in months, in two columns."""
    cac_col.metric(t("capacity.cac"), F.money(cp.cac), help=t("capacity.cac_help"))
    payback_col.metric(
        t("capacity.payback"),
        F.months(cp.payback_months) if cp.payback_months is not None else "—",
        help=t("capacity.payback_help"),
    )


def needed_tile(tm: Team, F) -> None:
    """Heads needed at peak, against today's team ("over the team" in red when the plan's
    workload exceeds what it carries in some month)."""
    st.metric(
        t("capacity.tile_needed"),
        heads_text(F, people_to_cover(tm.needed_peak)),
        delta=t(
            "capacity.tile_needed_over" if tm.over_team else "capacity.tile_needed_ok",
            today=heads_text(F, tm.today),
        ),
        delta_color="inverse" if tm.over_team else "off",
        delta_arrow="up" if tm.over_team else "off",
        help=t("capacity.tile_needed_help"),
    )


def division_tile(cur: state.Current, division: str, F) -> None:
    """The Divisions page's figure for one division: heads needed at peak against today's team,
    and whether the plan asks more of it than it carries. Nothing without a team."""
    cp = capacity_of(cur)
    if cp is None or division not in cp.staffing:
        return
    tm = next(x for x in teams(cur.scenario, cp) if x.division == division)
    binding = cp.ceiling is not None and cp.ceiling.division == division
    needed_tile(tm, F)
    if binding:
        st.caption(t("capacity.binds_here"))


# ----- charts ------------------------------------------------------------------------------------
def heads_chart(df: pd.DataFrame, y_title: str, dashed: str) -> alt.Chart:
    """Heads by month, one line per series (needed, productive, on the payroll, today's team);
    the series named ``dashed`` (today's team) drawn dashed in grey. The y axis starts at 0, so
    the distance between the lines reads as a share of the team."""
    names = list(dict.fromkeys(df["series"].tolist()))
    colours = [
        MUTED if n == dashed else c for n, c in zip(names, [HIGHLIGHT, *PALETTE], strict=False)
    ]
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "month:O",
                sort=list(dict.fromkeys(df["month"].tolist())),
                axis=alt.Axis(title=None, labelAngle=-40, labelOverlap=True),
            ),
            y=alt.Y(
                "value:Q",
                scale=alt.Scale(zero=True),
                axis=alt.Axis(title=y_title, labelExpr=COUNT_AXIS_EXPR, labelOverlap=True),
            ),
            color=alt.Color(
                "series:N",
                sort=names,
                scale=alt.Scale(domain=names, range=colours),
                legend=alt.Legend(title=None, orient="bottom", columns=2, labelLimit=260),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=names,
                scale=alt.Scale(
                    domain=names, range=[[6, 4] if n == dashed else [1, 0] for n in names]
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("month:N", title=" "),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value_text:N", title=" "),
            ],
        )
        .properties(height=HEIGHT)
    )


def utilisation_frame(
    divisions: list[str], months: list[str], values: list[list[float]], F
) -> pd.DataFrame:
    """Division × month cells: ``value`` the utilisation (NaN where nobody is productive), its
    text, and whether it is over 100%."""
    rows = []
    for d, row in zip(divisions, values, strict=True):
        for m, v in zip(months, row, strict=True):
            ok = v is not None and np.isfinite(v)
            rows.append(
                {
                    "division": d,
                    "month": m,
                    "value": float(v) if ok else None,
                    "text": F.pct(v, digits=0) if ok else "—",
                    "over": bool(ok and v > 1 + 1e-9),
                }
            )
    return pd.DataFrame(rows, columns=["division", "month", "value", "text", "over"])


def utilisation_heatmap(df: pd.DataFrame, legend_title: str) -> alt.LayerChart:
    """A heat map of utilisation, division × month: blue up to 100% (darker fuller), every cell
    over 100% in the highlight red, each cell labelled with its percentage."""
    months = list(dict.fromkeys(df["month"].tolist()))
    divisions = list(dict.fromkeys(df["division"].tolist()))
    x = alt.X("month:O", sort=months, axis=alt.Axis(title=None, labelAngle=-40, orient="top"))
    y = alt.Y("division:N", sort=divisions, axis=alt.Axis(title=None, labelLimit=220))
    base_ = alt.Chart().encode(x=x, y=y)
    cells = base_.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.condition(
            "datum.over",
            alt.value(HIGHLIGHT),
            alt.Color(
                "value:Q",
                scale=alt.Scale(domain=[0, 1], range=["#eef3fa", PALETTE[0]], clamp=True),
                legend=alt.Legend(title=legend_title, format="%", orient="bottom"),
            ),
        ),
        tooltip=[
            alt.Tooltip("division:N", title=" "),
            alt.Tooltip("month:N", title=" "),
            alt.Tooltip("text:N", title=legend_title),
        ],
    )
    labels = base_.mark_text(fontSize=12).encode(
        text=alt.Text("text:N"),
        color=alt.condition(
            "datum.over || datum.value > 0.6", alt.value("white"), alt.value("#102a43")
        ),
    )
    return alt.layer(cells, labels, data=df).properties(height=alt.Step(44))


# ----- the teams in the Monte Carlo (issue 10) ---------------------------------------------------
def chance_text(p: float | None, F) -> str:
    """A probability in whole percent that never rounds to a certainty it is not: ``<1%`` above
    0 and ``>99%`` below 1 where whole percent would say 0% or 100%."""
    if p is None:
        return "—"
    if 0 < p < 0.005:
        return "<" + F.pct(0.01, digits=0)
    if 0.995 <= p < 1:
        return ">" + F.pct(0.99, digits=0)
    return F.pct(p, digits=0)


def hires_text(x: float, F) -> str:
    """Hires as whole people: part of a head is one more person (0.3 heads short: 1 hire)."""
    return F.count(whole([people_to_cover(x)])[0])


def outlook_table(scenario: Scenario, mc: MonteCarlo, F) -> pd.DataFrame:
    """Per division with a team (in the funnel's order): its hires over the plan in the low
    (P10), middle (P50) and high (P90) case of the Monte Carlo, and the chance its team today is
    enough (no hire, never short), as text."""
    rows = []
    for d, _ in divisions(scenario):
        o = mc.capacity[d]
        rows.append(
            {
                t("capacity.mc.division"): t(f"division.{d}"),
                **{t(f"capacity.mc.p{p}"): hires_text(o.percentile(p), F) for p in (10, 50, 90)},
                t("capacity.mc.enough"): chance_text(o.team_enough, F),
            }
        )
    return pd.DataFrame(rows)


def uncertainty_section(cur: state.Current, F) -> None:
    """The Capacity page's section on the plan's ranges (spec sections 6 and 8): per division
    the hires P10/P50/P90 and the chance today's team is enough, and the chance every team is
    at once, from the session's Monte Carlo. Nothing without a plan or a team."""
    if not cur.ok or not cur.scenario.capacity:
        return
    with st.spinner(t("mc.running")):
        mc = state.monte_carlo_of(cur)
    if not mc.capacity:
        return
    st.subheader(t("capacity.mc.title"))
    st.caption(t("capacity.mc.caption", draws=F.count(mc.draws)))
    # short headers (the caption says what they count): the chance column, the point of the
    # table, was scrolled out of sight at a projector's 1024 px
    with st.container(key="fit-capacity-outlook"):
        st.dataframe(outlook_table(cur.scenario, mc, F), hide_index=True, width="stretch")
    if len(mc.capacity) > 1:
        st.markdown(t("capacity.mc.all", chance=chance_text(mc.all_teams_enough, F)))


def per_head_tornado_rows(sens: Sensitivity, F) -> pd.DataFrame:
    """The tornado rows of the ranged per_heads (:func:`ui.charts.tornado_frame`): each
    division's change in hires over the plan at the low and the high end of its per head."""
    effects = sens.tornado_capacity

    def per_head(x: float) -> str:
        return F.count(x, digits=0 if float(x).is_integer() else 1)

    names = [
        t("capacity.tornado.name", division=t(f"division.{e.division}"), low=per_head(e.down),
          high=per_head(e.up))
        for e in effects
    ]  # fmt: skip
    df = tornado_frame(
        names,
        [e.joiners_down for e in effects],
        [e.joiners_up for e in effects],
        [F.count(e.joiners_down, signed=True, digits=1) for e in effects],
        [F.count(e.joiners_up, signed=True, digits=1) for e in effects],
        [False] * len(effects),
        [per_head(e.down) for e in effects],
        [per_head(e.up) for e in effects],
    )
    return df[df["span"] > 0]
