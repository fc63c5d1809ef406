"""The spec's algorithms written literally: a per-month, per-stage pure-Python loop.

Not used by the app. It is the oracle the vectorised engine is tested against (on random
scenarios, with hypothesis) and the baseline ``bench/bench_model.py`` compares speed with.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .errors import ScenarioError
from .levers import parameters
from .scenario import Scenario, base


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
