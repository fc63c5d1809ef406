"""Ranges, uncertainty and sensitivity (spec section 6).

* :func:`bands`: the plan with every ranged parameter at its pessimistic and its optimistic end,
  both re-solved (what the target then requires) and with the base plan's inflow (what the plan as
  set then delivers).
* :func:`monte_carlo`: every ranged parameter drawn independently from a triangular distribution
  (low, mode = base, high); the draws are the batch axis of one vectorised simulation. Percentiles
  of the monthly series and horizon totals with the planned inflow, of the required inflow (reverse
  mode), and two probabilities never to be confused (spec v2): the plan's confidence (the planned
  inflow meets the target) and the run-rate chance (the scenario's own inflow, today's run-rate,
  meets it); and the inflow needed for 80% and 90% confidence. With section 8's ``capacity``,
  each draw's workloads (its funnel with the planned inflow) staff each division at the draw's
  ``per_head`` (drawn where it is a range, in the same draws): :class:`TeamOutlook` per
  division, and the share of draws in which every team is enough at once (below).
* :func:`sensitivity`: the tornado. Each ranged parameter moved to its low and its high end (the
  division's committed range), each unranged rate, lag and the deal size by ±10%, all in one
  batch; ranked, with the bottleneck stage (or none standing out). ``step="point"`` keeps v1's
  view (rates ±1 percentage point) as a labelled alternative. A ranged ``per_head`` changes
  neither bookings nor the required inflow: its rows are apart (``tornado_capacity``,
  :class:`CapacityEffect`), the change of its division's joiners over the plan.

The Monte Carlo's ``to_dict()`` (``python -m model plan --draws N``) gains, when the scenario has
``capacity``::

    "capacity": {"<division>": {"joiners": {"p10": .., "p50": .., "p90": ..},
                                "team_enough": 0.72},
                 "all_teams_enough": 0.33}

``joiners``: percentiles over the draws of the division's joiners over the horizon, Σ_t J(t)
(fractional heads, as in section 8); ``team_enough``: the share of draws in which today's team
carries the workload, no joiner needed and never short (:func:`model.capacity.hires_needed`);
``all_teams_enough``: the share in which that holds for every division at once.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .capacity import hires_needed, workload
from .errors import ScenarioError
from .forward import simulate, simulate_wins
from .levers import AMOUNT, LAG, RATE, Levers, ParamRef, build_levers, parameters
from .limits import MAX_DRAWS
from .plan import Plan, project, run_plan
from .revenue import money
from .reverse import (
    INFEASIBLE_SLOPE,
    convolve,
    impulse_response,
    lead_time,
    solve_monthly,
    solve_total,
)
from .scenario import Range, Scenario, base

if TYPE_CHECKING:
    import pandas as pd

PERCENTILES = (10, 25, 50, 75, 90)
DEFAULT_DRAWS = 2000
CHUNK = 8192  # most draws simulated at once: bounds memory (about 100 MB at 120 months)
MIN_CHUNK = 1024  # fewer draws per chunk cost more in per-month numpy calls than they save
TEAM_CHUNK_SHARE = 4  # with teams, chunks of CHUNK / 4 draws: their run keeps every stage's flows
WORKERS = max(1, min(4, os.cpu_count() or 1))  # threads for the chunks of a large Monte Carlo
MEASURES = ("wins", "bookings", "revenue", "customers")


def triangular(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution (low, mode, high) at uniforms ``u``."""
    u = np.asarray(u, dtype=float)
    if high <= low:
        return np.full(u.shape, float(mode))
    span = high - low
    cut = (mode - low) / span
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1.0 - u) * span * (high - mode))
    return np.where(u < cut, left, right)


def ranged_parameters(scenario: Scenario) -> list[ParamRef]:
    """The parameters given as ``{low, base, high}``."""
    return [r for r in parameters(scenario) if r.ranged]


def per_head_ranges(scenario: Scenario) -> list[tuple[str, Range]]:
    """The divisions whose ``per_head`` is a range (spec section 8), in ``capacity`` order."""
    return [(d, c.per_head) for d, c in scenario.capacity or () if isinstance(c.per_head, Range)]


def per_head_path(division: str) -> str:
    """The JSON path of a division's ``per_head`` (``capacity.inside_sales.per_head``)."""
    return f"capacity.{division}.per_head"


def draw_levers(scenario: Scenario, draws: int, seed: int | None) -> tuple[Levers, dict]:
    """``draws`` rows of levers, each ranged parameter drawn from its triangular distribution;
    ``values`` maps each ranged parameter's path to its draws, a ranged ``per_head`` included
    (it is no lever of the funnel).

    The uniforms are taken parameter by parameter in :func:`parameters` order, then each ranged
    per_head in ``capacity`` order, so a seed gives the same draws whatever the chunking, and
    the funnel's draws do not depend on the teams."""
    lv = build_levers(scenario, batch=draws)
    rng = np.random.default_rng(seed)
    values: dict[str, np.ndarray] = {}
    for ref in ranged_parameters(scenario):
        v = ref.value
        assert isinstance(v, Range)
        x = triangular(rng.random(draws), v.low, v.base, v.high)
        lv.set(ref, x)
        values[ref.path] = x
    for division, r in per_head_ranges(scenario):
        values[per_head_path(division)] = triangular(rng.random(draws), r.low, r.base, r.high)
    return lv, values


# ----- bands ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Bands:
    """The base plan and its two ends.

    ``pessimistic``/``optimistic`` are re-solved at that end (for a target: the inflow it then
    requires; ``None`` with a reason in ``problems`` when the target cannot be reached there,
    and the error itself in ``failures``, beside the end it happened at, for a page to word it).
    ``planned_pessimistic``/``planned_optimistic`` keep the base plan's inflow.
    """

    base: Plan
    pessimistic: Plan | None
    optimistic: Plan | None
    planned_pessimistic: Plan
    planned_optimistic: Plan
    problems: tuple[str, ...] = ()
    failures: tuple[tuple[str, ScenarioError], ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Tidy (end, month, measure, value) of inflow, wins, bookings and revenue, where ``end``
        is base, pessimistic, optimistic, planned_pessimistic or planned_optimistic."""
        import pandas as pd

        frames = []
        ends = ("base", "pessimistic", "optimistic", "planned_pessimistic", "planned_optimistic")
        for end in ends:
            plan = getattr(self, end)
            if plan is None:
                continue
            for measure in ("inflow", "wins", "bookings", "revenue"):
                frames.append(
                    pd.DataFrame(
                        {
                            "end": end,
                            "month": list(plan.months),
                            "measure": measure,
                            "value": getattr(plan, measure),
                        }
                    )
                )
        return pd.concat(frames, ignore_index=True)


def bands(scenario: Scenario, plan: Plan | None = None) -> Bands:
    """Spec section 6's band: every ranged parameter at its pessimistic / optimistic end."""
    plan = plan if plan is not None else run_plan(scenario)
    ends: dict[str, Plan | None] = {}
    failures = []
    for end in ("pessimistic", "optimistic"):
        try:
            ends[end] = run_plan(scenario, pick=end)
        except ScenarioError as exc:
            ends[end] = None
            failures.append((end, exc))
    return Bands(
        base=plan,
        pessimistic=ends["pessimistic"],
        optimistic=ends["optimistic"],
        planned_pessimistic=project(scenario, plan.inflow, pick="pessimistic"),
        planned_optimistic=project(scenario, plan.inflow, pick="optimistic"),
        problems=tuple(f"{end}: {exc}" for end, exc in failures),
        failures=tuple(failures),
    )


# ----- Monte Carlo ---------------------------------------------------------------------------
TEAM_PERCENTILES = (10, 50, 90)  # the joiners' percentiles a Monte Carlo's dict reports


@dataclass(frozen=True, eq=False)
class TeamOutlook:
    """One division's team over the draws (spec sections 6 and 8): ``joiners`` the percentiles
    (PERCENTILES) of its joiners over the horizon, Σ_t J(t), and ``team_enough`` the share of
    draws in which today's team is enough (no joiner needed, never short)."""

    division: str
    joiners: np.ndarray
    team_enough: float

    def percentile(self, p: int) -> float:
        """The p-th percentile of the joiners over the horizon (``p`` in PERCENTILES)."""
        return float(self.joiners[PERCENTILES.index(p)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "joiners": {f"p{p}": self.percentile(p) for p in TEAM_PERCENTILES},
            "team_enough": self.team_enough,
        }


@dataclass(frozen=True, eq=False)
class MonteCarlo:
    """The distribution of a plan's outcomes over ``draws`` triangular draws.

    ``monthly[m]`` is (len(PERCENTILES), H), ``totals[m]`` is (len(PERCENTILES),) for the measures
    wins, bookings, revenue and customers (customers: the horizon's last month), all with the
    planned inflow (forward mode: the scenario's inflow, drawn where it is ranged);
    ``cumulative[m]`` (wins, bookings, revenue) the percentiles of the total to date at each
    month's end (the last month's are ``totals[m]``; not the sum of the monthly percentiles).

    In reverse mode ``required`` holds the percentiles of the required inflow per month (its sum
    over the horizon / H; ``required_monthly`` month by month; ``required_total`` the sum) over the
    feasible draws; ``infeasible`` counts the draws no inflow can meet. Two probabilities that
    must never be confused (spec section 6, v2):

    * ``confidence``, the plan's confidence: the share of draws whose target metric over the
      horizon, with the plan's (solved) inflow, reaches ``target_value``;
    * ``run_rate_chance``: the same share with the scenario's own ``inflow`` (today's run-rate,
      ``run_rate_inflow`` a month on average), ``None`` where the scenario has none (an inflow
      of 0 every month).

    ``inflow_for_confidence[p]`` (p = 80, 90) is the p-th percentile of the required inflow per
    month over all draws, an infeasible draw counting as infinite (``inf`` when more than
    100 − p percent of the draws cannot be met at all).

    With section 8's ``capacity``: ``capacity[division]`` (:class:`TeamOutlook`, in
    ``capacity`` order) and ``all_teams_enough``, the share of draws in which every team is
    enough at once (``None`` without capacity); ``samples`` keeps each draw's
    ``joiners.<division>`` and ``team_enough.<division>`` (1 or 0).
    """

    draws: int
    seed: int | None
    months: tuple[str, ...]
    ranged: tuple[str, ...]
    monthly: dict[str, np.ndarray]
    totals: dict[str, np.ndarray]
    samples: dict[str, np.ndarray] = field(repr=False)
    target_metric: str | None = None
    target_value: float | None = None  # what "met" compares against (see :func:`monte_carlo`)
    confidence: float | None = None
    run_rate_chance: float | None = None
    run_rate_inflow: float | None = None
    inflow_for_confidence: dict[int, float] | None = None
    required: np.ndarray | None = None
    required_monthly: np.ndarray | None = None
    infeasible: int = 0
    cumulative: dict[str, np.ndarray] = field(default_factory=dict)  # to date, by month
    capacity: dict[str, TeamOutlook] = field(default_factory=dict)
    all_teams_enough: float | None = None

    @property
    def required_total(self) -> np.ndarray | None:
        """Percentiles of the required inflow summed over the horizon (spec section 6)."""
        return None if self.required is None else self.required * len(self.months)

    def percentile(self, measure: str, p: int) -> float:
        """A horizon-total percentile (``p`` in PERCENTILES)."""
        return float(self.totals[measure][PERCENTILES.index(p)])

    def fan_frame(self, measure: str) -> pd.DataFrame:
        """One row per month: month, p10, p25, p50, p75, p90 (for a fan chart)."""
        import pandas as pd

        data: dict[str, Any] = {"month": list(self.months)}
        source = self.required_monthly if measure == "required_inflow" else self.monthly[measure]
        if source is None:
            raise KeyError(measure)
        for i, p in enumerate(PERCENTILES):
            data[f"p{p}"] = source[i]
        return pd.DataFrame(data)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "draws": self.draws,
            "seed": self.seed,
            "ranged": list(self.ranged),
            "percentiles": list(PERCENTILES),
            "totals": {m: v.tolist() for m, v in self.totals.items()},
            "monthly": {m: v.tolist() for m, v in self.monthly.items()},
            "target": self.target_value,
            "confidence": self.confidence,
            "run_rate_chance": self.run_rate_chance,
            "run_rate_inflow": self.run_rate_inflow,
            "infeasible": self.infeasible,
        }
        if self.required is not None:
            out["required_inflow"] = self.required.tolist()
        if self.inflow_for_confidence is not None:
            out["inflow_for_confidence"] = {
                str(p): (None if not np.isfinite(v) else v)
                for p, v in self.inflow_for_confidence.items()
            }
        if self.capacity:
            teams: dict[str, Any] = {d: o.to_dict() for d, o in self.capacity.items()}
            out["capacity"] = teams | {"all_teams_enough": self.all_teams_enough}
        return out


def _percentiles(x: np.ndarray, axis: int = 0, overwrite: bool = False) -> np.ndarray:
    """np.percentile(x, PERCENTILES, axis) (its default linear method), from one sort; with
    ``overwrite``, x is sorted in place."""
    if x.ndim == 2 and axis == 0:  # sort contiguous rows: much faster than a strided axis
        return _percentiles(np.ascontiguousarray(x.T), axis=1)
    if overwrite:
        x.sort(axis=axis)
        xs = x
    else:
        xs = np.sort(x, axis=axis)
    n = xs.shape[axis]
    out = []
    for p in PERCENTILES:
        pos = p / 100 * (n - 1)
        lo = int(np.floor(pos))
        hi = min(lo + 1, n - 1)
        a, b = np.take(xs, lo, axis=axis), np.take(xs, hi, axis=axis)
        out.append(a + (b - a) * (pos - lo))
    return np.array(out)  # (len(PERCENTILES), ...) whatever the axis


def _monthly_percentiles(monthly: dict[str, np.ndarray], workers: int) -> dict[str, np.ndarray]:
    """Percentiles of each (H, draws) series by month, sorting the series in place; numpy's
    sort releases the GIL, so the measures are sorted on ``workers`` threads."""
    if workers <= 1:
        return {m: _percentiles(v, axis=1, overwrite=True) for m, v in monthly.items()}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = pool.map(lambda v: _percentiles(v, axis=1, overwrite=True), monthly.values())
        return dict(zip(monthly, done, strict=True))


def _required(lv: Levers, H: int, target: Any) -> np.ndarray:
    """The required inflow per month of each row, NaN where no inflow reaches it: (B, 1) for a
    total target (the same every month), (B, H) for a monthly one."""
    if target.total is not None:
        inflow, _, slope = solve_total(lv, H, target.metric, target.total)
        return np.where(slope > INFEASIBLE_SLOPE, inflow, np.nan)[:, None]
    x, _, lead = solve_monthly(lv, H, target.metric, np.array(target.monthly), polish=False)
    return np.where((lead > INFEASIBLE_SLOPE)[:, None], x, np.nan)


def _linear_draws(
    lv: Levers, H: int, target: Any, inflow: np.ndarray, run_rate: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Rate mode: the wins with the planned ``inflow``, the required inflow (as
    :func:`_required`) and, with ``run_rate``, the wins with each row's own inflow (the
    scenario's), all from one impulse response per draw (the funnel is linear:
    wins = w_open + g ⋆ inflow)."""
    D = lead_time(lv)
    T2 = H + (int(D.max()) if target.monthly is not None else 0)
    w_open, g = impulse_response(lv, T2)
    wins = w_open[:, :H] + convolve(g[:, :H], inflow)
    own = w_open[:, :H] + _convolve_rows(g[:, :H], lv.inflow[:, :H]) if run_rate else None
    if target.monthly is not None:
        x, _, lead = solve_monthly(
            lv, H, target.metric, np.array(target.monthly), response=(w_open, g)
        )
        return wins, np.where((lead > INFEASIBLE_SLOPE)[:, None], x, np.nan), own
    if target.metric == "revenue":
        unit = np.cumsum(g, axis=1)  # the wins of one item per month
        bare = lv.take(slice(None))
        bare.opening_count = np.zeros(lv.batch)
        bare.opening_mrr = np.zeros(lv.batch)
        m0 = _metric(w_open, lv, target.metric).sum(axis=1)
        slope = _metric(unit, bare, target.metric).sum(axis=1)
    else:  # Σ_t Σ_{τ≤t} g(τ) = Σ_τ (H − τ)·g(τ): no series needed
        per_win = lv.size if target.metric == "bookings" else np.ones(lv.batch)
        m0 = w_open.sum(axis=1) * per_win
        slope = (g @ np.arange(H, 0, -1, dtype=float)) * per_win
    X = float(target.total)
    ok = slope > INFEASIBLE_SLOPE
    req = np.where(m0 >= X, 0.0, (X - m0) / np.where(ok, slope, 1.0))
    return wins, np.where(ok, req, np.nan)[:, None], own


def _convolve_rows(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y[b, t] = Σ_{τ≤t} g[b, t − τ]·x[b, τ]: each row's response to its own inflow. The same
    inflow in every row is one Toeplitz product; a constant inflow per row (a ranged number)
    scales the cumulated response."""
    if np.all(x == x[:1]):
        return convolve(g, x[0])
    if np.all(x == x[:, :1]):
        return x[:, :1] * np.cumsum(g, axis=1)
    return np.array([np.convolve(gb, xb)[: g.shape[1]] for gb, xb in zip(g, x, strict=True)])


def quantile_of_draws(x: np.ndarray, p: float) -> float:
    """The p-th percentile of ``x`` (numpy's default linear method), where ``x`` may hold
    ``inf`` (a draw no inflow meets): ``inf`` once the percentile reaches into them."""
    xs = np.sort(np.asarray(x, dtype=float))
    pos = p / 100 * (len(xs) - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, len(xs) - 1)
    a, b = xs[lo], xs[hi]
    if pos == lo or a == b:
        return float(a)
    if not np.isfinite(b):
        return float("inf")
    return float(a + (b - a) * (pos - lo))


CONFIDENCE_LEVELS = (80, 90)


def has_run_rate(scenario: Scenario) -> bool:
    """True when the scenario carries today's inflow (a range, or a number above 0 in some
    month): the scenario's ``inflow`` field, kept beside a target."""
    return isinstance(scenario.inflow, Range) or any(v > 0 for v in scenario.inflow_base())


def _metric(wins: np.ndarray, lv: Levers, metric: str) -> np.ndarray:
    if metric == "wins":
        return wins
    if metric == "bookings":
        return wins * lv.size[:, None]
    cash = money(wins, lv)
    return cash.bookings if metric == "bookings" else cash.revenue


def monte_carlo(
    scenario: Scenario,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = 0,
    plan: Plan | None = None,
    progress: Any = None,
) -> MonteCarlo:
    """Spec section 6's Monte Carlo.

    The planned inflow is the base plan's solved inflow in reverse mode; in forward mode each
    draw runs the scenario's inflow (drawn where it is ranged). A draw meets the target when its
    target metric summed over the horizon reaches the target: the total, or for a monthly target
    the sum of the monthly targets. ``confidence`` is the share of draws that meet it with the
    planned inflow, ``run_rate_chance`` with the scenario's own inflow (today's run-rate).
    ``progress(done, total)`` is called after each chunk of draws.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ScenarioError(
            "draws",
            f"must be between 1 and {MAX_DRAWS:,}, got {draws}",
            code="out_of_range",
            params={"value": draws, "low": 1, "high": MAX_DRAWS},
        )
    plan = plan if plan is not None else run_plan(scenario)
    H = scenario.months
    target = scenario.target
    lv_all, values = draw_levers(scenario, draws, seed)
    run_rate = target is not None and has_run_rate(scenario)
    caps = list(scenario.capacity or ())
    per_head = {
        d: values.get(per_head_path(d), np.full(draws, float(base(c.per_head)))) for d, c in caps
    }
    joiners = {d: np.empty(draws) for d, _ in caps}
    enough = {d: np.empty(draws, dtype=bool) for d, _ in caps}

    monthly = {m: np.empty((H, draws)) for m in MEASURES}  # time-major: sorts by month fast
    width = 1 if target is not None and target.total is not None else H
    required = np.full((draws, width), np.nan) if target is not None else None
    run_rate_total = np.empty(draws) if run_rate else None
    linear = scenario.recycle.volume is None and target is not None

    def run_chunk(rows: slice) -> None:
        lv = lv_all.take(rows)
        # forward mode: each draw's own (drawn) inflow; else the plan's
        planned = lv if target is None else lv.with_inflow(np.tile(plan.inflow, (lv.batch, 1)))
        # every stage's arrivals, for the teams' workloads (a full run only where there are teams)
        flows = simulate(planned, H) if caps else None
        own = None
        if linear:
            assert target is not None and required is not None
            wins, req, own = _linear_draws(lv, H, target, plan.inflow, run_rate)
            required[rows] = req
        elif flows is not None:
            wins = flows.wins
        else:
            wins = simulate_wins(planned, H)
        if not linear and target is not None:
            if required is not None:
                required[rows] = _required(lv, H, target)
            if run_rate:
                own = simulate_wins(lv, H)
        if own is not None and run_rate_total is not None and target is not None:
            run_rate_total[rows] = _metric(own, lv, target.metric).sum(axis=1)
        cash = money(wins, lv)
        monthly["wins"][:, rows] = wins.T
        monthly["bookings"][:, rows] = cash.bookings.T
        monthly["revenue"][:, rows] = cash.revenue.T
        monthly["customers"][:, rows] = cash.customers.T
        if flows is not None:
            keys = scenario.stage_keys
            for d, c in caps:
                load = workload(c, keys, flows.arrivals, cash.customers, lv.lag, lv.opening)
                joiners[d][rows], enough[d][rows] = hires_needed(c, load, per_head[d][rows])

    most = CHUNK // TEAM_CHUNK_SHARE if caps else CHUNK  # a full run keeps every stage's flows
    size = min(most, max(MIN_CHUNK, -(-draws // WORKERS)))  # one chunk per thread if it fits
    chunks = [slice(lo, min(draws, lo + size)) for lo in range(0, draws, size)]
    workers = min(WORKERS, len(chunks))
    if workers <= 1:
        for rows in chunks:
            run_chunk(rows)
            if progress is not None:
                progress(rows.stop, draws)
    else:
        # numpy releases the GIL in its loops, so chunks overlap on several cores; each chunk
        # writes its own columns. Progress is reported from the calling thread.
        done = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_chunk, rows) for rows in chunks]
            for fut, rows in zip(futures, chunks, strict=True):
                fut.result()
                done += rows.stop - rows.start
                if progress is not None:
                    progress(done, draws)

    totals = {m: monthly[m].sum(axis=0) for m in ("wins", "bookings", "revenue")}
    totals["customers"] = monthly["customers"][-1].copy()
    # to date, month by month (before the monthly series are sorted in place for percentiles)
    cumulative = {m: np.cumsum(monthly[m], axis=0) for m in ("wins", "bookings", "revenue")}
    samples: dict[str, np.ndarray] = dict(totals)
    confidence = chance = run_rate_inflow = None
    target_value = None
    need: dict[int, float] | None = None
    req_pct = req_monthly_pct = None
    infeasible = 0
    if target is not None and required is not None:
        target_value = float(target.horizon_total)  # the total, or the monthly targets' sum
        tol = 1e-9 * max(1.0, abs(target_value))
        got = samples["target_metric"] = totals[target.metric]
        confidence = float(np.mean(got >= target_value - tol))
        if run_rate_total is not None:
            samples["run_rate_metric"] = run_rate_total
            chance = float(np.mean(run_rate_total >= target_value - tol))
            run_rate_inflow = float(np.mean(scenario.inflow_base()))
        feasible = ~np.isnan(required[:, 0])
        infeasible = int((~feasible).sum())
        mean_required = required.mean(axis=1)
        samples["required_inflow"] = mean_required
        unreachable_as_inf = np.where(feasible, mean_required, np.inf)
        need = {p: quantile_of_draws(unreachable_as_inf, p) for p in CONFIDENCE_LEVELS}
        if feasible.any():
            req_pct = _percentiles(mean_required[feasible])
            req_monthly_pct = _percentiles(required[feasible], axis=0)
            req_monthly_pct = np.ascontiguousarray(
                np.broadcast_to(req_monthly_pct, (len(PERCENTILES), H))
            )
    outlook = {}
    for d, _ in caps:
        samples[f"joiners.{d}"] = joiners[d]
        samples[f"team_enough.{d}"] = enough[d].astype(float)
        outlook[d] = TeamOutlook(d, _percentiles(joiners[d]), float(np.mean(enough[d])))
    every = np.logical_and.reduce([enough[d] for d, _ in caps]) if caps else None
    return MonteCarlo(
        draws=draws,
        seed=seed,
        months=scenario.month_labels,
        ranged=tuple(r.path for r in ranged_parameters(scenario))
        + tuple(per_head_path(d) for d, _ in per_head_ranges(scenario)),
        monthly=_monthly_percentiles(monthly, WORKERS if draws >= MIN_CHUNK else 1),
        cumulative=_monthly_percentiles(cumulative, WORKERS if draws >= MIN_CHUNK else 1),
        totals={m: _percentiles(v) for m, v in totals.items()},
        samples=samples,
        target_metric=target.metric if target is not None else None,
        target_value=target_value,
        confidence=confidence,
        run_rate_chance=chance,
        run_rate_inflow=run_rate_inflow,
        inflow_for_confidence=need,
        required=req_pct,
        required_monthly=req_monthly_pct,
        infeasible=infeasible,
        capacity=outlook,
        all_teams_enough=None if every is None else float(np.mean(every)),
    )


# ----- sensitivity ---------------------------------------------------------------------------
RELATIVE_STEP = 0.10  # ±10% of an unranged rate, lag or deal size (spec v2)
RATE_STEP = 0.01  # ±1 percentage point: v1's view of the rates, kept as a labelled alternative
STANDS_OUT = 0.05  # the bottleneck must beat the second best by more than 5% of its worth
STEPS = ("range", "point")
WORSE_WHEN_HIGHER = {"disqualify", "lag", "expiry"}
RATE_CEILING = {"expansion_rate": 10.0}  # a rate's upper bound where it is not 1


@dataclass(frozen=True)
class Effect:
    """One parameter moved to ``down`` and to ``up``, all else at base.

    ``how`` says how the two values were chosen: ``range`` (the low and high end of the
    division's committed range), ``relative`` (±10% of an unranged value) or ``point`` (±1
    percentage point, the v1 view). ``bookings_*``/``revenue_*`` are the changes of the horizon
    totals with the planned inflow; ``inflow_*`` the change of the required inflow per month
    (reverse mode, else None; ``inf`` when the target becomes unreachable).
    """

    path: str
    name: str
    stage: str | None
    kind: str
    value: float
    down: float
    up: float
    bookings_down: float
    bookings_up: float
    revenue_down: float
    revenue_up: float
    inflow_down: float | None
    inflow_up: float | None
    how: str = "relative"

    @property
    def step_label(self) -> str:
        """``range``, ``±10%`` or ``±1pt`` (a page words ``range`` with the two ends)."""
        return {"range": "range", "point": "±1pt"}.get(self.how, "±10%")

    @property
    def improves_when_higher(self) -> bool:
        return self.name not in WORSE_WHEN_HIGHER

    def span(self, measure: str) -> float:
        lo, hi = getattr(self, f"{measure}_down"), getattr(self, f"{measure}_up")
        if lo is None or hi is None:
            return 0.0
        return float(max(abs(lo), abs(hi)))


@dataclass(frozen=True)
class Sensitivity:
    """Effects ranked by the larger absolute change: of the required inflow in reverse mode, of
    bookings in forward mode.

    ``worth[stage]`` is what each non-terminal stage's conversion is worth moved up (to its high
    end, or +10% unranged; +1 point in the ``point`` view): the rise in bookings (forward) or the
    fall in required inflow per month (reverse). ``bottleneck`` is the stage worth the most,
    ``None`` when no stage's conversion is worth anything or when no single stage stands out;
    then ``close`` lists the stages within 5% of the best (best first).

    ``tornado_capacity``: a row per division whose ``per_head`` is a range (the committed-range
    view only), ranked by the larger absolute change; apart, since per_head moves no booking
    and no required inflow."""

    effects: tuple[Effect, ...]
    ranked_by: str  # "inflow" or "bookings"
    bottleneck: str | None
    base_bookings: float
    base_inflow: float | None
    step: str = "range"
    worth: dict[str, float] = field(default_factory=dict)
    close: tuple[str, ...] = ()

    tornado_capacity: tuple[CapacityEffect, ...] = ()

    def effect(self, path: str) -> Effect:
        return next(e for e in self.effects if e.path == path)

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([e.__dict__ | {"step": e.step_label} for e in self.effects])


@dataclass(frozen=True)
class CapacityEffect:
    """A division's ranged ``per_head`` moved to its low end (``down``) and its high end
    (``up``), all else at base: ``joiners`` the division's joiners over the horizon at base
    (Σ_t J(t) on the plan's flows), ``joiners_down``/``joiners_up`` their change."""

    division: str
    path: str
    value: float
    down: float
    up: float
    joiners: float
    joiners_down: float
    joiners_up: float

    @property
    def span(self) -> float:
        return max(abs(self.joiners_down), abs(self.joiners_up))


def capacity_effects(scenario: Scenario, plan: Plan) -> tuple[CapacityEffect, ...]:
    """The tornado rows of the ranged ``per_head``s: each division's workload on the plan's flows
    (base values, the plan's inflow) staffed at per_head = base, low and high in one batch;
    ranked by the larger absolute change of its joiners over the horizon."""
    lv = build_levers(scenario)
    teams = dict(scenario.capacity or ())
    rows = []
    for d, r in per_head_ranges(scenario):
        cap = teams[d]
        load = workload(cap, scenario.stage_keys, plan.arrivals[None], plan.customers[None],
                        lv.lag, lv.opening)  # fmt: skip
        ends = np.array([r.base, r.low, r.high], dtype=float)
        total, _ = hires_needed(cap, np.repeat(load, 3, axis=0), ends)
        rows.append(
            CapacityEffect(
                division=d,
                path=per_head_path(d),
                value=float(r.base),
                down=float(r.low),
                up=float(r.high),
                joiners=float(total[0]),
                joiners_down=float(total[1] - total[0]),
                joiners_up=float(total[2] - total[0]),
            )
        )
    return tuple(sorted(rows, key=lambda e: (-e.span, e.path)))


def _room(scenario: Scenario, ref: ParamRef) -> float:
    """How high a rate may go with the others at base: 1 − the stage's other two rates for a
    stage rate (a conversion moved up is capped at 1 − disqualify − recycle), else its bound."""
    if ref.stage is not None:
        st = scenario.stage(ref.stage)
        others = [x for n, x in (("conversion", st.conversion), ("disqualify", st.disqualify),
                                 ("recycle", st.recycle)) if n != ref.name]  # fmt: skip
        return max(0.0, 1.0 - sum(float(base(x)) for x in others))
    return RATE_CEILING.get(ref.name, 1.0)


def _steps(scenario: Scenario, ref: ParamRef, step: str) -> tuple[float, float, float, str]:
    """(base, down, up, how) of one parameter (spec section 6)."""
    v = float(base(ref.value))
    if step == "range" and isinstance(ref.value, Range):
        return v, float(ref.value.low), float(ref.value.high), "range"
    if ref.kind == RATE:
        if step == "point":
            down, up, how = v - RATE_STEP, v + RATE_STEP, "point"
        else:
            down, up, how = v * (1 - RELATIVE_STEP), v * (1 + RELATIVE_STEP), "relative"
        return v, max(0.0, down), max(v, min(up, _room(scenario, ref))), how
    hi = 60.0 if ref.kind == LAG else np.inf
    return v, v * (1 - RELATIVE_STEP), min(hi, v * (1 + RELATIVE_STEP)), "relative"


def _moved(scenario: Scenario, ref: ParamRef, step: str) -> bool:
    """The parameters the tornado moves: every ranged one (in the range view), every rate, lag
    and the deal size; not the reactivation rate in volume mode (the volume is reactivated
    instead), nor the inflow when a target solves it."""
    if ref.name == "reactivation" and scenario.recycle.volume is not None:
        return False
    if ref.name == "inflow" and scenario.target is not None:
        return False
    if step == "range" and ref.ranged:
        return True
    return ref.kind in (RATE, LAG) or (ref.kind == AMOUNT and ref.name == "size")


def _bottleneck(worth: dict[str, float]) -> tuple[str | None, tuple[str, ...]]:
    """The stage worth the most, unless the second best is within 5% of it (then ``None`` and
    the stages that close), or no stage is worth anything."""
    ranked = sorted(worth.items(), key=lambda kv: -kv[1])
    if not ranked or not ranked[0][1] > 0:
        return None, ()
    best = ranked[0][1]
    close = tuple(k for k, w in ranked if best - w <= STANDS_OUT * best)
    if len(close) > 1:
        return None, close
    return ranked[0][0], ()


def sensitivity(scenario: Scenario, plan: Plan | None = None, step: str = "range") -> Sensitivity:
    """Spec section 6's tornado: each parameter moved on its own, the others at base.

    ``step="range"`` (v2): a ranged parameter to its low and its high end; an unranged rate by
    ±10% of its value (a raised rate capped at what its stage's other rates leave, none below
    0), an unranged lag or deal size by ±10%. ``step="point"`` (v1): rates ±1 percentage point,
    lags and the deal size ±10%, ranges ignored. Changes of horizon bookings with the planned
    inflow, and (reverse mode) of the required inflow per month; a ranged ``per_head``'s
    change of its division's joiners apart (:func:`capacity_effects`, range view only)."""
    if step not in STEPS:
        raise ValueError(f"step must be one of {STEPS}, got {step!r}")
    plan = plan if plan is not None else run_plan(scenario)
    H, target = scenario.months, scenario.target
    refs = [r for r in parameters(scenario) if _moved(scenario, r, step)]
    steps = [_steps(scenario, r, step) for r in refs]
    P = len(refs)
    lv = build_levers(scenario, batch=2 * P + 1)
    if target is not None:  # the plan's solved inflow; forward mode keeps each row's own
        lv = lv.with_inflow(np.tile(plan.inflow, (lv.batch, 1)))
    for i, (ref, (v, down, up, _)) in enumerate(zip(refs, steps, strict=True)):
        col = np.full(lv.batch, v)
        col[1 + 2 * i], col[2 + 2 * i] = down, up
        lv.set(ref, col)
    cash = money(simulate_wins(lv, H), lv)
    book = cash.bookings.sum(axis=1)
    rev = cash.revenue.sum(axis=1)
    inflow_delta = None
    if target is not None:
        if target.total is not None:
            req, _, slope = solve_total(lv, H, target.metric, target.total)
            req = np.where(slope > INFEASIBLE_SLOPE, req, np.inf)
        else:
            x, _, lead = solve_monthly(lv, H, target.metric, np.array(target.monthly))
            req = np.where(lead > INFEASIBLE_SLOPE, x.mean(axis=1), np.inf)
        inflow_delta = req - req[0]
    effects = []
    for i, (ref, (v, down, up, how)) in enumerate(zip(refs, steps, strict=True)):
        d, u = 1 + 2 * i, 2 + 2 * i
        effects.append(
            Effect(
                path=ref.path,
                name=ref.name,
                stage=ref.stage,
                kind=ref.kind,
                value=v,
                down=down,
                up=up,
                bookings_down=float(book[d] - book[0]),
                bookings_up=float(book[u] - book[0]),
                revenue_down=float(rev[d] - rev[0]),
                revenue_up=float(rev[u] - rev[0]),
                inflow_down=None if inflow_delta is None else float(inflow_delta[d]),
                inflow_up=None if inflow_delta is None else float(inflow_delta[u]),
                how=how,
            )
        )
    ranked_by = "inflow" if target is not None else "bookings"
    effects.sort(key=lambda e: (-e.span(ranked_by), e.path))
    conv = [e for e in effects if e.name == "conversion"]
    if ranked_by == "inflow":
        worth = {e.stage: -(e.inflow_up or 0.0) for e in conv}
    else:
        worth = {e.stage: e.bookings_up for e in conv}
    worth = {k: worth[k] for k in scenario.stage_keys[:-1] if k in worth}  # funnel order
    if step == "point":  # v1: the largest, however close the second
        best = max(worth.items(), key=lambda kv: kv[1], default=(None, 0.0))
        bottleneck, close = (best[0] if best[1] > 0 else None), ()
    else:
        bottleneck, close = _bottleneck(worth)
    return Sensitivity(
        effects=tuple(effects),
        ranked_by=ranked_by,
        bottleneck=bottleneck,
        base_bookings=float(book[0]),
        base_inflow=None if target is None else float(req[0]),
        step=step,
        worth=worth,
        close=close,
        tornado_capacity=capacity_effects(scenario, plan) if step == "range" else (),
    )
