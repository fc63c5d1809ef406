"""Reverse planning (spec section 4): the inflow that meets a target, for every row of a batch.

Total target: the same inflow I every month with M(I) = Σ_t metric(t) = X. In rate mode M is
affine, so I = (X − M(0)) / (M(1) − M(0)) from one batched simulation of the two probes. In volume
mode M is piecewise affine (the cap min(volume, P)); the affine step is refined by bracketed
regula falsi (Illinois) to a relative tolerance of 1e-10.

Monthly target: with D = Σ floor(lag_s), inflow(t) is the smallest value ≥ 0 that makes
wins(t + D) = target(t + D), month after month. In rate mode the funnel is linear and time
invariant, so wins = w_open + g ⋆ inflow, where w_open are the wins of the opening pipeline and pool
alone and g the wins caused by one item of inflow at t = 0 (both from one simulation of two
probes). Then, exactly as the spec's w0 and w1:

    w0(t) = w_open(t + D) + Σ_{τ<t} g(t + D − τ)·inflow(τ),     w1 − w0 = g(D),
    inflow(t) = max(0, (target(t + D) − w0(t)) / g(D)).

In volume mode, wins(t + D) is simulated as a function of inflow(t) and solved like the total.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .forward import PoolRun, _lean_cascade, _pool_response, _stages, simulate_wins
from .levers import Levers
from .revenue import money

INFEASIBLE_SLOPE = 1e-12
REL_TOL = 1e-10


def metric_series(lv: Levers, months: int, metric: str) -> np.ndarray:
    """The target metric (wins, bookings or revenue) per month, (B, T)."""
    wins = simulate_wins(lv, months)
    if metric == "wins":
        return wins
    m = money(wins, lv)
    return m.bookings if metric == "bookings" else m.revenue


def _probe(lv: Levers, months: int, inflows: list[np.ndarray]) -> Levers:
    """Each row of ``lv`` once per probe inflow (rows b·k .. b·k + k − 1)."""
    k = len(inflows)
    rep = lv.repeat(k, inflow=np.tile(np.stack(inflows), (lv.batch, 1)))
    return rep.extended(months) if rep.volume is not None else rep


def _linear_probe(lv: Levers, months: int, signal: np.ndarray) -> Levers:
    """Rate mode: row pairs (the scenario with no inflow, the bare response to ``signal``).

    The funnel is linear in rate mode, so metric(inflow) = metric(opening only) + response to the
    inflow alone. The second row of each pair has every opening stock, pool and customer base at
    zero: its metric is the slope itself, not a difference of two large numbers (which loses
    digits when little of the inflow reaches the target within the horizon)."""
    rep = _probe(lv, months, [np.zeros(months), signal])
    unit = np.arange(rep.batch) % 2 == 1
    for name in ("opening", "pool_opening", "opening_count", "opening_mrr"):
        arr = getattr(rep, name)
        arr[unit] = 0.0
    return rep


def _regula_falsi(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    X: np.ndarray,
    f0: np.ndarray,
    slope: np.ndarray,
) -> np.ndarray:
    """Smallest x ≥ 0 with f(x) = X for a continuous nondecreasing piecewise-affine f, per row.

    Starts from the affine step x = (X − f(0)) / slope, brackets the root, and refines with
    Illinois steps until |f(x) − X| ≤ 1e-10·max(|X|, 1). Rows with f(0) ≥ X get 0.

    ``f(x, rows)`` gets the boolean mask of the rows still searching; it may compute only those
    (the others' values are ignored), which saves most of the work once most rows are done.
    """

    def at(x: np.ndarray, rows: np.ndarray, old: np.ndarray) -> np.ndarray:
        return np.where(rows, f(x, rows), old)

    tol = REL_TOL * np.maximum(np.abs(X), 1.0)
    todo = f0 < X - tol
    x = np.where(todo, (X - f0) / np.where(slope > 0, slope, 1.0), 0.0)
    if not todo.any():
        return np.zeros_like(X)
    fx = at(x, todo, f0)
    done = ~todo | (np.abs(fx - X) <= tol)
    lo, flo = np.zeros_like(X), f0.copy()
    hi, fhi = x.copy(), fx.copy()
    under = ~done & (fx < X)
    lo, flo = np.where(under, x, lo), np.where(under, fx, flo)
    step = np.maximum(x, 1.0)
    unreachable = np.zeros(X.shape, dtype=bool)
    for _ in range(200):  # expand the bracket upward until f(hi) ≥ X
        grow = ~done & (fhi < X)
        if not grow.any():
            break
        lo, flo = np.where(grow, hi, lo), np.where(grow, fhi, flo)
        hi = np.where(grow, hi + step, hi)
        step = np.where(grow, step * 2, step)
        fhi = at(hi, grow, fhi)
        # f is nondecreasing and piecewise affine; a flat step past the last kink means it
        # has levelled off below X (new inflow only feeds a capped reactivation): no root
        flat = grow & (fhi < X) & (fhi - flo <= tol)
        unreachable |= flat
        done |= flat
    side = np.zeros(X.shape, dtype=np.int8)
    for _ in range(400):
        active = ~done
        if not active.any():
            break
        gap = fhi - flo
        xn = np.where(
            gap > 0, lo + (X - flo) * (hi - lo) / np.where(gap > 0, gap, 1.0), 0.5 * (lo + hi)
        )
        xn = np.clip(xn, lo, hi)
        fn = at(xn, active, X)
        hit = active & (np.abs(fn - X) <= tol)
        x = np.where(hit, xn, x)
        done |= hit
        up = active & ~hit & (fn < X)
        down = active & ~hit & (fn > X)
        # Illinois: halve the stale end's distance when the same end is kept twice
        fhi = np.where(up & (side == 1), X + 0.5 * (fhi - X), fhi)
        flo = np.where(down & (side == -1), X - 0.5 * (X - flo), flo)
        lo, flo = np.where(up, xn, lo), np.where(up, fn, flo)
        hi, fhi = np.where(down, xn, hi), np.where(down, fn, fhi)
        side = np.where(up, 1, np.where(down, -1, side)).astype(np.int8)
        small = active & ~hit & (hi - lo <= 1e-15 * np.maximum(hi, 1.0))
        x = np.where(small, hi, x)
        done |= small
    return np.where(unreachable, np.inf, np.where(done, x, hi))


def solve_total(
    lv: Levers, months: int, metric: str, total: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Constant monthly inflow I per row meeting Σ metric = total.

    Returns (I, M(0), slope M(1) − M(0)); rows whose slope ≤ 1e-12 are infeasible (I = inf).
    """
    zeros, ones = np.zeros(months), np.ones(months)
    if lv.volume is None:
        m = metric_series(_linear_probe(lv, months, ones), months, metric).sum(axis=1)
        m = m.reshape(lv.batch, 2)
        m0, slope = m[:, 0], m[:, 1]
    else:
        m = metric_series(_probe(lv, months, [zeros, ones]), months, metric).sum(axis=1)
        m = m.reshape(lv.batch, 2)
        m0, slope = m[:, 0], m[:, 1] - m[:, 0]
    X = np.full(lv.batch, float(total))
    infeasible = slope <= INFEASIBLE_SLOPE
    if lv.volume is None:
        inflow = np.where(m0 >= X, 0.0, (X - m0) / np.where(infeasible, 1.0, slope))
    else:

        def f(i: np.ndarray, rows: np.ndarray) -> np.ndarray:
            """Σ metric with inflow i, simulated for the masked rows only."""
            idx = np.flatnonzero(rows)
            sub = lv if idx.size == lv.batch else lv.take(idx)
            probe = sub.with_inflow(np.repeat(i[idx, None], months, axis=1))
            out = np.zeros(lv.batch)
            out[idx] = metric_series(probe, months, metric).sum(axis=1)
            return out

        inflow = _regula_falsi(f, X, m0, slope)
        inflow = np.where(m0 >= X, 0.0, inflow)
    return np.where(infeasible, np.inf, inflow), m0, slope


def lead_time(lv: Levers) -> np.ndarray:
    """D = Σ floor(lag_s) per row: the shortest time from inflow to a win."""
    return np.floor(lv.lag).sum(axis=1).astype(np.int64)


def impulse_response(lv: Levers, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Rate mode: (w_open, g), each (B, months): the wins of the opening pipeline and pool
    alone, and the wins caused by one item of inflow at t = 0. By linearity the wins of any inflow
    x are ``w_open + convolve(g, x)`` (inflow and recycle volumes past the levers' horizon
    repeat the last month's)."""
    impulse = np.zeros(months)
    impulse[0] = 1.0
    ext = lv.extended(months)
    w = simulate_wins(_linear_probe(ext, months, impulse), months).reshape(lv.batch, 2, months)
    return w[:, 0, :], w[:, 1, :]


def convolve(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y(t) = Σ_{τ≤t} g(t − τ)·x(τ) for every row of g (B, T) and one signal x (T,)."""
    T = g.shape[1]
    x = np.asarray(x, dtype=float)[:T]
    i = np.arange(T)
    d = i[None, :] - i[:, None]  # d[k, t] = t − k
    toeplitz = np.where(d >= 0, x[np.maximum(d, 0)], 0.0)  # toeplitz[k, t] = x(t − k)
    return g @ toeplitz


def solve_monthly(
    lv: Levers,
    months: int,
    metric: str,
    monthly: np.ndarray,
    response: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monthly inflow (B, H) meeting a monthly wins/bookings target from month D on.

    Returns (inflow, D, lead) where lead = g(D) = w1 − w0; rows with lead ≤ 1e-12 are infeasible
    (their inflow is inf). Targets and recycle volumes past the horizon repeat the last month's.
    In rate mode, ``response`` may pass :func:`impulse_response` over at least H + max(D)
    months, computed once for several uses.
    """
    H, B = months, lv.batch
    D = lead_time(lv)
    T2 = H + int(D.max())
    tgt = np.asarray(monthly, dtype=float)
    tgt = np.concatenate([tgt, np.repeat(tgt[-1:], T2 - H)])
    tgt = np.tile(tgt, (B, 1))
    if metric == "bookings":
        tgt = tgt / lv.size[:, None]
    idx = D[:, None] + np.arange(H)[None, :]
    tgt_s = np.take_along_axis(tgt, idx, axis=1)
    ext = lv.extended(T2)

    if lv.volume is None:
        w_open, g = response if response is not None else impulse_response(lv, T2)
        w_open_s = np.take_along_axis(w_open, idx, axis=1)
        g_s = np.take_along_axis(g, idx, axis=1)
        lead = g_s[:, 0]
        safe = np.where(lead > INFEASIBLE_SLOPE, lead, 1.0)
        x = np.zeros((B, H))
        for t in range(H):
            w0 = w_open_s[:, t] + np.einsum("bj,bj->b", g_s[:, t:0:-1], x[:, :t])
            x[:, t] = np.maximum(0.0, (tgt_s[:, t] - w0) / safe)
        return np.where((lead > INFEASIBLE_SLOPE)[:, None], x, np.inf), D, lead

    return _solve_monthly_volume(ext, H, D, tgt_s)


def _solve_monthly_volume(
    ext: Levers, H: int, D: np.ndarray, tgt_s: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Volume mode, month by month: inflow(t) is the smallest value meeting wins(t + D).

    Inflow(t) changes nothing before month t, and its own items' flows without the pool are
    inflow(t) times the funnel's impulse response. So the months before t are simulated once,
    as a resumable pool (:class:`PoolRun`) plus the accumulated pool-free wins and recycled flow,
    and each trial value runs the pool from month t to t + D only (instead of the whole
    simulation from month 0)."""
    B = ext.batch
    Dmax = int(D.max())
    T2 = H + Dmax
    each = np.arange(B)
    stages = _stages(ext)
    Wu = min(T2, sum(st.taps[-1][0] for st in stages) + 1)  # one item's flows end by then
    impulse = np.zeros((Wu, B))
    impulse[0] = 1.0
    win_u, rec_u = _lean_cascade(ext, stages, impulse, Wu, openings=False)
    win_acc, rec_acc = _lean_cascade(ext, stages, np.zeros((T2, B)), T2)  # the openings alone
    h, hw = _pool_response(ext, stages, T2)
    pool = PoolRun(ext, T2, h, hw)
    x = np.zeros((B, H))
    lead = np.zeros(B)
    for t in range(H):
        col = t + D

        def wins_at(
            v: np.ndarray, rows: np.ndarray | None = None, t: int = t, col: np.ndarray = col
        ) -> np.ndarray:
            trial = pool.copy()
            won = np.empty((Dmax + 1, B))
            for j in range(Dmax + 1):  # months t .. t + Dmax (< T2)
                won[j] = trial.step(rec_acc[t + j] + v * rec_u[j])[1][1]
            return win_acc[col, each] + v * win_u[D, each] + won[D, each]

        w0 = wins_at(np.zeros(B))
        slope = wins_at(np.ones(B)) - w0
        if t == 0:
            lead = slope
        x[:, t] = _regula_falsi(wins_at, tgt_s[:, t], w0, slope)
        reach = min(Wu, T2 - t)
        win_acc[t : t + reach] += x[:, t] * win_u[:reach]
        rec_acc[t : t + reach] += x[:, t] * rec_u[:reach]
        pool.step(rec_acc[t])
    return np.where((lead > INFEASIBLE_SLOPE)[:, None], x, np.inf), D, lead
