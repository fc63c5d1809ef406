"""Forward stock-and-flow simulation (spec section 3), batched and vectorised over time.

The spec states the simulation month by month. Within a month, stages are processed top to
bottom; across months the only feedback is the recycle pool, whose reactivations R(t) depend on
the pool balance at the end of month t − 1. So, given R, every stage is a linear, causal,
time-invariant filter of its arrivals, and the simulation can be computed stage by stage over whole
time arrays (``_cascade``), with one short per-month recurrence for the pool (``_pool``):

    due_s(t)      = (1 − q_s)·a_s(t − f_s) + q_s·a_s(t − f_s − 1) + O_s/n_s·[t < n_s]
    a_{s+1}(t) = c_s·due_s(t) + [s + 1 = reentry]·R(t),  a_0(t) = inflow(t) + [0 = reentry]·R(t)
    recycled(t)   = Σ_s rc_s·due_s(t) = rec⁰(t) + Σ_j h(j)·R(t − j)
    R(t)          = reactivation·P(t − 1)   or   min(volume(t), P(t − 1))
    P(t)          = (1 − expiry)·(P(t − 1) − R(t)) + recycled(t),   P(−1) = recycle.opening

with f_s = floor(lag_s), q_s = lag_s − f_s, n_s = max(1, ceil(lag_s)); rec⁰ is the recycled flow
with R = 0 and h the (finite) response of the recycled flow to one reactivated item at t = 0. This
is the same arithmetic as the spec's loop (``model.reference`` implements that loop literally, and
the tests hold the two to 1e-9), but it costs a few numpy operations per stage instead of per
stage and month.

Two paths share these pieces:

* :func:`simulate` keeps every flow (a plan's stocks and flows), batch-major (B, S, T).
* :func:`simulate_wins` keeps only the wins, for large batches (solves, Monte Carlo,
  sensitivity). It runs time-major (T, B), so each month's batch is contiguous, and over the
  window where the funnel's own flows can be nonzero (:func:`_support`); the pool then runs over
  the horizon (:class:`PoolRun`), adding the reactivations' wins as it goes.

A single plan's rate-mode pool is solved at once as a Toeplitz system (:func:`_pool_solve`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .levers import Levers


@dataclass
class Flows:
    """Raw simulation output, batched: arrivals (B, S, T), resolved (B, S−1, T), pool (B, T)."""

    arrivals: np.ndarray
    resolved: np.ndarray
    reactivated: np.ndarray
    pool_balance: np.ndarray

    @property
    def wins(self) -> np.ndarray:
        return self.arrivals[:, -1, :]


Taps = list[tuple[int, np.ndarray]]
"""A stage's delay as taps (k, weight (B,)): due(t) = Σ weight·a(t − k)."""


@dataclass(frozen=True)
class _Stage:
    taps: Taps
    opening_due: np.ndarray | None  # (n, B), time-major: the opening stock's resolutions
    recycles: bool  # whether any row recycles a share of the stage


def _stages(lv: Levers) -> list[_Stage]:
    """Each non-terminal stage's delay and opening schedule, computed once per simulation.

    The whole delay f = floor(lag) takes 1 − q of the arrivals and one month more takes
    q = lag − f; rows with different f give one tap per delay. Opening stock O resolves evenly
    over n = max(1, ceil(lag)) months, O/n in months 0..n−1."""
    f_all = np.floor(lv.lag)
    q_all = lv.lag - f_all
    n_all = np.maximum(1.0, np.ceil(lv.lag))
    out = []
    for s in range(lv.stages - 1):
        f, q = f_all[:, s], q_all[:, s]
        lo, hi = int(f.min()), int(f.max())
        if lo == hi:
            taps = [(lo, 1.0 - q)] + ([(lo + 1, q)] if np.any(q > 0) else [])
        else:
            taps = []
            for k in range(lo, hi + 2):
                w = np.where(f == k, 1.0 - q, 0.0) + np.where(f == k - 1, q, 0.0)
                if np.any(w):
                    taps.append((k, w))
        opening, n = lv.opening[:, s], n_all[:, s]
        due = None
        if np.any(opening):
            due = (np.arange(int(n.max()))[:, None] < n[None, :]) * (opening / n)
        out.append(_Stage(taps, due, bool(np.any(lv.recycle[:, s]))))
    return out


def _spread(a: np.ndarray, taps: Taps, T: int) -> np.ndarray:
    """Schedule arrivals a (T, B), time-major, to resolve after a stage's delay (its taps).

    ``a`` may be a transposed view of a batch-major array; the result keeps its memory layout."""
    out = np.empty_like(a)
    k0, w0 = taps[0]
    k0 = min(k0, T)
    out[:k0] = 0.0
    np.multiply(a[: T - k0], w0, out=out[k0:])
    for k, w in taps[1:]:
        if k < T:
            out[k:] += w * a[: T - k]
    return out


def _cascade(
    lv: Levers,
    stages: list[_Stage],
    first: np.ndarray,
    T: int,
    start: int = 0,
    arrivals: np.ndarray | None = None,
    resolved: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run stages ``start``..S−2 over T months; ``first`` is the arrivals into ``start``.

    Returns (arrivals (B,S,T), resolved (B,S−1,T), the recycled flow of stages start..S−2
    (B,T)). Given ``arrivals`` and ``resolved`` from an earlier pass, they are updated in place
    from ``start`` down (the stages above it are kept).
    """
    B, S = lv.batch, lv.stages
    if arrivals is None or resolved is None:
        arrivals = np.zeros((B, S, T))
        resolved = np.zeros((B, S - 1, T))
    recycled = np.zeros((B, T))
    arrivals[:, start, :] = first
    for s in range(start, S - 1):
        due = _spread(arrivals[:, s, :].T, stages[s].taps, T).T
        od = stages[s].opening_due
        if od is not None:
            due[:, : od.shape[0]] += od[:T].T
        resolved[:, s, :] = due
        arrivals[:, s + 1, :] = lv.conversion[:, s, None] * due
        if stages[s].recycles:
            recycled += lv.recycle[:, s, None] * due
    return arrivals, resolved, recycled


def _lean_cascade(
    lv: Levers,
    stages: list[_Stage],
    a: np.ndarray,
    W: int,
    start: int = 0,
    openings: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Time-major pass from stage ``start`` down the funnel over W months, keeping only the
    current stage: ``a`` (W, B) are the arrivals into ``start``. Returns the arrivals at the
    terminal stage (the wins) and the recycled flow, both (W, B)."""
    rec = np.zeros((W, lv.batch))
    for s in range(start, lv.stages - 1):
        due = _spread(a, stages[s].taps, W)
        od = stages[s].opening_due
        if openings and od is not None:
            due[: od.shape[0]] += od[:W]
        if stages[s].recycles:
            rec += lv.recycle[:, s] * due
        a = np.multiply(due, lv.conversion[:, s], out=due)
    return a, rec


def _pool_response(lv: Levers, stages: list[_Stage], T: int) -> tuple[np.ndarray, np.ndarray]:
    """(h, hw), time-major (L, B): the recycled flow and the wins, by delay, caused by one item
    reactivated at t = 0.

    Finite: an item leaves the funnel within Σ (floor(lag_s) + 1) months of re-entering it.
    """
    r = lv.reentry
    span = sum(st.taps[-1][0] for st in stages[r:]) + 1
    L = int(min(T, span))
    impulse = np.zeros((L, lv.batch))
    impulse[0] = 1.0
    won, rec = _lean_cascade(lv, stages, impulse, L, start=r, openings=False)
    return rec, won


def _support(lv: Levers, stages: list[_Stage], T: int) -> int:
    """A bound on the months in which the funnel's own flows (without reactivations) can be
    nonzero: inflow and opening stock end at some month, and every stage holds an item at most
    floor(lag) + 1 months. An impulse or the opening pipeline alone is short (a dozen months), so
    the cascade can run on that window instead of the whole horizon."""
    active = np.flatnonzero(lv.inflow[:, :T].any(axis=0))
    last = int(active[-1]) + 1 if active.size else 0
    dues = [st.opening_due.shape[0] for st in stages if st.opening_due is not None]
    hold = sum(st.taps[-1][0] for st in stages)  # the longest delay through the funnel
    return int(min(T, max([last, *dues]) + hold))


def simulate_wins(lv: Levers, T: int | None = None) -> np.ndarray:
    """The wins (B, T) of :func:`simulate`, computed leanly for large batches: one time-major
    pass down the funnel that keeps only the current stage, over the months where it can be
    nonzero (:func:`_support`), then the reactivations' wins added by their (finite) response,
    ``wins = wins⁰ + Σ_j hw(j)·R(t − j)``. The result is a transposed view of a time-major
    array."""
    T = lv.inflow.shape[1] if T is None else T
    B = lv.batch
    stages = _stages(lv)
    W = _support(lv, stages, T)
    won, rec0 = _lean_cascade(lv, stages, np.ascontiguousarray(lv.inflow[:, :W].T), W)
    wins = np.zeros((T, B))
    wins[:W] = won
    if not _pool_active(lv, T):
        return wins.T
    h, hw = _pool_response(lv, stages, T)
    if lv.volume is None and B < SOLVE_BELOW:
        R, _ = _pool_solve(lv, rec0, h, T)
        for j in range(hw.shape[0]):
            if np.any(hw[j]):
                wins[j:] += hw[j] * R[: T - j]
    else:
        _pool_loop(lv, rec0, T, h, hw, wins)
    return wins.T


def _pool_active(lv: Levers, T: int) -> bool:
    vol = lv.volume
    active = bool(np.any(lv.reactivation > 0)) if vol is None else bool(np.any(vol[:, :T] > 0))
    return active and (bool(np.any(lv.recycle)) or bool(np.any(lv.pool_opening)))


SOLVE_BELOW = 16  # batches smaller than this solve the rate-mode pool as a linear system


def _pool(
    lv: Levers, stages: list[_Stage], rec0: np.ndarray, T: int
) -> tuple[np.ndarray, np.ndarray]:
    """The pool recurrence: reactivations R and end-of-month balance P, time-major (T, B).

    ``rec0`` (W ≤ T, B) is the recycled flow without reactivations; months past W are zero."""
    h, _ = _pool_response(lv, stages, T)
    if lv.volume is None and lv.batch < SOLVE_BELOW:
        return _pool_solve(lv, rec0, h, T)
    out = _pool_loop(lv, rec0, T, h)
    assert out is not None
    return out


class PoolRun:
    """The pool recurrence, resumable month by month (time-major: each month's batch is
    contiguous). ``h`` and ``hw`` (L, B) are the recycled flow and the wins of one reactivated
    item by delay (:func:`_pool_response`). :meth:`step` advances one month; :meth:`copy` forks
    the state, so a solve can try values of one month's inflow over a few months only.

    R of month t goes to ring rows t % L and t % L + L, so rows i + 1 .. i + L (i = t % L) hold
    months t − L + 1 .. t in order; months before 0 stay zero."""

    def __init__(self, lv: Levers, T: int, h: np.ndarray, hw: np.ndarray | None = None) -> None:
        B, L = lv.batch, h.shape[0]
        self.n = 1 if hw is None else 2
        taps = h if hw is None else np.concatenate([h, hw], axis=1)
        self.taps = np.ascontiguousarray(taps[::-1]).reshape(L, self.n, B)  # latest delay last
        self.L = L
        self.ring = np.zeros((2 * L, B))
        self.P = lv.pool_opening.astype(float).copy()
        self.keep = 1.0 - lv.expiry
        self.rho = lv.reactivation
        self.vol = None if lv.volume is None else np.ascontiguousarray(lv.volume[:, :T].T)
        self.t = 0

    def copy(self) -> PoolRun:
        other = object.__new__(PoolRun)
        other.__dict__.update(self.__dict__)
        other.ring, other.P = self.ring.copy(), self.P.copy()
        return other

    def step(self, recycled: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """One month: its reactivations R(t) (B,) and the (n, B) convolutions of the last L
        months' R with h (row 0) and hw (row 1); the balance P(t) is then ``self.P``.
        ``recycled`` is the month's recycled flow without reactivations."""
        i = self.t % self.L
        Rt = self.ring[i + self.L]
        if self.vol is not None:
            np.minimum(self.vol[self.t], self.P, out=Rt)
        else:
            np.multiply(self.rho, self.P, out=Rt)
        self.ring[i] = Rt
        both = np.einsum("jkb,jb->kb", self.taps, self.ring[i + 1 : i + self.L + 1])
        P = self.P
        P -= Rt
        P *= self.keep
        P += both[0]
        P += recycled
        self.t += 1
        return Rt, both


def _pool_loop(
    lv: Levers,
    rec0: np.ndarray,
    T: int,
    h: np.ndarray,
    hw: np.ndarray | None = None,
    wins: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The pool recurrence over T months. Returns R and the balance, both (T, B). Given ``hw``
    and ``wins`` (T, B), it adds the wins the reactivations cause to ``wins`` instead and keeps
    nothing else. ``rec0`` (W ≤ T, B): the recycled flow without reactivations."""
    run = PoolRun(lv, T, h, hw if wins is not None else None)
    W = rec0.shape[0]
    rec_t = np.ascontiguousarray(rec0)
    R = balance = None
    if wins is None:
        R, balance = np.empty((T, lv.batch)), np.empty((T, lv.batch))
    for t in range(T):
        Rt, both = run.step(rec_t[t] if t < W else 0.0)
        if wins is None:
            R[t] = Rt
            balance[t] = run.P
        else:
            wins[t] += both[1]
    return (R, balance) if wins is None else None


def _pool_solve(
    lv: Levers, rec0: np.ndarray, h: np.ndarray, T: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rate mode: with R(t) = ρ·P(t − 1), the balance obeys the linear recurrence

        P(t) = κ(1 − ρ)·P(t − 1) + rec0(t) + Σ_j h(j)·ρ·P(t − 1 − j),   P(−1) = P0,

    (κ = 1 − expiry), i.e. c ⋆ P = rhs with c = 1 − Σ_k a_k z^k: one lower-triangular Toeplitz
    system, solved as P = (1/c) ⋆ rhs with the power series 1/c (:func:`series_inverse`)
    instead of month by month. Time-major in and out: rec0 (W ≤ T, B), h (L, B); R, P (T, B)."""
    B, L = lv.batch, h.shape[0]
    keep, rho, p0 = 1.0 - lv.expiry, lv.reactivation, lv.pool_opening.astype(float)
    # a[k − 1] multiplies P(t − k), k = 1..L
    a = rho[:, None] * h.T
    a[:, 0] += keep * (1.0 - rho)
    rhs = np.zeros((B, T))
    rhs[:, : rec0.shape[0]] = rec0.T
    rhs[:, : min(L, T)] += a[:, : min(L, T)] * p0[:, None]  # the terms reaching P(−1)
    P = np.empty((B, T))
    for b in range(B):
        inverse = series_inverse(np.concatenate([[1.0], -a[b]]), T)
        P[b] = np.convolve(inverse, rhs[b])[:T]
    prev = np.concatenate([p0[:, None], P[:, :-1]], axis=1)
    return (rho[:, None] * prev).T, P.T


def series_inverse(c: np.ndarray, n: int) -> np.ndarray:
    """The first n coefficients of the power series 1 / c(z), for a polynomial c with c[0] = 1,
    by Newton's iteration y ← y·(2 − c·y), which doubles the coefficients that are right."""
    y = np.ones(1)
    m = 1
    while m < n:
        m = min(2 * m, n)
        e = -np.convolve(c[:m], y)[:m]
        e[0] += 2.0
        y = np.convolve(y, e)[:m]
    return y


def _pool_balance_only(lv: Levers, rec: np.ndarray, T: int) -> np.ndarray:
    """Balance with no reactivation: P(t) = (1 − expiry)·P(t − 1) + recycled(t)."""
    keep = 1.0 - lv.expiry
    return geometric_filter(rec, keep) + lv.pool_opening[:, None] * powers(keep, T, start=1)


def simulate(lv: Levers, T: int | None = None) -> Flows:
    """Simulate T months (default: the inflow's length) for every row of the batch."""
    T = lv.inflow.shape[1] if T is None else T
    inflow = lv.inflow[:, :T]
    stages = _stages(lv)
    arrivals, resolved, rec0 = _cascade(lv, stages, inflow, T)
    if not _pool_active(lv, T):
        B = lv.batch
        return Flows(arrivals, resolved, np.zeros((B, T)), _pool_balance_only(lv, rec0, T))
    R, balance = (np.ascontiguousarray(x.T) for x in _pool(lv, stages, rec0.T, T))
    r = lv.reentry
    first = arrivals[:, r, :] + R
    arrivals, resolved, _ = _cascade(
        lv, stages, first, T, start=r, arrivals=arrivals, resolved=resolved
    )
    return Flows(arrivals, resolved, R, balance)


def powers(base_: np.ndarray, T: int, start: int = 0) -> np.ndarray:
    """base^(t + start) for t = 0..T−1, per row: (B, T). 0^0 = 1."""
    base_ = np.asarray(base_, dtype=float)
    exps = np.arange(T) + start
    B = base_.shape[0]
    if B > 64 and np.all(base_ == base_[0]):
        return np.broadcast_to(float(base_[0]) ** exps, (B, T))
    if B > 64 and T > 1:  # a running product is far cheaper than B·T powers
        m = np.empty((B, T))
        m[:, 0] = base_**start
        m[:, 1:] = base_[:, None]
        return np.cumprod(m, axis=1)
    return base_[:, None] ** exps[None, :]


def geometric_filter(x: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """y(t) = Σ_{τ≤t} gamma^(t−τ)·x(τ), i.e. y(t) = gamma·y(t−1) + x(t), per row."""
    B, T = x.shape
    gamma = np.asarray(gamma, dtype=float)
    if B == 1 or np.all(gamma == gamma[0]):
        return x @ _decay_matrix(float(gamma[0]), T)
    y = np.array(x.T, order="C")  # a time-major copy: each month's batch is contiguous
    for t in range(1, T):
        y[t] += gamma * y[t - 1]
    return y.T


@functools.lru_cache(maxsize=64)
def _decay_matrix(gamma: float, T: int) -> np.ndarray:
    """M[τ, t] = gamma^(t − τ) for τ ≤ t, else 0 (read-only, cached)."""
    d = np.arange(T)[None, :] - np.arange(T)[:, None]
    m = np.where(d >= 0, gamma ** np.maximum(d, 0), 0.0)
    m.setflags(write=False)
    return m


def shift(x: np.ndarray, k: int) -> np.ndarray:
    """x delayed by k months along the last axis (zeros shifted in)."""
    if k == 0:
        return x
    out = np.zeros_like(x)
    if k < x.shape[-1]:
        out[..., k:] = x[..., :-k]
    return out
