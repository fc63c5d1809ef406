"""Reverse planning (spec section 4): the inflow that meets a target, for every row of a batch.

Total target: the same inflow I every month with M(I) = Σ_t metric(t) = X. In rate mode M is
affine, so I = (X − M(0)) / (M(1) − M(0)) from one batched simulation of the two probes. In volume
mode M is piecewise affine (the cap min(volume, P)); the affine step is refined by bracketed
regula falsi (Illinois) to a relative tolerance of 1e-10.

Monthly target (v2): the inflow x ≥ 0 minimising

    J(x) = Σ_{t=D}^{N−1} ((wins(t) − y(t)) / ȳ)² + λ Σ_t ((x(t) − x(t−1)) / x̄)²,   λ = 0.1.

In rate mode the funnel is linear and time invariant, wins = w_open + g ⋆ x (w_open the wins of
the opening pipeline and pool alone, g the wins of one item of inflow at t = 0, both from one
simulation of two probes), so J is a strictly convex quadratic: its unique minimiser over x ≥ 0
is found exactly by an active-set method on the normal equations, batched over rows. In volume
mode wins are piecewise affine in x; a local method (Gauss-Newton on the current piece, with a
line search on the true J) starts from the minimiser with the reactivations of the zero-inflow
run held fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .forward import _lean_cascade, _pool_response, _stages, simulate, simulate_wins
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


# ----- monthly target (spec section 4, v2): one regularised nonnegative least-squares problem -----
SMOOTHING = 0.1  # λ of the spec's J
MAX_PDAS = 40  # primal-dual active-set iterations before a row falls back to the primal method
MAX_GAUSS_NEWTON = 60  # volume mode: outer iterations of the local method
TINY = 1e-100  # a mean target or x̄ below this is no number to search with
POLISH_ROUNDS = 6  # volume mode: Gauss-Newton and the coordinate polish, alternated


@dataclass
class MonthlyProblem:
    """The pieces of J for every batch row (spec section 4).

    Window months t = D..N−1 (N = H + D) are H rows per batch row: ``target`` (B, H) the target
    wins there, ``ybar`` their mean, ``Y`` the total wins of one unit of inflow over N months and
    ``xbar = ybar / Y``. In the scaled variable z = x / xbar, J(x) = |A z − r|² + λ|L z|² with
    A = G / Y (G the window rows of the funnel's response to each month's inflow) and
    r = (target − wins of the opening pipeline) / ybar."""

    D: np.ndarray  # (B,)
    target: np.ndarray  # (B, H) target wins over the window
    ybar: np.ndarray  # (B,)
    Y: np.ndarray  # (B,)

    @property
    def xbar(self) -> np.ndarray:
        return self.ybar / np.where(self.Y > 0, self.Y, 1.0)


def _window(H: int, D: np.ndarray) -> np.ndarray:
    """Column indices of the window months D..D+H−1 per row: (B, H)."""
    return D[:, None] + np.arange(H)[None, :]


def monthly_targets(lv: Levers, H: int, metric: str, monthly: np.ndarray) -> tuple[np.ndarray, int]:
    """Target wins per month (B, H + max D): the monthly targets, the last one continued past the
    horizon, a bookings target divided by the deal size."""
    D = lead_time(lv)
    T2 = H + int(D.max())
    tgt = np.asarray(monthly, dtype=float)
    tgt = np.concatenate([tgt, np.repeat(tgt[-1:], T2 - H)])
    tgt = np.tile(tgt, (lv.batch, 1))
    if metric == "bookings":
        with np.errstate(divide="ignore", invalid="ignore"):
            tgt = tgt / lv.size[:, None]
    return tgt, T2


def objective(problem: MonthlyProblem, wins: np.ndarray, x: np.ndarray) -> np.ndarray:
    """J per row for window wins (B, H) and inflow x (B, H)."""
    ybar = np.where(problem.ybar > 0, problem.ybar, 1.0)
    xbar = np.where(problem.xbar > 0, problem.xbar, 1.0)
    with np.errstate(over="ignore"):  # a target of 1e-200 wins: J is inf in floats, as defined
        fit = (((wins - problem.target) / ybar[:, None]) ** 2).sum(axis=1)
        smooth = ((np.diff(x, axis=1) / xbar[:, None]) ** 2).sum(axis=1)
        return fit + SMOOTHING * smooth


def _smoothing_matrix(H: int) -> np.ndarray:
    """λ·LᵀL for the first differences L (H − 1, H)."""
    L = np.diff(np.eye(H), axis=0)
    return SMOOTHING * (L.T @ L)


def _toeplitz_window(g: np.ndarray, D: np.ndarray, H: int) -> np.ndarray:
    """G (B, H, H): G[b, i, τ] = g[b, D_b + i − τ] (0 where negative): the window month
    D + i's wins per unit of inflow in month τ."""
    k = D[:, None, None] + np.arange(H)[None, :, None] - np.arange(H)[None, None, :]
    vals = np.take_along_axis(g, np.clip(k, 0, g.shape[1] - 1).reshape(g.shape[0], -1), axis=1)
    return np.where(k >= 0, vals.reshape(k.shape), 0.0)


def nonnegative_quadratic(Q: np.ndarray, c: np.ndarray) -> np.ndarray:
    """argmin ½ zᵀQz − cᵀz over z ≥ 0, for every row: Q (B, n, n) symmetric positive definite,
    c (B, n). Exact: the primal-dual active-set method (each step solves the free variables'
    equations), batched; a row that has not settled after MAX_PDAS steps is finished by the
    primal active-set method (finite). The free variables' solve gets one refinement step."""
    B, n = c.shape
    active = np.zeros((B, n), dtype=bool)
    z = _solve_free(Q, c, active)
    todo = np.ones(B, dtype=bool)
    for _ in range(MAX_PDAS):
        mu = np.einsum("bij,bj->bi", Q, z) - c  # the gradient: the multipliers on the active set
        mu[~active] = 0.0
        new = (mu - z) > 0  # spec: z = 0 where the multiplier is positive
        changed = (new != active).any(axis=1) & todo
        todo = changed
        if not todo.any():
            break
        active[todo] = new[todo]
        idx = np.flatnonzero(todo)
        z[idx] = _solve_free(Q[idx], c[idx], active[idx])
    scale = np.maximum(np.abs(c).max(axis=1), 1.0)
    grad = np.einsum("bij,bj->bi", Q, z) - c
    bad = (z < 0).any(axis=1) | (grad < -1e-9 * scale[:, None]).any(axis=1) | todo
    for b in np.flatnonzero(bad):
        z[b] = _primal_active_set(Q[b], c[b], np.maximum(z[b], 0.0))
    return np.maximum(z, 0.0)


REFINE_UP_TO = 64  # batches up to this size (a plan, a tornado) get one refinement step


def _solve_free(Q: np.ndarray, c: np.ndarray, active: np.ndarray) -> np.ndarray:
    """z with z = 0 on ``active`` and (Qz)_i = c_i on the rest, per row, with one refinement
    step for small batches (REFINE_UP_TO). Cholesky factors (numpy's batched LAPACK) and
    substitution written as n vectorised steps over the batch: numpy's batched ``solve`` (LU)
    took ten times as long here, whose OpenBLAS threads contend with the Monte Carlo's own."""
    keep = ~active
    if active.any():
        M = np.where(keep[:, :, None] & keep[:, None, :], Q, 0.0)
        di = np.arange(Q.shape[1])
        M[:, di, di] = np.where(keep, M[:, di, di], 1.0)
        rhs = np.where(keep, c, 0.0)
    else:
        M, rhs = Q, c
    try:
        L = np.linalg.cholesky(M)
    except np.linalg.LinAlgError:  # a degenerate row (no month reaches any win, H = 1): the
        inverse = np.linalg.pinv(M)  # least-norm solution; batched, so every row takes it
        z = np.einsum("bij,bj->bi", inverse, rhs)
        return z + np.einsum("bij,bj->bi", inverse, rhs - np.einsum("bij,bj->bi", M, z))
    z = _cholesky_solve(L, rhs)
    if M.shape[0] > REFINE_UP_TO:  # a Monte Carlo's draws: percentiles need no 1e-12
        return z
    return z + _cholesky_solve(L, rhs - np.einsum("bij,bj->bi", M, z))


def _cholesky_solve(L: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x with L Lᵀ x = b for every row: forward then backward substitution, vectorised over
    the batch (B, n, n) and (B, n)."""
    n = b.shape[1]
    y = np.empty_like(b)
    for i in range(n):
        y[:, i] = (b[:, i] - np.einsum("bj,bj->b", L[:, i, :i], y[:, :i])) / L[:, i, i]
    x = np.empty_like(b)
    for i in range(n - 1, -1, -1):
        x[:, i] = (y[:, i] - np.einsum("bj,bj->b", L[:, i + 1 :, i], x[:, i + 1 :])) / L[:, i, i]
    return x


def _primal_active_set(Q: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """One row, the primal active-set method from a feasible z: exact in finitely many steps."""
    n = c.shape[0]
    W = z <= 0
    z = np.where(W, 0.0, z)
    tol = 1e-12 * max(float(np.abs(c).max()), 1.0)
    for _ in range(10 * n + 100):
        F = ~W
        target = np.zeros(n)
        if F.any():
            target[F] = np.linalg.solve(Q[np.ix_(F, F)], c[F])
        p = target - z
        if np.abs(p).max() <= 1e-14 * max(float(np.abs(z).max()), 1.0):
            mu = Q @ z - c
            if not W.any() or mu[W].min() >= -tol:
                return z
            j = np.flatnonzero(W)[int(np.argmin(mu[W]))]
            W[j] = False
            continue
        neg = F & (p < 0)
        alpha, block = 1.0, -1
        if neg.any():
            ratios = -z[neg] / p[neg]
            k = int(np.argmin(ratios))
            if ratios[k] < 1.0:
                alpha, block = float(ratios[k]), int(np.flatnonzero(neg)[k])
        z = z + alpha * p
        if block >= 0:
            z[block] = 0.0
            W[block] = True
    return z


def _rate_problem(
    lv: Levers, H: int, tgt: np.ndarray, w_open: np.ndarray, g: np.ndarray
) -> tuple[MonthlyProblem, np.ndarray, np.ndarray]:
    """The problem, G (as :class:`Toeplitz`) and the opening pipeline's window wins (B, H)."""
    D = lead_time(lv)
    idx = _window(H, D)
    target = np.take_along_axis(tgt, idx, axis=1)
    N = H + D
    Y = np.where(np.arange(g.shape[1])[None, :] < N[:, None], g, 0.0).sum(axis=1)
    problem = MonthlyProblem(D=D, target=target, ybar=target.mean(axis=1), Y=Y)
    return problem, Toeplitz(g, D, H), np.take_along_axis(w_open, idx, axis=1)


@dataclass
class Toeplitz:
    """Rate mode's G without building it: G[b, i, τ] = g[b, D_b + i − τ] (0 below zero delay).

    Its normal equations come from the response's lagged products: with
    C_k(m) = Σ_{j ≤ m} g(j)·g(j − k), (GᵀG)[τ, τ + k] = C_k(D + H − 1 − τ) − C_k(D − τ − 1),
    which costs B·H·T instead of GᵀG's B·H³."""

    g: np.ndarray  # (B, T) with T ≥ H + max D
    D: np.ndarray  # (B,)
    H: int

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.g.shape[0], self.H, self.H)

    def normal_equations(
        self, rows: np.ndarray, r: np.ndarray, Y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(AᵀA, Aᵀr) for A = G / Y on ``rows``."""
        g = self.g[rows] / Y[:, None]
        D, H = self.D[rows], self.H
        B, T = g.shape
        Q, c = np.empty((B, H, H)), np.empty((B, H))
        padded = np.concatenate([np.zeros((B, H + 1)), g], axis=1)  # no negative delay index
        for d in np.unique(D):  # rows with one lead time share their slices
            rows_d = np.flatnonzero(D == d)
            every = rows_d.size == B
            gd = g if every else g[rows_d]
            Qd = Q if every else np.empty((rows_d.size, H, H))
            diag = Qd.reshape(rows_d.size, H * H)
            for k in range(H):
                # C_k(m) = Σ_{j ≤ m} g(j)·g(j − k) at m + 1 = index into a zero-led cumsum
                C = np.zeros((rows_d.size, T + 1))
                np.cumsum(gd[:, k:] * gd[:, : T - k], axis=1, out=C[:, k + 1 :])
                tau = np.arange(H - k)
                hi = np.minimum(d + H - tau, T)  # C_k(D + H − 1 − τ)
                lo = np.clip(d - tau, 0, T)  # C_k(D − τ − 1)
                vals = C[:, hi] - C[:, lo]
                diag[:, k : H * (H - k) : H + 1] = vals  # Q[τ, τ + k]
                diag[:, k * H : H * H : H + 1] = vals  # Q[τ + k, τ]
            if not every:
                Q[rows_d] = Qd
            # c[τ] = Σ_i g(D + i − τ)·r(i): a window of the padded response per τ
            pd_ = padded if every else padded[rows_d]
            rd = r if every else r[rows_d]
            for t in range(H):
                start = H + 1 + d - t
                c[rows_d, t] = np.einsum("bi,bi->b", pd_[:, start : start + H], rd)
        return Q, c


def _least_squares(
    problem: MonthlyProblem,
    G: np.ndarray | Toeplitz,
    base: np.ndarray,
    fixed: np.ndarray | None = None,
    at: np.ndarray | None = None,
) -> np.ndarray:
    """The x ≥ 0 minimising J when the window wins are ``base + G x`` (B, H); with ``fixed``
    (B, H) those months' inflow stays at ``at``'s."""
    H = G.shape[1]
    ok = (problem.ybar > 0) & (problem.Y > INFEASIBLE_SLOPE)
    x = np.zeros(base.shape)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return x
    with np.errstate(over="ignore", invalid="ignore"):  # ȳ of 1e-311 wins: beyond a float
        r = (problem.target[idx] - base[idx]) / problem.ybar[idx, None]
    finite = np.isfinite(r).all(axis=1) & np.isfinite(problem.xbar[idx])
    if not finite.all():  # no inflow where J itself is not a float (the opening already wins
        idx, r = idx[finite], r[finite]  # more than a subnormal target)
        if idx.size == 0:
            return x
    if isinstance(G, Toeplitz):
        Q, c = G.normal_equations(idx, r, problem.Y[idx])
    else:
        A = G[idx] / problem.Y[idx, None, None]
        Q, c = np.einsum("bia,bic->bac", A, A), np.einsum("bij,bi->bj", A, r)
    Q += _smoothing_matrix(H)
    if fixed is not None and at is not None:
        f = fixed[idx]
        zf = np.where(f, at[idx] / problem.xbar[idx, None], 0.0)
        c = np.where(f, zf, c - np.einsum("bij,bj->bi", Q, zf))
        Q = np.where(f[:, :, None] | f[:, None, :], 0.0, Q)
        di = np.arange(H)
        Q[:, di, di] = np.where(f, 1.0, Q[:, di, di])
    x[idx] = nonnegative_quadratic(Q, c) * problem.xbar[idx, None]
    return x


def solve_monthly(
    lv: Levers,
    months: int,
    metric: str,
    monthly: np.ndarray,
    response: tuple[np.ndarray, np.ndarray] | None = None,
    polish: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monthly inflow (B, H) for a monthly wins/bookings target: the minimiser of the spec's J.

    ``polish=False`` (volume mode; a Monte Carlo's draws) stops each row's local search when a
    Gauss-Newton step on the forward side no longer lowers J, without the backward-side and
    kink-held steps that certify a local minimum at a kink: half the work, and on the bench's
    draws the same inflow.

    Returns (inflow, D, Y): rows with Y ≤ 1e-12 (no new inflow reaches a win within N months)
    are infeasible, their inflow inf; rows whose mean target ȳ ≤ 0 get no inflow. Targets and
    recycle volumes past the horizon repeat the last month's. In rate mode, ``response`` may pass
    :func:`impulse_response` over at least H + max(D) months, computed once for several uses."""
    H = months
    tgt, T2 = monthly_targets(lv, H, metric, monthly)
    if lv.volume is None:
        w_open, g = response if response is not None else impulse_response(lv, T2)
        problem, G, base = _rate_problem(lv, H, tgt, w_open[:, :T2], g[:, :T2])
        x = _least_squares(problem, G, base)
    else:
        problem, x = _solve_monthly_volume(lv, H, tgt, T2, polish)
    infeasible = (problem.Y <= INFEASIBLE_SLOPE) & (problem.ybar > 0)
    return np.where(infeasible[:, None], np.inf, x), problem.D, problem.Y


LINE_STEPS = (tuple(0.5**k for k in range(8)), tuple(0.5**k for k in range(8, 48, 2)))
"""Step lengths tried along a Gauss-Newton step, long ones first; the short ones only where no
long one lowers J (a kink close by: J is piecewise quadratic along the segment)."""


def _run_window(ext: Levers, x: np.ndarray, T2: int, D: np.ndarray) -> np.ndarray:
    """Volume mode: the window wins (B, H) of inflow x (B, H) in months 0..H−1 and 0 after."""
    B, H = x.shape
    inflow = np.zeros((B, T2))
    inflow[:, :H] = x
    wins = simulate_wins(ext.with_inflow(inflow), T2)
    return np.take_along_axis(wins, _window(H, D), axis=1)


def _solve_monthly_volume(
    lv: Levers, H: int, tgt: np.ndarray, T2: int, polish: bool = True
) -> tuple[MonthlyProblem, np.ndarray]:
    """Volume mode (spec section 4): a local minimiser of J over x ≥ 0.

    Start: the minimiser with the reactivations held at those of the run with x = 0 (wins are
    then affine: the zero-inflow run's wins plus the pool-free response to x). Then Gauss-Newton
    on the true J: wins are piecewise affine in x, so the Jacobian of the current piece (one-sided
    difference quotients) makes each step's model exact within the piece; each step solves the
    model's nonnegative least squares and searches along the segment to it for the lowest true J.
    At a kink, where the forward-side model gives no descent, the backward-side one is tried
    (a projected step on the other side of the kink); the search stops when neither lowers J."""
    B = lv.batch
    ext = lv.extended(T2)
    D = lead_time(lv)
    idx = _window(H, D)
    target = np.take_along_axis(tgt, idx, axis=1)
    zero = ext.with_inflow(np.zeros((B, T2)))
    w_open = simulate_wins(zero, T2)
    stages = _stages(ext)
    Wu = min(T2, sum(st.taps[-1][0] for st in stages) + 1)
    impulse = np.zeros((Wu, B))
    impulse[0] = 1.0
    win_u, _ = _lean_cascade(ext, stages, impulse, Wu, openings=False)  # nothing reactivated
    g0 = np.zeros((B, T2))
    g0[:, :Wu] = win_u.T
    Y = np.where(np.arange(T2)[None, :] < (H + D)[:, None], g0, 0.0).sum(axis=1)
    problem = MonthlyProblem(D=D, target=target, ybar=target.mean(axis=1), Y=Y)
    ok = (problem.ybar > 0) & (problem.Y > INFEASIBLE_SLOPE)
    x = _least_squares(problem, Toeplitz(g0, D, H), np.take_along_axis(w_open, idx, 1))
    if not ok.any():
        return problem, x
    # the local search where J is a float at the start (not for targets of 1e-300 wins)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        J0 = objective(problem, _run_window(ext, x, T2, D), x)
        normal = (problem.ybar > TINY) & (problem.xbar > TINY) & np.isfinite(problem.xbar)
    rows = np.flatnonzero(ok & normal & np.isfinite(J0))
    if rows.size == 0:
        return problem, x
    sub, xs, prob = ext.take(rows), x[rows], _take_problem(problem, rows)
    J = J0[rows]
    active = np.ones(rows.size, dtype=bool)
    for _round in range(POLISH_ROUNDS if polish else 1):
        sign = np.ones(rows.size)
        for _ in range(MAX_GAUSS_NEWTON):
            a = np.flatnonzero(active)
            if a.size == 0:
                break
            pa, la = _take_problem(prob, a), sub.take(a)
            cur_w, G = _tangent_jacobian(la, xs[a], T2, pa.D, np.where(sign[a] < 0, -1.0, 1.0))
            fixed = at = None
            kink = sign[a] == 0
            if kink.any():  # hold the months whose two one-sided slopes differ (sat on a kink)
                _, Gb = _tangent_jacobian(la, xs[a], T2, pa.D, -np.ones(a.size))
                tol = 1e-7 * np.maximum(np.abs(G).max(axis=(1, 2)), 1e-300)
                fixed = kink[:, None] & (np.abs(G - Gb).max(axis=1) > tol[:, None])
                at = xs[a]
            base_w = cur_w - np.einsum("bij,bj->bi", G, xs[a])
            cand = _least_squares(pa, G, base_w, fixed, at)
            d = cand - xs[a]
            Jb, xb = _line_search(la, pa, xs[a], d, T2, J[a])
            better = Jb < J[a] - 1e-13 * np.maximum(J[a], 1e-300)
            gain = better & (Jb < J[a] * (1 - 1e-12))
            moved = a[better]
            xs[moved] = xb[better]
            J[moved] = Jb[better]
            # a real gain: back to the forward side; none (or a negligible one): try the backward
            # side, then a step along the kink, then stop
            sa = sign[a]
            sign[a[gain]] = 1.0
            weak = ~gain
            active[a[weak & ((sa == 0) | (not polish))]] = False
            sign[a[weak & (sa < 0)]] = 0.0
            sign[a[weak & (sa > 0)]] = -1.0
        if not polish:
            break
        # a kink that is no coordinate's (a pool exactly at its volume: a hyperplane in x) can
        # stop the steps above short of a local minimum; one month's inflow moved alone, on
        # either side, finds the descent they miss
        active = _coordinate_polish(sub, prob, xs, J, T2)  # the rows that moved go on
        if not active.any():
            break
    x[rows] = np.maximum(xs, 0.0)
    return problem, x


def _line_search(
    lv: Levers, problem: MonthlyProblem, x: np.ndarray, d: np.ndarray, T2: int, J0: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The lowest true J over x + s·d for the step lengths of LINE_STEPS, per row: (J, x); J0
    is J at x (the short steps are tried only where no long one is below it)."""
    B = x.shape[0]
    bestJ = np.full(B, np.inf)
    bestx = x.copy()
    todo = np.arange(B)
    for steps in LINE_STEPS:
        if todo.size == 0:
            break
        n = len(steps)
        trials = np.concatenate([x[todo] + s * d[todo] for s in steps])
        rows = np.tile(todo, n)
        tp = _take_problem(problem, rows)
        Jt = objective(tp, _run_window(lv.take(rows), trials, T2, tp.D), trials).reshape(n, -1)
        k = np.argmin(Jt, axis=0)
        Jk = Jt[k, np.arange(todo.size)]
        bestJ[todo] = Jk
        bestx[todo] = trials.reshape(n, todo.size, -1)[k, np.arange(todo.size)]
        todo = todo[~(Jk < J0[todo])]
    return bestJ, bestx


def _take_problem(p: MonthlyProblem, rows: np.ndarray) -> MonthlyProblem:
    return MonthlyProblem(D=p.D[rows], target=p.target[rows], ybar=p.ybar[rows], Y=p.Y[rows])


def _tangent_jacobian(
    ext: Levers, x: np.ndarray, T2: int, D: np.ndarray, sign: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Volume mode: window wins at x and their exact Jacobian (B, H, H) on one side of any kink.

    Within a piece, R(t) = min(volume(t), P) is either the volume (its derivative 0) or the
    pool's balance at the start of the month (derivative: the balance's). So one run at x tells
    each month's regime, and the derivatives follow from the pool's recurrence linearised in that
    regime, for every month's unit of inflow at once (the columns): with the funnel's pool-free
    responses to a unit of inflow (wins, recycled) and to a reactivated item (h, hw),

        dR(t) = m(t)·dP(t − 1),   dP(t) = (dP(t − 1) − dR(t))·(1 − expiry) + (h ⋆ dR)(t) + drec(t),
        dwins(t) = dwins⁰(t) + (hw ⋆ dR)(t).

    ``sign`` > 0 takes the side of more inflow (a pool exactly at the volume then caps: m = 0),
    < 0 the side of less (m = 1 there)."""
    B, H = x.shape
    inflow = np.zeros((B, T2))
    inflow[:, :H] = x
    run = ext.with_inflow(inflow)
    flows = simulate(run, T2)
    idx = _window(H, D)
    base = np.take_along_axis(flows.wins, idx, axis=1)
    start = np.concatenate([run.pool_opening[:, None], flows.pool_balance[:, :-1]], axis=1)
    vol = run.volume[:, :T2]
    # the forward side: the pool binds only strictly below the volume; the backward side also
    # within a small step above it (a search that stopped just past a kink sees it)
    scale = np.maximum(np.abs(vol), 1.0)
    up = (sign > 0)[:, None]
    binding = np.where(up, start < vol - 1e-12 * scale, start <= vol + 1e-6 * scale)
    binding = binding.astype(float)  # m(t), (B, T2)
    stages = _stages(run)
    Wu = min(T2, sum(st.taps[-1][0] for st in stages) + 1)
    impulse = np.zeros((Wu, B))
    impulse[0] = 1.0
    win_u, rec_u = _lean_cascade(run, stages, impulse, Wu, openings=False)
    g0 = np.zeros((B, T2))
    g0[:, :Wu] = win_u.T
    G = _toeplitz_window(g0, D, H)
    h, hw = _pool_response(run, stages, T2)  # (L, B)
    L = h.shape[0]
    keep = (1.0 - run.expiry)[:, None]
    dP = np.zeros((B, H))  # d balance at the end of the previous month, per column τ
    ring = np.zeros((L, B, H))  # dR of the last L months (row t % L)
    taus = np.arange(H)
    for t in range(T2):
        dR = binding[:, t, None] * dP
        ring[t % L] = dR
        lags = (t - np.arange(L)) % L  # ring rows of months t, t − 1, …, t − L + 1
        valid = np.arange(L) <= t
        conv_h = np.einsum("jb,jbh->bh", h[valid], ring[lags[valid]])
        conv_w = np.einsum("jb,jbh->bh", hw[valid], ring[lags[valid]])
        k = t - taus  # months since each column's unit of inflow
        drec = np.where((k >= 0) & (k < Wu), rec_u[np.clip(k, 0, Wu - 1)].T, 0.0)  # (B, H)
        dP = (dP - dR) * keep + conv_h + drec
        i = t - D  # the window row of month t, per batch row
        rows = np.flatnonzero((i >= 0) & (i < H))
        if rows.size:
            G[rows, i[rows], :] += conv_w[rows]
    return base, G


COORD_STEPS = tuple(2.0**k for k in range(4, -41, -2))  # in units of x̄, long ones first


def _coordinate_polish(
    lv: Levers, problem: MonthlyProblem, x: np.ndarray, J: np.ndarray, T2: int
) -> np.ndarray:
    """Volume mode, in place: for each row, the month whose inflow moved alone (up, or down
    while it stays ≥ 0) has the steepest one-sided slope of J downhill is moved by the step that
    lowers J most (a line search over COORD_STEPS·x̄); repeated while it helps (at most 2H
    moves). The slopes come from the two one-sided Jacobians of :func:`_tangent_jacobian`.
    Returns the rows that moved."""
    B, H = x.shape
    moved = np.zeros(B, dtype=bool)
    todo = np.arange(B)
    lam = _smoothing_matrix(H)  # λ·LᵀL
    for _ in range(2 * H):
        if todo.size == 0:
            break
        p, lt, xt = _take_problem(problem, todo), lv.take(todo), x[todo]
        ybar, xbar = p.ybar[:, None], p.xbar[:, None]
        w, Gf = _tangent_jacobian(lt, xt, T2, p.D, np.ones(todo.size))
        _, Gb = _tangent_jacobian(lt, xt, T2, p.D, -np.ones(todo.size))
        with np.errstate(over="ignore", invalid="ignore"):  # J beyond a float: no slope
            resid = 2.0 * (w - p.target) / ybar**2
            smooth = 2.0 * (xt @ lam) / xbar**2
            up = np.einsum("bit,bi->bt", Gf, resid) + smooth  # dJ/dx(t) to the right
            down = -(np.einsum("bit,bi->bt", Gb, resid) + smooth)  # to the left (x(t) − s)
            down = np.where(xt > 0, down, np.inf)
            slope = np.minimum(up, down) * xbar  # per x̄ of movement
        slope = np.where(np.isfinite(slope), slope, np.inf)
        t = np.argmin(slope, axis=1)
        r = np.arange(todo.size)
        steep = slope[r, t] < -1e-12 * np.maximum(J[todo], 1e-300)
        if not steep.any():
            break
        direction = np.where(up[r, t] <= down[r, t], 1.0, -1.0)
        n = len(COORD_STEPS)
        trials = np.repeat(xt[None], n, axis=0)  # (n, b, H)
        delta = np.array(COORD_STEPS)[:, None] * (direction * p.xbar)[None, :]
        col = trials[:, r, t] + delta
        trials[:, r, t] = np.where(direction[None, :] < 0, np.maximum(col, 0.0), col)
        flat = trials.reshape(n * todo.size, H)
        rep = np.tile(np.arange(todo.size), n)
        tp = _take_problem(p, rep)
        Jt = objective(tp, _run_window(lt.take(rep), flat, T2, tp.D), flat).reshape(n, -1)
        k = np.argmin(Jt, axis=0)
        better = steep & (Jt[k, r] < J[todo] - 1e-13 * np.maximum(J[todo], 1e-300))
        win = todo[better]
        x[win] = trials[k[better], np.flatnonzero(better)]
        J[win] = Jt[k[better], np.flatnonzero(better)]
        moved[win] = True
        todo = win
    return moved
