"""The spec's algorithms written literally: a per-month, per-stage pure-Python loop.

Not used by the app. It is the oracle the vectorised engine is tested against (on random
scenarios, with hypothesis) and the baseline ``bench/bench_model.py`` compares speed with.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .errors import ScenarioError
from .levers import parameters
from .scenario import Range, Scenario, base


def _values(
    scenario: Scenario, values: Mapping[str, float] | None, number: Callable = float
) -> dict[str, Any]:
    out = {r.path: float(base(r.value)) for r in parameters(scenario)}
    out.update(values or {})
    return {k: number(x) for k, x in out.items()}


def forward(
    scenario: Scenario,
    inflow: Sequence[float] | None = None,
    values: Mapping[str, float] | None = None,
    months: int | None = None,
    number: Callable = float,
    reactivate: bool = True,
) -> dict[str, list]:
    """Spec section 3, month by month. ``values`` overrides parameters by path; with
    ``reactivate=False`` nothing leaves the recycle pool (spec section 4's Y in volume mode).

    ``number=fractions.Fraction`` runs the funnel (not the revenue's fractional powers) in exact
    arithmetic: an oracle for cases where float cancellation blurs the loop itself."""
    v = _values(scenario, values, number)
    zero = number(0)
    H = months or scenario.months
    keys = scenario.stage_keys
    S = len(keys)
    if inflow is None:
        inflow = list(scenario.inflow_base())
    inflow = list(inflow) + [inflow[-1]] * (H - len(inflow))
    c = [v[f"stages[{k}].conversion"] for k in keys[:-1]]
    d = [v[f"stages[{k}].disqualify"] for k in keys[:-1]]
    rc = [v[f"stages[{k}].recycle"] for k in keys[:-1]]
    lag = [v[f"stages[{k}].lag"] for k in keys[:-1]]
    opening = [v[f"opening.{k}"] for k in keys[:-1]]
    reentry = scenario.reentry_index
    rho, expiry = v["recycle.reactivation"], v["recycle.expiry"]
    vol = scenario.recycle.volume
    if vol is None:
        volume = None
    elif isinstance(vol, tuple):
        volume = list(vol) + [vol[-1]] * (H - len(vol))
    else:
        volume = [v["recycle.volume"]] * H

    due = [[zero] * (H + 62) for _ in range(S - 1)]
    for s in range(S - 1):
        n = max(1, math.ceil(lag[s]))
        for u in range(n):
            due[s][u] += opening[s] / n
    arrivals = [[zero] * H for _ in range(S)]
    stock = [[zero] * H for _ in range(S - 1)]
    out = {
        name: [[zero] * H for _ in range(S - 1)]
        for name in ("converted", "disqualified", "recycled", "lost", "resolved")
    }
    P = v["recycle.opening"]
    balance, reactivated = [zero] * H, [zero] * H
    for t in range(H):
        R = rho * P if volume is None else min(volume[t], P)
        if not reactivate:
            R = zero
        P -= R
        reactivated[t] = R
        arrivals[0][t] += inflow[t]
        arrivals[reentry][t] += R
        recycled_total = zero
        for s in range(S - 1):
            a = arrivals[s][t]
            f = math.floor(lag[s])
            q = lag[s] - f
            due[s][t + f] += a * (1 - q)
            due[s][t + f + 1] += a * q
            r = due[s][t]
            out["resolved"][s][t] = r
            out["converted"][s][t] = c[s] * r
            out["disqualified"][s][t] = d[s] * r
            out["recycled"][s][t] = rc[s] * r
            out["lost"][s][t] = (1 - c[s] - d[s] - rc[s]) * r
            recycled_total += rc[s] * r
            arrivals[s + 1][t] += c[s] * r
            stock[s][t] = (stock[s][t - 1] if t else opening[s]) + a - r
        P = P * (1 - expiry) + recycled_total
        balance[t] = P

    wins = arrivals[S - 1]
    size = v["deal.size"]
    bookings = [w * size for w in wins]
    q = v["customers.renewal_rate"] ** (1 / 12)
    g = (1 + v["customers.expansion_rate"]) ** (1 / 12) - 1
    n0, m0 = v["customers.opening_count"], v["customers.opening_mrr"]
    if scenario.deal.revenue == "one_time":
        customers = [
            n0 * q**t + sum(wins[tau] * q ** (t - tau) for tau in range(t + 1)) for t in range(H)
        ]
        mrr = [0.0] * H
        revenue = list(bookings)
    else:
        k = scenario.deal.onboarding_months
        gq = q * (1 + g)
        mrr = [
            m0 * gq**t
            + sum(wins[tau] * size / 12 * gq ** (t - tau - k) for tau in range(t - k + 1))
            for t in range(H)
        ]
        customers = [
            n0 * q**t + sum(wins[tau] * q ** (t - tau - k) for tau in range(t - k + 1))
            for t in range(H)
        ]
        revenue = list(mrr)
    return {
        "inflow": inflow[:H], "arrivals": arrivals, "stock": stock, "wins": wins,
        "bookings": bookings, "mrr": mrr, "revenue": revenue, "customers": customers,
        "balance": balance, "reactivated": reactivated, **out,
    }  # fmt: skip


def metric_total(result: Mapping[str, list], metric: str) -> float:
    return float(sum(result[metric]))


def reverse_total(scenario: Scenario, values: Mapping[str, float] | None = None) -> float:
    """Spec section 4, total target, by the definition: bisect-free secant on M(I) (rate mode:
    exact from M(0) and M(1)); volume mode refines with bracketed secant steps."""
    target = scenario.target
    assert target is not None and target.total is not None
    H, X = scenario.months, target.total

    def M(i: float) -> float:
        return metric_total(forward(scenario, [i] * H, values), target.metric)

    m0, m1 = M(0.0), M(1.0)
    if m1 - m0 <= 1e-12:
        raise ScenarioError(
            "target", "infeasible", code="target_no_path", params={"metric": target.metric}
        )
    if m0 >= X:
        return 0.0
    i = (X - m0) / (m1 - m0)
    if scenario.recycle.volume is None:
        return i
    lo, hi = 0.0, max(i, 1.0)
    while M(hi) < X:
        if M(hi) - M(lo) <= 1e-10 * max(abs(X), 1.0) and lo > 0:
            raise ScenarioError(
                "target",
                "unreachable: the metric levels off below the target",
                code="target_levels_off",
                params={"metric": target.metric},
            )
        lo, hi = hi, hi * 2
    for _ in range(200):
        if abs(M(i) - X) <= 1e-10 * max(abs(X), 1.0):
            break
        mi = M(i)
        lo, hi = (i, hi) if mi < X else (lo, i)
        ml, mh = M(lo), M(hi)
        i = lo + (X - ml) * (hi - lo) / (mh - ml) if mh > ml else (lo + hi) / 2
    return i


def monthly_objective(
    scenario: Scenario,
    inflow: Sequence[float],
    values: Mapping[str, float] | None = None,
    number: Callable = float,
) -> Any:
    """Spec section 4's J for a monthly target, by its definition: wins from the forward loop over
    N = H + D months with ``inflow`` in months 0..H−1 and 0 after, targets (and a monthly
    recycle volume) past the horizon equal to the last month's, ȳ their mean over D..N−1, and
    x̄ = ȳ / Y with Y the wins over N months of one unit of inflow in month 0, no opening stock,
    an empty pool (reactivated at the scenario's rate in rate mode, not at all in volume mode).
    With ``number=Fraction`` J is exact."""
    target = scenario.target
    assert target is not None and target.monthly is not None
    v = _values(scenario, values, number)
    H = scenario.months
    D = sum(math.floor(v[f"stages[{k}].lag"]) for k in scenario.stage_keys[:-1])
    N = H + D
    div = v["deal.size"] if target.metric == "bookings" else number(1)
    y = [number(x) / div for x in target.monthly] + [number(target.monthly[-1]) / div] * D
    ybar = sum(y[D:N]) / H
    x = [number(i) for i in inflow] + [number(0)] * D
    wins = forward(scenario, x, values, N, number)["wins"]
    empty = {f"opening.{k}": 0 for k in scenario.stage_keys[:-1]} | {"recycle.opening": 0}
    unit = [number(1)] + [number(0)] * (N - 1)
    Y = sum(
        forward(scenario, unit, {**(values or {}), **empty}, N, number,
                reactivate=scenario.recycle.volume is None)["wins"]
    )  # fmt: skip
    xbar = ybar / Y
    fit = sum(((wins[t] - y[t]) / ybar) ** 2 for t in range(D, N))
    smooth = sum(((x[t] - x[t - 1]) / xbar) ** 2 for t in range(1, H))
    return fit + number(SMOOTHING_LAMBDA) * smooth


SMOOTHING_LAMBDA = "0.1"  # the spec's λ, exact as a Fraction


def reverse_monthly(scenario: Scenario, sweeps: int = 200_000) -> list[float]:
    """Spec section 4, monthly target in rate mode, by its definition: J is a quadratic in the
    inflow, so its gradient comes from H + 1 forward loops (the opening pipeline alone and one
    unit of inflow in each month), and the minimiser over x ≥ 0 is found by projected
    Gauss-Seidel (exact coordinate minimisation, clipped at 0) until no coordinate moves."""
    target = scenario.target
    assert target is not None and target.monthly is not None
    assert scenario.recycle.volume is None, "rate mode only: J is quadratic there"
    H = scenario.months
    v = _values(scenario, None)
    D = sum(math.floor(v[f"stages[{k}].lag"]) for k in scenario.stage_keys[:-1])
    N = H + D
    div = v["deal.size"] if target.metric == "bookings" else 1.0
    y = [x / div for x in target.monthly] + [target.monthly[-1] / div] * D
    ybar = sum(y[D:N]) / H
    base_ = forward(scenario, [0.0] * N, None, N)["wins"]
    cols = []
    for tau in range(H):
        x = [0.0] * N
        x[tau] = 1.0
        w = forward(scenario, x, None, N)["wins"]
        cols.append([w[t] - base_[t] for t in range(D, N)])
    empty = {f"opening.{k}": 0.0 for k in scenario.stage_keys[:-1]} | {"recycle.opening": 0.0}
    Y = sum(forward(scenario, [1.0] + [0.0] * (N - 1), empty, N)["wins"])
    if ybar <= 0:
        return [0.0] * H
    if Y <= 1e-12:
        raise ScenarioError("target", "infeasible", code="target_no_path_monthly", params={})
    xbar, lam = ybar / Y, float(SMOOTHING_LAMBDA)
    r = [(y[D + i] - base_[D + i]) / ybar for i in range(H)]
    A = [[cols[tau][i] / ybar * xbar for tau in range(H)] for i in range(H)]  # in z = x / x̄
    Q = [[sum(A[i][a] * A[i][b] for i in range(H)) for b in range(H)] for a in range(H)]
    for a in range(H):
        for b in (a - 1, a + 1):
            if 0 <= b < H:
                Q[a][b] -= lam
        Q[a][a] += lam * ((a > 0) + (a < H - 1))
    c = [sum(A[i][a] * r[i] for i in range(H)) for a in range(H)]
    z = [0.0] * H
    for _ in range(sweeps):
        moved = 0.0
        for a in range(H):
            rest = c[a] - sum(Q[a][b] * z[b] for b in range(H) if b != a)
            new = max(0.0, rest / Q[a][a])
            moved = max(moved, abs(new - z[a]))
            z[a] = new
        if moved <= 1e-15 * max(1.0, max(z)):
            break
    return [zi * xbar for zi in z]


# =================================================================================================
# Spec section 8: capacity, hiring and cost, literally
# =================================================================================================
def capacity(scenario: Scenario, inflow: Sequence[float] | None = None) -> dict[str, Any]:
    """Section 8's output (``capacity``, ``economics`` and, with a division in ``capacity``,
    ``ceiling``) for the forward run with ``inflow`` (the plan's; by default the scenario's own),
    month by month as the spec words it: J(t) in order over t with E_{<t}(u) summed term by term,
    effective and heads as sums over the joiners, and the ceiling from runs at constant inflows
    (rate mode: I = 0 and I = 1; volume mode: plain bisection)."""
    H = scenario.months
    run = forward(scenario, inflow)
    caps = list(scenario.capacity or ())
    staffing = {d: _staff(c, _workload(scenario, c, run), H) for d, c in caps}
    costs = scenario.costs
    reentry = scenario.reentry_index
    acq = []
    for t in range(H):
        x = 0.0
        if costs is not None:
            x += costs.per_inflow * run["inflow"][t] + costs.fixed_monthly
            for key, price in costs.per_arrival:
                s = scenario.stage_keys.index(key)
                new = run["arrivals"][s][t] - (run["reactivated"][t] if s == reentry else 0.0)
                x += price * new
        for d, _ in caps:
            if d != "customer_success":
                x += staffing[d]["cost"][t]
        acq.append(x)
    wins = sum(run["wins"])
    cac = _ratio(sum(acq), wins) if wins > 0 else None  # null without wins
    size = float(base(scenario.deal.size))
    payback = None
    if scenario.deal.revenue == "subscription" and cac is not None and size > 0:
        payback = _ratio(cac, size / 12)
    out: dict[str, Any] = {
        "capacity": staffing,
        "economics": {"acquisition_cost": acq, "cac": cac, "payback_months": payback},
    }
    if caps:
        out["ceiling"] = _ceiling(scenario, caps)
    return out


def _workload(
    scenario: Scenario,
    cap: Any,
    run: Mapping[str, list],
    values: Mapping[str, float] | None = None,
) -> list[float]:
    """W(t): customers(t), or the arrivals into / the end-of-month stock of the stage worked
    (its lag and opening stock from ``values`` where given, else the scenario's base)."""
    if cap.works == "customers":
        return list(run["customers"])
    s = scenario.stage_keys.index(cap.works)
    if cap.basis != "stock":
        return list(run["arrivals"][s])
    # the end-of-month stock as what section 3's schedule still holds after month t: the
    # opening stock's parts O/n due in months t+1..n−1, and each arrival's parts due after t
    # (run["stock"] is the same number as opening + arrivals − resolved, with that
    # difference's float noise where the stage is empty)
    key = scenario.stage_keys[s]
    v = _values(scenario, values)
    lag, opening = v[f"stages[{key}].lag"], v[f"opening.{key}"]
    f = math.floor(lag)
    q = lag - f
    n = max(1, math.ceil(lag))
    out = []
    for t in range(scenario.months):
        held = sum(opening / n for u in range(t + 1, n))
        for tau in range(t + 1):
            a = run["arrivals"][s][tau]
            held += (a * (1 - q) if tau + f > t else 0.0) + (a * q if tau + f + 1 > t else 0.0)
        out.append(held)
    return out


def _staff(cap: Any, W: list[float], H: int, per_head: float | None = None) -> dict[str, list]:
    P = float(base(cap.per_head)) if per_head is None else float(per_head)
    R = [W[t] / P for t in range(H)]
    a = 1 - (1 - cap.attrition) ** (1 / 12)
    ramp, hiring = cap.ramp_months, cap.hiring_months

    def Rx(t: int) -> float:
        return R[t] if t < H else R[H - 1]

    def p(k: int) -> float:
        return (k + 1) / (ramp + 1) if k < ramp else 1.0

    def B(u: int) -> float:
        if isinstance(cap.heads, tuple):
            return cap.heads[u] if u < H else cap.heads[H - 1] * (1 - a) ** (u - H + 1)
        return cap.heads * (1 - a) ** u

    J = [0.0] * H
    for t in range(hiring, H):
        u = t + ramp
        E = B(u) + sum(J[tau] * (1 - a) ** (u - tau) * p(u - tau) for tau in range(t))
        J[t] = max(0.0, (Rx(u) - E) / (1 - a) ** ramp)
    effective = [
        B(t) + sum(J[tau] * (1 - a) ** (t - tau) * p(t - tau) for tau in range(t + 1))
        for t in range(H)
    ]
    heads = [B(t) + sum(J[tau] * (1 - a) ** (t - tau) for tau in range(t + 1)) for t in range(H)]
    return {
        "workload": W,
        "required": R,
        "joiners": J,
        "requisitions": [J[t + hiring] if t + hiring < H else 0.0 for t in range(H)],
        "heads": heads,
        "effective": effective,
        "shortfall": [max(0.0, R[t] - effective[t]) for t in range(H)],
        "utilisation": [
            _ratio(W[t], effective[t] * P) if effective[t] != 0 else None for t in range(H)
        ],  # fmt: skip
        "cost": [h * cap.cost_per_head for h in heads],
    }


def _ratio(a: float, b: float) -> float | None:
    """a / b, or None where that is no finite number (b a denormal product that underflows)."""
    try:
        x = float(a) / float(b)
    except ZeroDivisionError:
        return None
    return x if math.isfinite(x) else None


def _ceiling(scenario: Scenario, caps: list) -> dict[str, Any]:
    """The capacity ceiling: C(t) = heads (a number: every month) or the list; pairs (division,
    month) where W(t; 0) > C·per_head are over_from_opening, the others must hold W(t; I) ≤
    C·per_head; ties within 1e-9 relative: the earliest month, then the first division."""
    H = scenario.months

    def W(i: float) -> list[list[float]]:
        run = forward(scenario, [i] * H)
        return [_workload(scenario, c, run) for _, c in caps]

    limit = [
        [(c.heads[t] if isinstance(c.heads, tuple) else c.heads) * float(base(c.per_head))
         for t in range(H)]
        for _, c in caps
    ]  # fmt: skip
    W0 = W(0.0)
    pairs = [(d, t) for d in range(len(caps)) for t in range(H)]
    over = [(d, t) for d, t in pairs if W0[d][t] > limit[d][t]]
    fits = [(d, t) for d, t in pairs if W0[d][t] <= limit[d][t]]
    result: dict[str, Any] = {"inflow": None, "bookings": None, "division": None, "month": None}
    if scenario.recycle.volume is None:
        W1 = W(1.0)
        values = {}
        for d, t in fits:
            slope = W1[d][t] - W0[d][t]
            if slope > 1e-12:
                values[(d, t)] = (limit[d][t] - W0[d][t]) / slope
        if not values:
            return {**result, "over_from_opening": _named(caps, over)}
        best = min(values.values())
        ties = [(t, d) for (d, t), v in values.items() if v <= best + 1e-9 * abs(best)]
    else:

        def feasible(i: float) -> bool:
            w = W(i)
            return all(w[d][t] <= limit[d][t] for d, t in fits)

        if not fits or feasible(1e15):
            return {**result, "over_from_opening": _named(caps, over)}
        lo, hi = 0.0, 1.0
        while feasible(hi):
            lo, hi = hi, hi * 2
        for _ in range(200):  # to 1e-10 relative (of 1 below an inflow of 1: I = 0 has none)
            if hi - lo <= 1e-10 * max(hi, 1.0):
                break
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if feasible(mid) else (lo, mid)
        best = lo
        w = W(lo + 1e-9 * max(lo, 1.0))  # the pairs within 1e-9 of the ceiling
        ties = [(t, d) for d, t in fits if w[d][t] > limit[d][t]]
    t, d = min(ties)
    bookings = sum(forward(scenario, [best] * H)["bookings"])
    return {
        "inflow": best,
        "bookings": bookings,
        "division": caps[d][0],
        "month": t,
        "over_from_opening": _named(caps, over),
    }


def _named(caps: list, pairs: list[tuple[int, int]]) -> list[dict[str, Any]]:
    return [{"division": caps[d][0], "month": t} for d, t in pairs]


def capacity_draws(
    scenario: Scenario,
    draws: int = 0,
    seed: int = 0,
    inflow: Sequence[float] | None = None,
    values: Sequence[Mapping[str, float]] | None = None,
) -> dict[str, dict[str, list]]:
    """Sections 6 and 8 together, one draw at a time: every ranged parameter (the funnel's and
    each division's ``per_head``, path ``capacity.<division>.per_head``) drawn from its
    triangular distribution by Python's own ``random.triangular`` (a sampler independent of the
    engine's), a drawn conversion capped at 1 − disqualify − recycle of the same draw; the
    forward loop with ``inflow`` (the plan's; by default each draw's own, the drawn one where the
    inflow is ranged); each division's workload and section 8's joiner loop with the drawn
    per_head. ``values``: given draws (one mapping of path -> value per draw, e.g. the
    engine's) instead of ``draws`` new ones.

    Returns, per division with capacity, ``joiners``: Σ_t J(t) of each draw, and ``enough``:
    whether today's team carries the draw's workload, no joiner needed and never short
    (Σ_t J(t) ≤ 1e-9 and every shortfall ≤ 1e-9)."""
    H = scenario.months
    caps = list(scenario.capacity or ())
    if values is None:
        rng = random.Random(seed)
        ranged = [(r.path, r.value) for r in parameters(scenario) if r.ranged]
        ranged += [(f"capacity.{d}.per_head", c.per_head) for d, c in caps]
        drawn: list[dict[str, float]] = []
        for _ in range(draws):
            v = {}
            for path, x in ranged:
                if isinstance(x, Range):
                    v[path] = x.base if x.high <= x.low else rng.triangular(x.low, x.high, x.base)
            drawn.append(v)
        values = drawn
    out: dict[str, dict[str, list]] = {d: {"joiners": [], "enough": []} for d, _ in caps}
    for given in values:
        v = _values(scenario, given)
        for key in scenario.stage_keys[:-1]:
            room = 1 - v[f"stages[{key}].disqualify"] - v[f"stages[{key}].recycle"]
            v[f"stages[{key}].conversion"] = min(v[f"stages[{key}].conversion"], room)
        own = inflow if inflow is not None or "inflow" not in given else [v["inflow"]] * H
        run = forward(scenario, own, v)
        for d, c in caps:
            per_head = v.get(f"capacity.{d}.per_head", float(base(c.per_head)))
            staffing = _staff(c, _workload(scenario, c, run, v), H, per_head)
            total = sum(staffing["joiners"])
            out[d]["joiners"].append(total)
            out[d]["enough"].append(total <= 1e-9 and max(staffing["shortfall"]) <= 1e-9)
    return out


# =================================================================================================
# Spec section 9: the variance bridge, literally
# =================================================================================================
def bridge(
    plan: Scenario,
    actual: Scenario,
    months: int,
    inflow: Sequence[float] | None = None,
) -> dict[str, Any]:
    """Section 9's bridge by its definition: v(S) = bookings over months 0..k−1 of the forward
    loop with the factors in S at the actual scenario's values and the others at the plan's, for
    every subset S; φ_g by the Shapley sum over the subsets of F∖{g}. ``inflow`` is the plan's
    monthly inflow (by default its own, or section 4's for a total target; a monthly target's
    must be given)."""
    keys = plan.stage_keys
    k = months
    if inflow is None:
        target = plan.target
        if target is None:
            inflow = list(plan.inflow_base())
        else:
            assert target.total is not None, "pass a monthly target's inflow"
            inflow = [reverse_total(plan)] * plan.months
    own = list(actual.inflow_base())
    act = _values(actual, None)
    factors = ["inflow", *(f"rates:{key}" for key in keys[:-1]), "lags", "deal_size"]
    n = len(factors)
    cache: dict[frozenset[str], float] = {}

    def v(subset: frozenset[str]) -> float:
        if subset not in cache:
            x = own[:k] if "inflow" in subset else list(inflow[:k])
            values: dict[str, float] = {}
            for key in keys[:-1]:
                if f"rates:{key}" in subset:
                    for name in ("conversion", "disqualify", "recycle"):
                        values[f"stages[{key}].{name}"] = act[f"stages[{key}].{name}"]
                if "lags" in subset:
                    values[f"stages[{key}].lag"] = act[f"stages[{key}].lag"]
            if "deal_size" in subset:
                values["deal.size"] = act["deal.size"]
            cache[subset] = sum(forward(plan, x, values, k)["bookings"])
        return cache[subset]

    effects = []
    for g in factors:
        others = [f for f in factors if f != g]
        phi = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for subset in itertools.combinations(others, size):
                s = frozenset(subset)
                phi += weight * (v(s | {g}) - v(s))
        effects.append({"factor": g, "effect": phi})
    return {
        "months": k,
        "plan": v(frozenset()),
        "model": v(frozenset(factors)),
        "factors": effects,
    }
