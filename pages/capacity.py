"""Capacity and hiring (体制・採用計画): the heads each division needs by month against its team
today, the hiring plan, utilisation, cost, CAC and payback, and the capacity ceiling (spec
section 8); every team input and acquisition cost editable."""

from ui.common import require_frame

require_frame(__file__)

import streamlit as st

from model.scenario import CUSTOMERS_WORK, DIVISIONS
from ui import capacity as cap
from ui import charts, state
from ui import team as team_ui
from ui.common import division_name, fmt, show_scenario_error, stage_label, stage_name
from ui.format import inert
from ui.i18n import t
from ui.present import presenting

F = fmt()
data = state.draft()
team_ui.apply_edits(data)  # a month-by-month table's edits, before anything is drawn
currency = data.get("currency", "JPY")
st.title(t("capacity.title"))
st.caption(t("capacity.caption"))
cur = state.current()
ROWS = ("workload", "required", "effective", "heads", "shortfall", "joiners", "requisitions",
        "utilisation", "cost")  # fmt: skip


# a team's numbers: field, (min, max), step, format, scale (100: a rate shown in percent)
TEAM_NUMBERS = (
    ("heads", (0.0, None), 1.0, "%.1f", 1),  # heads today (a month-by-month team: ui.team)
    ("per_head", (0.01, None), 1.0, "%.1f", 1),
    ("cost_per_head", (0.0, None), 50_000.0, "%.0f", 1),
    ("attrition", (0.0, 99.0), 1.0, "%.1f", 100),
)
TEAM_MONTHS = ("ramp_months", "hiring_months")


def team_inputs(d: str) -> None:
    """The team of division ``d``: what it works, heads (today, or month by month), productivity,
    hiring and cost."""
    if presenting():  # nothing to edit in front of a room (ui.present)
        return
    team = data["capacity"][d]
    months = team_ui.month_names(data)
    by_month = team_ui.kind_input(data, d, len(months)) == "list"
    stages = data["stages"]
    works = [s["key"] for s in stages[:-1]] + [CUSTOMERS_WORK]
    names = {s["key"]: stage_label(s) for s in stages} | {
        CUSTOMERS_WORK: t("capacity.works.customers")
    }
    # the choices wider than the numbers: "Opportunities" was cut in a quarter of the panel at
    # a projector's 1024 px
    cols = st.columns([1.6, 1.2, 1, 1])
    cols[0].selectbox(
        t("capacity.works"),
        works,
        format_func=names.get,
        help=t("capacity.works_help"),
        **state.bind_custom(
            f"cap.{d}.works",
            team.get("works") if team.get("works") in works else works[0],
            lambda v: cap.set_team_field(data, d, "works", v),
        ),
    )
    if team.get("works") != CUSTOMERS_WORK:
        cols[1].selectbox(
            t("capacity.basis"),
            ["arrivals", "stock"],
            format_func={b: t(f"capacity.basis.{b}") for b in ("arrivals", "stock")}.get,
            **state.bind_custom(
                f"cap.{d}.basis",
                team.get("basis", "arrivals"),
                lambda v: cap.set_team_field(data, d, "basis", v),
            ),
        )
    cols += st.columns(4)
    labels = {"cost_per_head": t("capacity.cost_per_head", cur=currency)}
    for col, (field, (lo, hi), step, form, scale) in zip(
        cols[2:4] + cols[4:5] + cols[7:8], TEAM_NUMBERS, strict=True
    ):
        if field == "heads" and by_month:
            continue
        col.number_input(
            labels.get(field) or t(f"capacity.{field}"),
            min_value=lo,
            max_value=hi,
            step=step,
            format=form,
            help=t(f"capacity.{field}_help"),
            **state.bind(f"cap.{d}.{field}", ("capacity", d, field), scale=scale),
        )
    for col, field in zip(cols[5:7], TEAM_MONTHS, strict=True):
        col.number_input(
            t(f"capacity.{field}"),
            min_value=0,
            max_value=120,
            step=1,
            help=t(f"capacity.{field}_help"),
            **state.bind_custom(
                f"cap.{d}.{field}",
                int(team.get(field, 0)),
                lambda v, f=field: cap.set_team_field(data, d, f, v),
            ),
        )
    if by_month:
        team_ui.months_table(data, d, months)
    st.button(t("capacity.remove"), key=f"cap.{d}.remove", on_click=cap.remove_team, args=(data, d))


def cost_inputs() -> None:
    """The acquisition costs besides the teams (spec section 8's ``costs``)."""
    if presenting():
        return
    st.subheader(t("costs.title"))
    st.caption(t("costs.caption"))
    stages = data["stages"]
    inputs = [
        (
            t("costs.per_inflow", stage=inert(stage_label(stages[0])), cur=currency),
            "costs.per_inflow_help", ("costs", "per_inflow"), "cap.costs.per_inflow", 10.0, "%.2f",
        )
    ]  # fmt: skip
    for s in stages[1:]:
        inputs.append((
            t("costs.per_arrival", stage=inert(stage_label(s)), cur=currency),
            "costs.per_arrival_help", ("costs", "per_arrival", s["key"]),
            f"cap.costs.{s['key']}", 1000.0, "%.0f",
        ))  # fmt: skip
    inputs.append((
        t("costs.fixed_monthly", cur=currency), "costs.fixed_monthly_help",
        ("costs", "fixed_monthly"), "cap.costs.fixed_monthly", 1_000_000.0, "%.0f",
    ))  # fmt: skip
    cols = st.columns(3)
    for i, (label, help_key, path, key, step, form) in enumerate(inputs):
        cols[i % 3].number_input(
            label, min_value=0.0, step=step, format=form, help=t(help_key), **state.bind(key, path)
        )


def add_team_inputs(scenario) -> None:
    """A team for a division that has none yet."""
    if presenting():
        return
    missing = [d for d in DIVISIONS if d not in (data.get("capacity") or {})]
    if not missing or scenario is None:
        return
    st.subheader(t("capacity.add"))
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    choice = c1.selectbox(
        t("capacity.add_division"),
        missing,
        format_func={d: division_name(d) for d in missing}.get,
        key="cap.add.division",
    )
    c2.button(
        t("capacity.add_button"),
        key="cap.add",
        on_click=cap.add_team,
        args=(data, scenario, choice),
    )


if not cur.ok:
    # the message, and the inputs still editable here so the user can put them right
    show_scenario_error(cur.error)
    for d in data.get("capacity") or {}:
        with st.container(border=True):
            st.subheader(division_name(d))
            team_inputs(d)
    team_ui.sheet_input(data)
    cost_inputs()
    st.stop()

scenario, plan = cur.scenario, cur.plan
cp = cap.capacity_of(cur)
months = [F.month_short(m) for m in plan.months]
if cp is None or not scenario.capacity:
    st.info(t("capacity.none"))
    add_team_inputs(scenario)
    cost_inputs()
    st.stop()

teams = cap.teams(scenario, cp)
first_stage = inert(stage_name(scenario, scenario.stage_keys[0]))  # in markdown

# ----- the ceiling, in one sentence --------------------------------------------------------------
ceiling = cp.ceiling
bookings = plan.totals["bookings"]
# in a box that is always there, like each panel's messages below: a message that comes or goes
# with an edit (a team that cannot carry the opening pipeline) would move everything below, and
# the browser would draw the panels' expanders anew, closed
with st.container():
    if ceiling is not None and ceiling.bookings is not None:
        st.markdown(
            t(
                "capacity.ceiling",
                bookings=F.money(ceiling.bookings),
                inflow=F.count(ceiling.inflow),
                stage=first_stage,
                division=division_name(ceiling.division),
                month=F.month(plan.months[ceiling.month]),
            ),
            help=t("capacity.ceiling_help"),
        )
        values = {"plan": F.money(bookings), "ceiling": F.money(ceiling.bookings)}
        if cap.over_ceiling(bookings, cp):
            st.error(
                t("capacity.over_ceiling", gap=F.money(bookings - ceiling.bookings), **values),
                icon=":material/warning:",
            )
        else:
            st.success(t("capacity.within_ceiling", **values))
    elif ceiling is not None:
        st.info(t("capacity.ceiling_none"))
    if ceiling is not None and ceiling.over_from_opening:
        by_division: dict[str, list[str]] = {}
        for d, m in ceiling.over_from_opening:
            by_division.setdefault(d, []).append(F.month(plan.months[m]))
        for d, ms in by_division.items():
            st.warning(t("capacity.over_opening", division=division_name(d), months=", ".join(ms)))

# ----- the tiles ---------------------------------------------------------------------------------
quiet = {"delta_color": "off", "delta_arrow": "off"}
today = sum(tm.today for tm in teams)
c1, c2, c3 = st.columns(3)
c1.metric(t("capacity.tile_today"), cap.heads_text(F, today))
c2.metric(
    t("capacity.tile_hires"),
    F.count(sum(tm.hires for tm in teams)),
    help=t("capacity.tile_hires_help"),
)
c3.metric(
    t("capacity.tile_cost"),
    F.money(sum(tm.cost for tm in teams)),
    help=t("capacity.tile_cost_help"),
)
e1, e2, e3 = st.columns(3)
e1.metric(
    t("capacity.tile_acq"),
    F.money(float(cp.acquisition_cost.sum())),
    help=t("capacity.tile_acq_help"),
)
cap.economics_tiles(cp, F, e2, e3)

# ----- utilisation heat map ----------------------------------------------------------------------
st.subheader(t("capacity.heatmap"))
view = st.segmented_control(
    t("capacity.heatmap_view"),
    ["plan", "today"],
    format_func={v: t(f"capacity.view.{v}") for v in ("plan", "today")}.get,
    default="plan",
    required=True,
    key="cap.heatmap.view",
)
rows = []
for tm in teams:
    if view == "today":
        load = cp.staffing[tm.division].workload[0]
        rows.append(
            [w / c if c > 0 else float("nan") for w, c in zip(load, tm.team_capacity, strict=True)]
        )
    else:
        rows.append(list(cp.staffing[tm.division].utilisation[0]))
heat = cap.utilisation_frame([division_name(tm.division) for tm in teams], months, rows, F)
st.altair_chart(cap.utilisation_heatmap(heat, t("capacity.utilisation")), width="stretch")
st.caption(t("capacity.heatmap_caption"))

# ----- the hiring plan ---------------------------------------------------------------------------
st.subheader(t("capacity.hiring"))
st.dataframe(
    cap.hiring_table(
        scenario,
        cp,
        months,
        F,
        {d: division_name(d) for d, _ in cap.divisions(scenario)},
        {f: t(f"capacity.row.{f}") for f in ("requisitions", "joiners")},
    ),
    width="stretch",
)
st.caption(t("capacity.hiring_caption"))
cap.uncertainty_section(cur, F)  # the hires over the plan's ranges (Monte Carlo)

# ----- one panel per division --------------------------------------------------------------------
for tm in teams:
    d = tm.division
    s = cp.staffing[d]
    with st.container(border=True, key=f"cap.panel.{d}"):
        st.subheader(division_name(d))
        k1, k2, k3 = st.columns(3)
        k1.metric(t("capacity.tile_today"), cap.heads_text(F, tm.today))
        with k2:
            cap.needed_tile(tm, F)
        k3.metric(t("capacity.tile_cost"), F.money(tm.cost), help=t("capacity.tile_cost_help"))
        # the messages in a box that is always there: one that comes or goes with an edit
        # (a month-by-month team opens nothing now) would move the expanders below to another
        # place in the page, and the browser draws them anew, closed, hiding the table edited
        notes = st.container()
        if tm.open_now > 0.05:
            notes.markdown(
                t(
                    "capacity.open_now",
                    n=F.count(cap.people_to_cover(tm.open_now)),
                    joins=F.month(plan.months[min(tm.joins_in, len(plan.months) - 1)]),
                    productive=F.month(plan.months[min(tm.productive_in, len(plan.months) - 1)]),
                )
            )
        if tm.short_until is not None and tm.short > 0.05:
            notes.warning(
                t(
                    "capacity.late",
                    division=division_name(d),
                    short=F.count(cap.people_to_cover(tm.short)),
                    month=F.month(plan.months[tm.short_until]),
                )
            )
        if tm.first_over is not None:
            notes.caption(
                t(
                    "capacity.over_team",
                    month=F.month(plan.months[tm.first_over]),
                    today=cap.heads_text(F, tm.today),
                )
            )
        names = {k: t(f"capacity.series.{k}") for k in cap.SERIES}
        series = {
            names["required"]: s.required[0],
            names["effective"]: s.effective[0],
            names["heads"]: s.heads[0],
            names["team"]: tm.team_heads,
        }
        texts = {k: [F.count(v) for v in vals] for k, vals in series.items()}
        st.altair_chart(
            cap.heads_chart(
                charts.long_frame(months, {k: list(v) for k, v in series.items()}, texts),
                t("capacity.heads_axis"),
                names["team"],
            ),
            width="stretch",
        )
        with st.expander(t("capacity.monthly")):
            st.dataframe(
                cap.monthly_table(cp, d, months, F, {r: t(f"capacity.row.{r}") for r in ROWS}),
                width="stretch",
            )
        with st.expander(t("capacity.edit")):
            team_inputs(d)

team_ui.sheet_input(data)
add_team_inputs(scenario)

# ----- cost --------------------------------------------------------------------------------------
st.subheader(t("capacity.cost_chart"))
other = cap.other_acquisition_cost(scenario, cp)
cost_series = {division_name(tm.division): list(cp.staffing[tm.division].cost[0]) for tm in teams}
cost_series[t("capacity.series.acquisition")] = list(other)
st.altair_chart(
    charts.stacked_bar_chart(
        charts.long_frame(
            months,
            cost_series,
            {k: [F.money(v) for v in vals] for k, vals in cost_series.items()},
        ),
        t("capacity.cost_axis"),
        F.money_axis(),
    ).configure_legend(columns=3),  # one row overflowed at 1024 px
    width="stretch",
)
cost_inputs()
