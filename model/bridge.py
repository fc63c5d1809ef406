"""Plan vs actual (spec section 9): the variance bridge, the re-forecast and the recovery.

A plan of record has run k ≥ 1 of its H months. The *actual scenario* holds what the data says
about months 0..k−1 (section 7 over that window): the actual inflow (k numbers), each stage's
conversion, disqualify, recycle and lag, and the deal size; the state (opening stock, pool,
customers) stays the plan's.

**The bridge.** The factors, in this order: ``inflow``; ``rates:<stage>`` for each non-terminal
stage (its conversion, disqualify and recycle together); ``lags`` (all lags together, which also
re-spreads the plan's opening stock over the actual lags); ``deal_size``. n = S + 2 ≤ 12 (a plan
with more than 10 stages is refused). For a set S of factors

    v(S) = Σ_{t<k} bookings(t)   of the forward run with the factors in S at their actual values,
                                 the others at the plan's (the plan's inflow: solved or given),

and the effect of factor g is its Shapley value

    φ_g = Σ_{S ⊆ F∖{g}} |S|!·(n − |S| − 1)!/n! · (v(S ∪ {g}) − v(S)),   Σ_g φ_g = v(F) − v(∅).

All 2^n runs are one batch of the engine (a row per subset). Bookings are wins × deal size and
the wins do not depend on the deal size, so only the 2^(n−1) subsets without ``deal_size`` are
simulated; the others are the same wins times the actual deal size.

**Re-forecast** (months k..H−1): the forward run from the actual state at the end of month k−1
(:class:`ActualState`: open stock per stage, pool, customers, MRR) with the plan's parameters
and inflow, or the actual parameters. **Recovery**: the plan's target less the actual to date
(a total target) or the remaining months' targets (a monthly one), solved as in section 4 from
that state.

Everything takes plain values (a parsed :class:`Scenario`, a dict, :class:`ActualState`), so a
page can feed actuals from the database: :func:`actual_scenario` builds the actual scenario from
plain numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ScenarioError
from .forward import simulate_wins
from .levers import build_levers
from .plan import Plan, run_plan, solve_inflow
from .scenario import Scenario, base, parse_scenario

MAX_BRIDGE_STAGES = 10
"""The bridge runs 2^(S + 2) forward runs: a plan with more stages is refused (spec section 9)."""
STAGE_PARAMS = ("conversion", "disqualify", "recycle")


def factor_names(scenario: Scenario) -> tuple[str, ...]:
    """The bridge's factors in the spec's order: inflow, rates:<stage> per non-terminal stage,
    lags, deal_size."""
    rates = tuple(f"rates:{k}" for k in scenario.stage_keys[:-1])
    return ("inflow", *rates, "lags", "deal_size")


def planned_inflow(plan: Scenario) -> np.ndarray:
    """The plan's own monthly inflow (H,): solved as in section 4 when it has a target, else its
    ``inflow``."""
    inflow, _ = solve_inflow(plan, build_levers(plan))
    return np.array(inflow, dtype=float)


def check_bridge(plan: Scenario, actual: Scenario, months: int) -> None:
    """The bridge's own conditions (section 9): at most 10 stages, the same stage keys in the
    same order, 1 ≤ months ≤ H, and an actual inflow for at least ``months`` months."""
    S = len(plan.stages)
    if S > MAX_BRIDGE_STAGES:
        raise ScenarioError(
            "stages",
            f"the variance bridge takes at most {MAX_BRIDGE_STAGES} stages; the plan has {S}",
            code="bridge_too_many_stages",
            params={"count": S, "high": MAX_BRIDGE_STAGES},
        )
    _check_stage_keys(plan, actual)
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= plan.months:
        raise ScenarioError(
            "--months",
            f"the months passed must be a whole number from 1 to the plan's {plan.months}, "
            f"got {months}",
            code="bridge_months",
            params={"value": months, "low": 1, "high": plan.months},
        )
    have = len(actual.inflow_base())
    if have < months:
        raise ScenarioError(
            "inflow",
            f"the actual inflow lists {have} months; the bridge over {months} months needs "
            f"at least {months}",
            code="bridge_inflow_short",
            params={"got": have, "expected": months},
        )


def _check_stage_keys(plan: Scenario, actual: Scenario) -> None:
    if actual.stage_keys != plan.stage_keys:
        raise ScenarioError(
            "stages",
            "the actual scenario must have the plan's stage keys in the plan's order "
            f"({', '.join(plan.stage_keys)}); it has {', '.join(actual.stage_keys)}",
            code="bridge_stage_keys",
            params={"stages": list(plan.stage_keys), "got": list(actual.stage_keys)},
        )


def _actual_columns(actual: Scenario) -> dict[str, np.ndarray]:
    """The actual scenario's stage parameters at base, per non-terminal stage."""
    stages = actual.stages[:-1]
    return {
        name: np.array([float(base(getattr(s, name))) for s in stages])
        for name in (*STAGE_PARAMS, "lag")
    }


def subset_values(
    plan: Scenario, actual: Scenario, months: int, inflow: np.ndarray | None = None
) -> np.ndarray:
    """v(S) for every subset S of the factors, indexed by bitmask (bit i set: factor i of
    :func:`factor_names` at its actual value): (2^n,). ``inflow`` is the plan's monthly inflow
    (default :func:`planned_inflow`)."""
    check_bridge(plan, actual, months)
    k, N = months, len(plan.stages) - 1
    n = N + 3
    inflow = planned_inflow(plan) if inflow is None else np.asarray(inflow, dtype=float)
    B = 1 << (n - 1)  # every subset without deal_size
    lv = build_levers(plan, batch=B)
    masks = np.arange(B)
    lv.inflow = np.tile(inflow[:k], (B, 1))
    actual_inflow = np.asarray(actual.inflow_base()[:k], dtype=float)
    lv.inflow[(masks & 1) == 1] = actual_inflow
    cols = _actual_columns(actual)
    for s in range(N):
        rows = (masks >> (1 + s)) & 1 == 1
        for name in STAGE_PARAMS:
            getattr(lv, name)[rows, s] = cols[name][s]
    lv.lag[(masks >> (1 + N)) & 1 == 1] = cols["lag"]
    if lv.volume is not None:
        lv.volume = np.ascontiguousarray(lv.volume[:, :k])
    wins = simulate_wins(lv, k).sum(axis=1)
    plan_size, actual_size = float(base(plan.deal.size)), float(base(actual.deal.size))
    return np.concatenate([wins * plan_size, wins * actual_size])


def shapley(values: np.ndarray) -> np.ndarray:
    """The Shapley value of each of n factors from v(S) for all 2^n subsets (by bitmask):
    φ_g = Σ_{S ∌ g} |S|!·(n − |S| − 1)!/n! · (v(S ∪ {g}) − v(S)), each sum taken exactly
    rounded (math.fsum)."""
    values = np.asarray(values, dtype=float)
    n = int(values.shape[0]).bit_length() - 1
    masks = np.arange(1 << n)
    size = np.bitwise_count(masks)
    fact = [math.factorial(i) for i in range(n + 1)]
    weight = np.array([fact[s] * fact[n - s - 1] / fact[n] if s < n else 0.0 for s in range(n + 1)])
    out = np.empty(n)
    for g in range(n):
        without = masks[(masks >> g) & 1 == 0]
        terms = weight[size[without]] * (values[without | (1 << g)] - values[without])
        out[g] = math.fsum(terms.tolist())
    return out


@dataclass(frozen=True, eq=False)
class Bridge:
    """The variance bridge over months 0..k−1: ``plan`` = v(∅) (the plan's bookings to date),
    ``model`` = v(F) (the model run with every actual parameter), ``effects`` the Shapley effect
    of each of ``factors`` (they add up to model − plan), ``values`` v(S) by bitmask."""

    months: int
    factors: tuple[str, ...]
    plan: float
    model: float
    effects: tuple[float, ...]
    values: np.ndarray = field(repr=False)

    def effect(self, factor: str) -> float:
        return self.effects[self.factors.index(factor)]

    def residual(self, actual_bookings: float) -> float:
        """What the model with actual parameters does not explain: actual bookings to date −
        v(F) (timing within months, noise, definitions)."""
        return float(actual_bookings) - self.model

    def to_dict(self) -> dict[str, Any]:
        """Spec section 9's JSON: months, plan, model and the factors in order."""
        return {
            "months": self.months,
            "plan": self.plan,
            "model": self.model,
            "factors": [
                {"factor": f, "effect": e} for f, e in zip(self.factors, self.effects, strict=True)
            ],
        }


def bridge(
    plan: Scenario, actual: Scenario, months: int, inflow: np.ndarray | None = None
) -> Bridge:
    """Spec section 9's variance bridge of ``plan`` against ``actual`` over ``months`` months
    (``inflow``: the plan's monthly inflow if already solved; by default solved here)."""
    values = subset_values(plan, actual, months, inflow)
    effects = shapley(values)
    return Bridge(
        months=months,
        factors=factor_names(plan),
        plan=float(values[0]),
        model=float(values[-1]),
        effects=tuple(float(e) for e in effects),
        values=values,
    )


def actual_scenario(
    plan: Scenario,
    inflow: Sequence[float],
    stages: Mapping[str, Mapping[str, float]],
    deal_size: float,
) -> Scenario:
    """The actual scenario from plain numbers (e.g. section 7's estimates over months 0..k−1 from
    the database): ``inflow`` the actual arrivals into the first stage per month, ``stages`` per
    non-terminal stage key its conversion, disqualify, recycle and lag (a missing one: 0), and
    the mean booking per win. The plan's opening stock, pool and customers are kept (the bridge
    ignores them). Validated as any scenario (a rate outside [0, 1] names its field)."""
    data = plan.to_json()
    data.pop("target", None)
    data.pop("capacity", None)
    data.pop("costs", None)
    data["months"] = len(inflow)
    data["inflow"] = [float(x) for x in inflow]
    volume = data["recycle"]["volume"]
    if isinstance(volume, list):  # ignored by the bridge; one value a month to stay valid
        data["recycle"]["volume"] = (volume + volume[-1:] * len(inflow))[: len(inflow)]
    for st in data["stages"][:-1]:
        given = stages.get(st["key"], {})
        for name in (*STAGE_PARAMS, "lag"):
            st[name] = given.get(name, 0.0)
    data["deal"]["size"] = deal_size
    return parse_scenario(data)


# ----- the rest of the plan: re-forecast and recovery --------------------------------------------
@dataclass(frozen=True)
class ActualState:
    """Where the plan actually stands at the end of month k−1 (``months`` = k), from the data:
    open stock per non-terminal stage, the recycle pool, customers and MRR, and the actual wins,
    bookings and revenue summed over months 0..k−1."""

    months: int
    stock: Mapping[str, float] = field(default_factory=dict)
    pool: float = 0.0
    customers: float = 0.0
    mrr: float = 0.0
    wins: float = 0.0
    bookings: float = 0.0
    revenue: float = 0.0

    def to_date(self, metric: str) -> float:
        """The actual ``metric`` (wins, bookings or revenue) over months 0..k−1."""
        return float(getattr(self, metric))


def rest_scenario(
    plan: Scenario,
    state: ActualState,
    actual: Scenario | None = None,
    inflow: Sequence[float] | None = None,
    target: dict[str, Any] | None = None,
) -> Scenario:
    """The plan's months k..H−1 as a scenario of their own, starting from ``state``: its opening
    stock, pool, customers and MRR; the plan's parameters (or, given ``actual``, the actual
    scenario's rates, lags and deal size); the plan's inflow for those months (or ``inflow``,
    H − k numbers); monthly lists (recycle volume, planned heads) from month k on; ``target``
    (spec section 2's JSON) or none."""
    k, H = state.months, plan.months
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k < H:
        raise ScenarioError(
            "--months",
            f"the months passed must be a whole number from 1 to {H - 1} for the rest of the "
            f"plan, got {k}",
            code="bridge_months",
            params={"value": k, "low": 1, "high": H - 1},
        )
    rest = planned_inflow(plan)[k:] if inflow is None else np.asarray(inflow, dtype=float)
    data = plan.to_json()
    data["start"] = plan.month_labels[k]
    data["months"] = H - k
    data["inflow"] = [float(x) for x in rest]
    data["opening"] = {key: float(v) for key, v in state.stock.items()}
    data["recycle"]["opening"] = float(state.pool)
    if isinstance(data["recycle"]["volume"], list):
        data["recycle"]["volume"] = data["recycle"]["volume"][k:]
    data["customers"]["opening_count"] = float(state.customers)
    data["customers"]["opening_mrr"] = float(state.mrr)
    for spec in (data.get("capacity") or {}).values():
        if isinstance(spec["heads"], list):
            spec["heads"] = spec["heads"][k:]
    if actual is not None:
        given = actual.to_json()
        _check_stage_keys(plan, actual)
        for st, act in zip(data["stages"][:-1], given["stages"][:-1], strict=True):
            for name in (*STAGE_PARAMS, "lag"):
                st[name] = act[name]
        data["deal"]["size"] = given["deal"]["size"]
    data.pop("target", None)
    if target is not None:
        data["target"] = target
    return parse_scenario(data)


@dataclass(frozen=True)
class Reforecast:
    """The re-forecast of months k..H−1 (``rest``, a plan over those months) and the year's
    outlook: actual to date plus the re-forecast."""

    state: ActualState
    rest: Plan

    @property
    def outlook(self) -> dict[str, float]:
        """wins, bookings and revenue over the horizon: actual to date + the re-forecast."""
        totals = self.rest.totals
        return {m: self.state.to_date(m) + totals[m] for m in ("wins", "bookings", "revenue")}


def reforecast(
    plan: Scenario,
    state: ActualState,
    actual: Scenario | None = None,
    inflow: Sequence[float] | None = None,
) -> Reforecast:
    """Spec section 9's re-forecast: the forward run of months k..H−1 from the actual state with
    the plan's parameters and inflow (``actual``: the actual parameters instead; ``inflow``: a
    different inflow for those months)."""
    return Reforecast(state, run_plan(rest_scenario(plan, state, actual, inflow)))


def remaining_target(plan: Scenario, state: ActualState) -> dict[str, Any] | None:
    """The recovery's target (section 9): for a total target the plan's target less the actual
    to date (0 when already met), for a monthly target the months k..H−1; None without one."""
    target = plan.target
    if target is None:
        return None
    if target.total is not None:
        left = max(0.0, target.total - state.to_date(target.metric))
        return {"metric": target.metric, "total": left}
    return {"metric": target.metric, "monthly": list(target.monthly or ())[state.months :]}


def recovery(plan: Scenario, state: ActualState, actual: Scenario | None = None) -> Plan | None:
    """Spec section 9's recovery: the remaining target solved as in section 4 from the actual
    state (the inflow and each division's numbers for the rest of the year, ``Plan.
    responsibility``); with ``actual``, on the actual parameters. None for a plan without a
    target."""
    target = remaining_target(plan, state)
    if target is None:
        return None
    return run_plan(rest_scenario(plan, state, actual, target=target))


def chance_of_target(
    plan: Scenario,
    state: ActualState,
    actual: Scenario | None = None,
    draws: int = 2000,
    seed: int | None = 0,
) -> float | None:
    """With ranges, the Monte Carlo of the rest (section 6) with the plan's inflow: the share of
    draws in which actual to date plus the rest reaches the plan's target (its horizon total).
    None for a plan without a target; 1.0 when the actual to date already meets it."""
    from .uncertainty import monte_carlo

    target = plan.target
    if target is None:
        return None
    left = target.horizon_total - state.to_date(target.metric)
    if left <= 0:
        return 1.0
    goal = {"metric": target.metric, "total": left}
    scenario = rest_scenario(plan, state, actual, target=goal)
    rest = reforecast(plan, state, actual).rest
    mc = monte_carlo(scenario, draws=draws, seed=seed, plan=rest)
    return mc.confidence
