"""Capacity, hiring and cost (spec section 8): a plan's volumes as heads and money.

For each division in the scenario's ``capacity``, month by month over the horizon (t = 0..H−1):

    W(t)     workload: arrivals into the stage it works, or its end-of-month stock, or customers(t)
    R(t)     = W(t) / per_head, required heads; R(t) = R(H−1) for t ≥ H
    a        = 1 − (1 − attrition)^(1/12), monthly attrition; keep = 1 − a
    p(k)     = (k + 1) / (ramp + 1) for k < ramp, else 1: productivity k months after joining
    B(u)     = heads(u) for a list (B(H−1)·keep^(u−H+1) past the horizon), else heads·keep^u
    J(t)     = 0 for t < hiring_months; else, in order,
               max(0, (R(t + ramp) − E_{<t}(t + ramp)) / keep^ramp),
               E_{<t}(u) = B(u) + Σ_{τ<t} J(τ)·keep^(u−τ)·p(u − τ)

Every earlier joiner is fully productive by t + ramp (u − τ > ramp), so
E_{<t}(t + ramp) = B(t + ramp) + keep^ramp·G(t) with G(t) = Σ_{τ<t} J(τ)·keep^(t−τ), and

    J(t) = max(0, K(t) − G(t)),  K(t) = (R(t + ramp) − B(t + ramp)) / keep^ramp,
    G(t) + J(t) = max(G(t), K(t)),  G(t + 1) = keep·(G(t) + J(t)):

the joiners' heads M(t) = G(t) + J(t) are keep^t times the running maximum of max(0, K(τ)/keep^τ)
over τ = hiring_months..t. That is one ``np.maximum.accumulate`` over a batch of rows, with no
loop over months (``model.reference.capacity`` is the spec's loop, and the tests hold the two to
1e-9). Then

    heads(t)        = B(t) + M(t)                                  (heads_total, the cost basis)
    effective(t)    = B(t) + keep^ramp·M(t − ramp) + Σ_{k<ramp} J(t − k)·keep^k·p(k)
    requisitions(t) = J(t + hiring_months), 0 past the horizon
    shortfall(t)    = max(0, R(t) − effective(t)); utilisation(t) = W(t) / (effective(t)·per_head)
    cost(t)         = heads(t)·cost_per_head

Acquisition cost, CAC and payback follow (:func:`acquisition_cost`), and the capacity ceiling: the
largest constant inflow today's team carries (:func:`capacity_ceiling`).

Batches: :func:`staff` and :func:`acquisition_cost` take (B, H) arrays and a per-row ``per_head``,
so a Monte Carlo can pass its drawn workloads and per_head draws at once (:func:`hires_needed`:
each draw's joiners over the horizon and whether today's team is enough); the rate-mode ceiling
(:func:`ceiling_rate`) takes (B, D, H) arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .forward import simulate
from .levers import Levers, build_levers
from .revenue import money
from .scenario import CUSTOMERS_WORK, Capacity, Costs, Scenario, base

if TYPE_CHECKING:
    from .plan import Plan

CUSTOMER_SUCCESS = "customer_success"
"""The division whose cost is not acquisition cost (it serves the customers already won)."""
SLOPE_MIN = 1e-12
"""A (division, month) binds the ceiling only where its workload grows by more than this per
unit of inflow (W1 > 1e-12)."""
TIE_REL = 1e-9
"""Binding pairs within this relative distance tie: the earliest month, then the first division."""
BISECT_REL = 1e-10
"""Volume mode: the ceiling's search stops at this width relative to the inflow, or to 1 below an
inflow of 1 (a ceiling of 0 has no relative width: 1e-10 of an arrival a month is nothing)."""
NO_BINDING_INFLOW = 1e15
"""Volume mode: a team that carries this inflow has no binding (division, month)."""
SEARCH_POINTS = 15
"""Volume mode: inflows tried at once per step of the search (one batched run)."""


# =================================================================================================
# Staffing of one division
# =================================================================================================
@dataclass(frozen=True)
class Staffing:
    """One division's monthly staffing (spec section 8), each (B, H); ``utilisation`` is NaN
    where ``effective`` is 0 (null in the JSON; also where effective is so small, a denormal
    number, that the ratio overflows)."""

    workload: np.ndarray
    required: np.ndarray
    joiners: np.ndarray
    requisitions: np.ndarray
    heads: np.ndarray
    effective: np.ndarray
    shortfall: np.ndarray
    utilisation: np.ndarray
    cost: np.ndarray

    FIELDS = (
        "workload", "required", "joiners", "requisitions", "heads", "effective", "shortfall",
        "utilisation", "cost",
    )  # fmt: skip

    def to_dict(self, row: int = 0) -> dict[str, list[float | None]]:
        """One row as spec section 8 prints it (``utilisation`` null where effective is 0)."""
        out: dict[str, list[float | None]] = {}
        for name in self.FIELDS:
            values = getattr(self, name)[row]
            out[name] = _nulls(values) if name == "utilisation" else values.tolist()
        return out


def _nulls(values: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]  # NaN is the one value ≠ itself


def monthly_attrition(attrition: float) -> float:
    """a = 1 − (1 − attrition)^(1/12): the share of heads that leave each month."""
    return 1.0 - (1.0 - float(attrition)) ** (1.0 / 12.0)


def productivity(ramp: int, months: int) -> np.ndarray:
    """p(k) = (k + 1) / (ramp + 1) for k < ramp, else 1, for k = 0..months−1."""
    k = np.arange(months, dtype=float)
    return np.where(k < ramp, (k + 1.0) / (ramp + 1.0), 1.0)


def planned_heads(heads: float | Sequence[float], months: int, H: int, keep: float) -> np.ndarray:
    """B(u) for u = 0..months−1: ``heads``·keep^u for a number; for a list of H, the list, then
    B(H−1)·keep^(u−H+1) past the horizon."""
    u = np.arange(months, dtype=float)
    if isinstance(heads, tuple | list | np.ndarray):
        h = np.asarray(heads, dtype=float)
        past = h[H - 1] * keep ** (u[H:] - H + 1) if months > H else np.empty(0)
        return np.concatenate([h[: min(H, months)], past])
    return float(heads) * keep**u


def team_capacity(heads: float | Sequence[float], H: int) -> np.ndarray:
    """C(t): today's team kept as it is: ``heads`` every month (leavers replaced, no growth), or
    the list."""
    if isinstance(heads, tuple | list | np.ndarray):
        return np.asarray(heads, dtype=float)
    return np.full(H, float(heads))


def stage_stock(arrivals: np.ndarray, lag: np.ndarray, opening: np.ndarray) -> np.ndarray:
    """A stage's end-of-month stock (B, H) as what section 3's schedule still holds after month
    t's resolutions: the opening stock's parts due after t, O·(n − 1 − t)/n with
    n = max(1, ceil(lag)), and each arrival's share due after t: all of a(τ) for t − τ < f, q of
    it for t − τ = f (f = floor(lag), q = lag − f). ``arrivals`` (B, H), ``lag`` and ``opening``
    (B,).

    It is the stock of section 3 (opening + arrivals − resolved) summed from its positive parts:
    where that difference leaves 1e-14 of the flows for a stage that is empty, this is 0, so a
    team of 0 heads is not over capacity there."""
    a = np.atleast_2d(np.asarray(arrivals, dtype=float))
    nb, H = a.shape
    lag = np.broadcast_to(np.asarray(lag, dtype=float), (nb,))
    opening = np.broadcast_to(np.asarray(opening, dtype=float), (nb,))
    f = np.floor(lag)
    q = lag - f
    n = np.maximum(1.0, np.ceil(lag))
    t = np.arange(H, dtype=float)
    out = (opening / n)[:, None] * np.maximum(0.0, n[:, None] - 1.0 - t)
    for k in range(min(int(f.max(initial=0.0)), H - 1) + 1):
        weight = np.where(k < f, 1.0, np.where(k == f, q, 0.0))
        if np.any(weight):
            out[:, k:] += weight[:, None] * a[:, : H - k]
    return out


def workload(
    cap: Capacity,
    stage_keys: Sequence[str],
    arrivals: np.ndarray,
    customers: np.ndarray,
    lag: np.ndarray | None = None,
    opening: np.ndarray | None = None,
) -> np.ndarray:
    """W(t), (B, H): the arrivals into the stage ``cap`` works (``basis`` arrivals), its
    end-of-month stock (``stock``, :func:`stage_stock`), or customers(t) (``works`` customers).
    ``arrivals`` (B, S, H), ``customers`` (B, H), ``lag`` and ``opening`` (B, S−1)."""
    if cap.works == CUSTOMERS_WORK:
        return customers
    s = list(stage_keys).index(cap.works)
    if cap.basis != "stock":
        return arrivals[:, s]
    assert lag is not None and opening is not None
    return stage_stock(arrivals[:, s], lag[:, s], opening[:, s])


@dataclass(frozen=True)
class _Hiring:
    """The joiners of one division and what they rest on, (B, H) unless said: workload W,
    per_head (B, 1), required heads R, planned heads B(u) (H + ramp,), keep = 1 − a, joiners
    J and the joiners' heads M(t) = Σ_{τ≤t} J(τ)·keep^(t−τ)."""

    W: np.ndarray
    per_head: np.ndarray
    R: np.ndarray
    planned: np.ndarray
    keep: float
    joiners: np.ndarray
    hired: np.ndarray


def _hiring(cap: Capacity, load: np.ndarray, per_head: np.ndarray | float | None) -> _Hiring:
    """J(t) = max(0, K(t) − G(t)) for each row, from the running maximum of K(τ)/keep^τ (the
    module docstring)."""
    W = np.atleast_2d(np.asarray(load, dtype=float))
    nb, H = W.shape
    ph = np.asarray(base(cap.per_head) if per_head is None else per_head, dtype=float)
    ph = np.broadcast_to(ph.reshape(-1, 1) if ph.ndim else ph, (nb, 1))
    R = W / ph
    r, L = cap.ramp_months, cap.hiring_months
    keep = 1.0 - monthly_attrition(cap.attrition)
    planned = planned_heads(cap.heads, H + r, H, keep)
    t = np.arange(H)
    joiners = np.zeros((nb, H))
    hired = np.zeros((nb, H))  # M(t) = Σ_{τ≤t} J(τ)·keep^(t−τ)
    if L < H:
        need = (R[:, np.minimum(t[L:] + r, H - 1)] - planned[L + r : H + r]) / keep**r  # K(t)
        decay = keep ** t[L:].astype(float)
        best = np.maximum.accumulate(np.maximum(need / decay, 0.0), axis=1)
        before = np.zeros_like(best)  # G(t) = keep^t·max(0, K(τ)/keep^τ for τ < t)
        before[:, 1:] = best[:, :-1] * decay[1:]
        joiners[:, L:] = np.maximum(need - before, 0.0)
        hired[:, L:] = before + joiners[:, L:]
    return _Hiring(W, ph, R, planned, keep, joiners, hired)


def staff(cap: Capacity, load: np.ndarray, per_head: np.ndarray | float | None = None) -> Staffing:
    """Required heads, joiners, requisitions, heads, effective capacity, shortfall, utilisation
    and cost of one division for workloads ``load`` (B, H) (formulas in the module docstring).
    ``per_head`` (B,) or a number; by default the scenario's (a range's base)."""
    h = _hiring(cap, load, per_head)
    W, ph, R, planned, keep, joiners, hired = (
        h.W, h.per_head, h.R, h.planned, h.keep, h.joiners, h.hired
    )  # fmt: skip
    nb, H = W.shape
    r, L = cap.ramp_months, cap.hiring_months
    heads = planned[:H] + hired
    effective = planned[:H].copy() + np.zeros((nb, 1))
    if r < H:
        effective[:, r:] += keep**r * hired[:, : H - r]
    p = productivity(r, min(r, H))
    for k in range(min(r, H)):
        effective[:, k:] += joiners[:, : H - k] * (keep**k * p[k])
    requisitions = np.zeros((nb, H))
    if L < H:
        requisitions[:, : H - L] = joiners[:, L:]
    with np.errstate(all="ignore"):
        utilisation = W / (effective * ph)
    # null where effective is 0 (and where a denormal effective overflows the ratio)
    utilisation[(effective == 0.0) | ~np.isfinite(utilisation)] = np.nan
    return Staffing(
        workload=W,
        required=R,
        joiners=joiners,
        requisitions=requisitions,
        heads=heads,
        effective=effective,
        shortfall=np.maximum(R - effective, 0.0),
        utilisation=utilisation,
        cost=heads * cap.cost_per_head,
    )


ENOUGH_TOL = 1e-9
"""Heads: joiners over the horizon, or a month's shortfall, of at most this is none."""


def hires_needed(
    cap: Capacity, load: np.ndarray, per_head: np.ndarray | float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of workloads ``load`` (B, H) and ``per_head`` (B,) (as :func:`staff`): the
    joiners over the horizon Σ_t J(t), and whether today's team is enough: no joiner needed
    and never short, R(t) ≤ B(t) every month (a team short before a joiner can arrive, within
    hiring_months + ramp, needs none and is still not enough); both to :data:`ENOUGH_TOL`.
    Without joiners effective(t) = B(t), so the shortfall is R(t) − B(t): only the joiners are
    computed, not the rest of :func:`staff`."""
    h = _hiring(cap, load, per_head)
    total = h.joiners.sum(axis=1)
    short = (h.R - h.planned[: h.R.shape[1]]).max(axis=1) > ENOUGH_TOL
    return total, (total <= ENOUGH_TOL) & ~short


# =================================================================================================
# Money: acquisition cost, CAC, payback
# =================================================================================================
def acquisition_cost(
    costs: Costs | None,
    stage_keys: Sequence[str],
    reentry: int,
    inflow: np.ndarray,
    arrivals: np.ndarray,
    reactivated: np.ndarray,
    division_costs: dict[str, np.ndarray],
) -> np.ndarray:
    """acq(t) = per_inflow·inflow(t) + Σ_s per_arrival_s·new_s(t) + fixed_monthly + Σ cost(t) of
    the divisions other than customer_success, with new_s(t) = arrivals_s(t) less the
    reactivations R(t) at the re-entry stage (a re-nurtured lead is not bought again).
    Arrays (B, H), ``arrivals`` (B, S, H)."""
    acq = np.zeros(np.shape(inflow))
    if costs is not None:
        acq = acq + costs.per_inflow * inflow + costs.fixed_monthly
        for key, price in costs.per_arrival:
            s = list(stage_keys).index(key)
            new = arrivals[:, s] - reactivated if s == reentry else arrivals[:, s]
            acq = acq + price * new
    for division, cost in division_costs.items():
        if division != CUSTOMER_SUCCESS:
            acq = acq + cost
    return acq


def cac(acq: np.ndarray, wins: np.ndarray) -> np.ndarray:
    """CAC = Σ_t acq(t) / Σ_t wins(t) per row, NaN (null) without wins (and where a denormal
    number of wins overflows the ratio)."""
    total_wins = np.sum(wins, axis=-1)
    with np.errstate(all="ignore"):
        out = np.where(total_wins > 0, np.sum(acq, axis=-1) / total_wins, np.nan)
    return np.where(np.isfinite(out), out, np.nan)


def payback_months(cac_: np.ndarray, size: np.ndarray | float, subscription: bool) -> np.ndarray:
    """CAC / (deal.size / 12) for subscriptions; NaN (null) for one-time deals, without a CAC, or
    with a deal size of 0."""
    if not subscription:
        return np.full(np.shape(cac_), np.nan)
    monthly = np.asarray(size, dtype=float) / 12.0
    with np.errstate(all="ignore"):
        out = np.where(monthly > 0, cac_ / monthly, np.nan)
    return np.where(np.isfinite(out), out, np.nan)


# =================================================================================================
# The capacity ceiling
# =================================================================================================
@dataclass(frozen=True)
class Ceiling:
    """The largest constant inflow today's team carries, the horizon bookings at it, the binding
    (division, month), and the (division, month) pairs the pipeline already there overloads.
    ``inflow``, ``bookings``, ``division`` and ``month`` are None with no binding pair."""

    inflow: float | None
    bookings: float | None
    division: str | None
    month: int | None
    over_from_opening: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "inflow": self.inflow,
            "bookings": self.bookings,
            "division": self.division,
            "month": self.month,
            "over_from_opening": [{"division": d, "month": t} for d, t in self.over_from_opening],
        }


def _workloads(
    scenario: Scenario, lv: Levers, inflow: np.ndarray, empty: Sequence[bool] = ()
) -> tuple[np.ndarray, Any]:
    """W (B, D, H) of every division with capacity, and the run's money, for constant inflows
    ``inflow`` (B,), the scenario's target ignored; rows where ``empty`` is true start with no
    pipeline (no opening stock, pool or customers)."""
    H = scenario.months
    run = lv.repeat(len(inflow), inflow=np.repeat(np.asarray(inflow, float)[:, None], H, axis=1))
    rows = np.asarray(empty, dtype=bool)
    if rows.any():
        for name in ("opening", "pool_opening", "opening_count", "opening_mrr"):
            getattr(run, name)[rows] = 0.0
    flows = simulate(run, H)
    cash = money(flows.wins, run)
    caps = [c for _, c in scenario.capacity or ()]
    keys = scenario.stage_keys
    W = np.stack(
        [workload(c, keys, flows.arrivals, cash.customers, run.lag, run.opening) for c in caps],
        axis=1,
    )
    return W, cash


def ceiling_rate(
    W0: np.ndarray, W1: np.ndarray, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rate mode, batched: W(t; I) = W0 + I·W1, arrays (B, D, H), ``limit`` = C(t)·per_head.

    Over the (division, month) pairs where the pipeline fits (W0 ≤ limit) and W1 > 1e-12,
    I = min (limit − W0) / W1; the binding pair is the earliest month, then the first division,
    among those within 1e-9 (relative) of I. Returns I (B,) (NaN with no binding pair), the
    binding division and month (B,) (−1 with none), and ``over`` (B, D, H): W0 > limit."""
    over = W0 > limit
    live = ~over & (W1 > SLOPE_MIN)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(live, (limit - W0) / np.where(live, W1, 1.0), np.inf)
    nb, nd, H = v.shape
    best = v.reshape(nb, -1).min(axis=1)
    found = np.isfinite(best)
    ties = v <= (best + TIE_REL * np.abs(best))[:, None, None]
    division, month = _first_tie(ties)
    return (
        np.where(found, best, np.nan),
        np.where(found, division, -1),
        np.where(found, month, -1),
        over,
    )


def _first_tie(ties: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``ties`` (B, D, H): the earliest month with a tie, then the first division."""
    any_division = ties.any(axis=1)  # (B, H)
    month = np.argmax(any_division, axis=1)
    rows = np.arange(ties.shape[0])
    division = np.argmax(ties[rows, :, month], axis=1)
    return division, month


def capacity_ceiling(scenario: Scenario, lv: Levers | None = None) -> Ceiling | None:
    """Spec section 8's capacity ceiling: with today's team (C(t) = ``heads`` every month, or
    the list), the largest constant inflow I ≥ 0 with W(t; I) ≤ C(t)·per_head for every division
    with capacity and every month where the pipeline already there fits (W(t; 0) ≤ C·per_head;
    the others are ``over_from_opening``). Rate mode: W = W0 + I·W1 from the run at I = 0 and
    the run of I = 1 through an empty funnel (:func:`ceiling_rate`). Volume mode: W is
    nondecreasing in I; the largest feasible I is searched to 1e-10 relative (of max(I, 1): a
    bracket by doubling from 1, each step trying 15 inflows in one batched run), and the binding
    pairs are those a run at I + 1e-9·max(I, 1) overloads (ties within 1e-9 relative). None when
    no division has capacity."""
    if not scenario.capacity:
        return None
    divisions = [d for d, _ in scenario.capacity]
    H = scenario.months
    lv = build_levers(scenario) if lv is None else lv.take(slice(0, 1))
    limit = np.stack(
        [team_capacity(c.heads, H) * float(base(c.per_head)) for _, c in scenario.capacity]
    )
    if scenario.recycle.volume is None:
        # W1 as the run of one unit of inflow through an empty funnel: in rate mode the funnel is
        # linear in the inflow and the opening pipeline, so this is W(1) − W(0) without the
        # cancellation of subtracting two runs (an unreachable month's W1 is exactly 0)
        W, cash = _workloads(scenario, lv, np.array([0.0, 1.0]), empty=(False, True))
        most, div, month, over = ceiling_rate(W[:1], W[1:], limit[None])
        over = over[0]
        inflow = None if np.isnan(most[0]) else float(most[0])
        binding = None if inflow is None else (int(div[0]), int(month[0]))
        if inflow is not None:
            bookings = float(cash.bookings[0].sum() + inflow * cash.bookings[1].sum())
    else:
        W0, _ = _workloads(scenario, lv, np.array([0.0]))
        over = W0[0] > limit
        inflow, binding = _ceiling_volume(scenario, lv, limit, ~over)
        if inflow is not None:
            bookings = float(_workloads(scenario, lv, np.array([inflow]))[1].bookings[0].sum())
    overloaded = tuple((divisions[d], int(t)) for d, t in zip(*np.nonzero(over), strict=True))
    if inflow is None or binding is None:
        return Ceiling(None, None, None, None, overloaded)
    return Ceiling(
        inflow=inflow,
        bookings=bookings,
        division=divisions[binding[0]],
        month=binding[1],
        over_from_opening=overloaded,
    )


def _ceiling_volume(
    scenario: Scenario, lv: Levers, limit: np.ndarray, fits: np.ndarray
) -> tuple[float | None, tuple[int, int] | None]:
    """Volume mode: the largest I with every fitting pair within its limit, and the binding pair
    (see :func:`capacity_ceiling`)."""
    if not fits.any():
        return None, None

    def feasible(inflows: np.ndarray) -> np.ndarray:
        W, _ = _workloads(scenario, lv, inflows)
        return ~((W > limit[None]) & fits[None]).any(axis=(1, 2))

    bracket = np.append(2.0 ** np.arange(50), NO_BINDING_INFLOW)
    ok = feasible(bracket)
    if ok[-1]:
        return None, None
    first = int(np.argmin(ok))  # the first inflow the team cannot carry
    lo, hi = (0.0 if first == 0 else float(bracket[first - 1])), float(bracket[first])
    for _ in range(60):
        if hi - lo <= BISECT_REL * max(hi, 1.0):
            break
        trial = lo + (hi - lo) * np.arange(1, SEARCH_POINTS + 1) / (SEARCH_POINTS + 1)
        ok = feasible(trial)
        k = int(np.argmin(ok)) if not ok.all() else len(trial)
        lo = float(trial[k - 1]) if k > 0 else lo
        hi = float(trial[k]) if k < len(trial) else hi
    tie = lo + TIE_REL * max(lo, 1.0)  # ≥ hi: at least the binding pair is over there
    W, _ = _workloads(scenario, lv, np.array([tie]))
    division, month = _first_tie((W > limit[None]) & fits[None])
    return lo, (int(division[0]), int(month[0]))


# =================================================================================================
# A plan's section 8
# =================================================================================================
@dataclass(frozen=True)
class CapacityPlan:
    """Spec section 8 for one plan: staffing per division (in the order of ``capacity``),
    acquisition cost (H,), CAC and payback (None where null), and the ceiling (None without a
    division with capacity)."""

    staffing: dict[str, Staffing]
    acquisition_cost: np.ndarray
    cac: float | None
    payback_months: float | None
    ceiling: Ceiling | None

    def to_dict(self) -> dict[str, Any]:
        """The keys section 8 adds to section 5's output."""
        out: dict[str, Any] = {
            "capacity": {d: s.to_dict() for d, s in self.staffing.items()},
            "economics": {
                "acquisition_cost": self.acquisition_cost.tolist(),
                "cac": self.cac,
                "payback_months": self.payback_months,
            },
        }
        if self.ceiling is not None:
            out["ceiling"] = self.ceiling.to_dict()
        return out


def _number_or_none(x: np.ndarray) -> float | None:
    v = float(np.asarray(x).reshape(-1)[0])
    return v if np.isfinite(v) else None


def capacity_plan(plan: Plan, lv: Levers | None = None) -> CapacityPlan:
    """Section 8 of a plan: the staffing on the plan's own flows (its solved inflow where it has
    a target), the acquisition cost, CAC and payback, and the ceiling (a constant inflow, the
    target ignored). ``lv``: the levers the plan was run with (lags and opening stock, for a
    stock workload, and the ceiling's runs); by default the scenario's base values."""
    s = plan.scenario
    lv = build_levers(s) if lv is None else lv.take(slice(0, 1))
    keys = s.stage_keys
    arrivals, customers = plan.arrivals[None], plan.customers[None]
    staffing = {
        d: staff(c, workload(c, keys, arrivals, customers, lv.lag, lv.opening))
        for d, c in s.capacity or ()
    }
    acq = acquisition_cost(
        s.costs,
        keys,
        s.reentry_index,
        plan.inflow[None],
        arrivals,
        plan.reactivated[None],
        {d: st.cost for d, st in staffing.items()},
    )
    c = cac(acq, plan.wins[None])
    payback = payback_months(c, float(base(s.deal.size)), s.deal.revenue == "subscription")
    return CapacityPlan(
        staffing=staffing,
        acquisition_cost=acq[0],
        cac=_number_or_none(c),
        payback_months=_number_or_none(payback),
        ceiling=capacity_ceiling(s, lv),
    )
