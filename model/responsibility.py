"""The responsibility view: what each division must deliver and the levers it owns.

A stage's ``owner`` is accountable for the arrivals into that stage; its lever is the conversion
of the stage before (the first stage's lever is the inflow itself). Customer success owns the
renewal and expansion rates. Where a division gives its levers as ranges (low / target /
stretch), the view shows the band: the arrivals it must deliver when every range sits at its
pessimistic or optimistic end (re-solved), and what the division's own low and high ends do to
bookings and revenue with the planned inflow, everyone else at base.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .forward import simulate
from .levers import ParamRef, build_levers, parameters
from .plan import Plan, run_plan
from .revenue import money
from .scenario import DIVISIONS, Scenario
from .uncertainty import Bands, bands


@dataclass(frozen=True)
class StageDuty:
    """The arrivals a division must deliver into one stage."""

    stage: str
    label: str
    monthly: tuple[float, ...]
    total: float
    pessimistic_total: float | None  # at the pessimistic end (re-solved), when ranges exist
    optimistic_total: float | None  # at the optimistic end


@dataclass(frozen=True)
class DivisionView:
    division: str
    duties: tuple[StageDuty, ...]
    levers: tuple[ParamRef, ...]  # the rates (or inflow) the division owns
    handoff: str
    bookings_low: float  # change of horizon bookings with the division's levers at their low end
    bookings_high: float
    revenue_low: float  # change of horizon revenue, idem
    revenue_high: float

    @property
    def ranged(self) -> bool:
        return any(r.ranged for r in self.levers)

    @property
    def kpi_stage(self) -> str | None:
        """The stage whose arrivals are the division's number (its lowest owned stage)."""
        return self.duties[-1].stage if self.duties else None


def owned_levers(scenario: Scenario, division: str) -> list[ParamRef]:
    """The parameters a division owns."""
    refs = {r.path: r for r in parameters(scenario)}
    out: list[ParamRef] = []
    for i, st in enumerate(scenario.stages):
        if st.owner != division:
            continue
        if i == 0:
            if "inflow" in refs:
                out.append(refs["inflow"])
        else:
            out.append(refs[f"stages[{scenario.stages[i - 1].key}].conversion"])
    if division == "customer_success":
        out += [refs["customers.renewal_rate"], refs["customers.expansion_rate"]]
    return out


def divisions_in(scenario: Scenario) -> list[str]:
    """Divisions that own a stage, in funnel order, then customer success."""
    seen = [s.owner for s in scenario.stages if s.owner]
    ordered = [d for d in DIVISIONS if d in seen or d == "customer_success"]
    return ordered


def responsibility(
    scenario: Scenario, plan: Plan | None = None, band: Bands | None = None
) -> tuple[DivisionView, ...]:
    """One view per division (see the module's docstring)."""
    plan = plan if plan is not None else run_plan(scenario)
    has_ranges = any(r.ranged for r in parameters(scenario))
    if has_ranges and band is None:
        band = bands(scenario, plan)
    divisions = divisions_in(scenario)
    owned = {d: owned_levers(scenario, d) for d in divisions}

    # one batch: row 0 base, then per division its levers at the pessimistic and optimistic end
    lv = build_levers(scenario, batch=1 + 2 * len(divisions))
    for j, d in enumerate(divisions):
        for ref in owned[d]:
            if not ref.ranged or ref.name == "inflow":
                continue
            col = np.full(lv.batch, ref.end("base"))
            col[1 + 2 * j] = ref.end("pessimistic")
            col[2 + 2 * j] = ref.end("optimistic")
            lv.set(ref, col)
    planned = lv.with_inflow(np.tile(plan.inflow, (lv.batch, 1)))
    flows = simulate(planned, scenario.months)
    cash = money(flows.wins, planned)
    book, rev = cash.bookings.sum(axis=1), cash.revenue.sum(axis=1)

    views = []
    for j, d in enumerate(divisions):
        duties = []
        for i, st in enumerate(scenario.stages):
            if st.owner != d:
                continue
            lo = hi = None
            if band is not None and has_ranges:
                lo = None if band.pessimistic is None else float(band.pessimistic.arrivals[i].sum())
                hi = None if band.optimistic is None else float(band.optimistic.arrivals[i].sum())
            duties.append(
                StageDuty(
                    stage=st.key,
                    label=st.display_label,
                    monthly=tuple(float(x) for x in plan.arrivals[i]),
                    total=float(plan.arrivals[i].sum()),
                    pessimistic_total=lo,
                    optimistic_total=hi,
                )
            )
        views.append(
            DivisionView(
                division=d,
                duties=tuple(duties),
                levers=tuple(owned[d]),
                handoff=scenario.handoff(d),
                bookings_low=float(book[1 + 2 * j] - book[0]),
                bookings_high=float(book[2 + 2 * j] - book[0]),
                revenue_low=float(rev[1 + 2 * j] - rev[0]),
                revenue_high=float(rev[2 + 2 * j] - rev[0]),
            )
        )
    return tuple(views)
