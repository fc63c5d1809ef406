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


def _spread(a: np.ndarray, lag: np.ndarray, T: int) -> np.ndarray:
    """Schedule arrivals a (B, T) to resolve after ``lag`` months (B,): the fractional part q
    resolves one month later, ``due[t+f] += a(1−q)``, ``due[t+f+1] += a·q``."""
    f = np.floor(lag).astype(np.int64)
    q = lag - f
    f_lo, f_hi = int(f.min()), int(f.max())
    fractional = bool(np.any(q > 0))
    if f_lo == f_hi:  # one whole-month delay for the batch: two shifted products
        out = np.empty_like(a)
        fv = min(f_lo, T)
        out[:, :fv] = 0.0
        np.multiply(a[:, : T - fv], (1.0 - q)[:, None], out=out[:, fv:])
        if fractional and fv + 1 < T:
            out[:, fv + 1 :] += q[:, None] * a[:, : T - fv - 1]
        return out
    # rows with different whole-month delays: one shifted product per delay k, weighted
    # (1 − q) where f = k and q where f = k − 1
    out = np.zeros_like(a)
    for k in range(f_lo, min(f_hi + 1, T - 1) + 1):
        coef = np.where(f == k, 1.0 - q, 0.0) + np.where(f == k - 1, q, 0.0)
        if np.any(coef):
            out[:, k:] += coef[:, None] * a[:, : T - k]
    return out


def _opening_due(opening: np.ndarray, lag: np.ndarray, T: int) -> np.ndarray | None:
    """Opening stock O resolves evenly over n = max(1, ceil(lag)) months: O/n in months 0..n−1.

    Returns the first max(n) months only, (B, min(max(n), T)); add it to the front of ``due``."""
    if not np.any(opening):
        return None
    n = np.maximum(1, np.ceil(lag)).astype(np.int64)
    width = int(min(n.max(), T))
    return (np.arange(width)[None, :] < n[:, None]) * (opening / n)[:, None]


def _cascade(
    lv: Levers,
    first: np.ndarray,
    T: int,
    start: int = 0,
    openings: bool = True,
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
        a = arrivals[:, s, :]
        due = _spread(a, lv.lag[:, s], T)
        if openings:
            od = _opening_due(lv.opening[:, s], lv.lag[:, s], T)
            if od is not None:
                due[:, : od.shape[1]] += od
        resolved[:, s, :] = due
        arrivals[:, s + 1, :] = lv.conversion[:, s, None] * due
        rc = lv.recycle[:, s]
        if np.any(rc):
            recycled += rc[:, None] * due
    return arrivals, resolved, recycled


def _pool_response(lv: Levers, T: int, wins: bool = False) -> np.ndarray | tuple:
    """h (B, L): the recycled flow, by delay, caused by one item reactivated at t = 0 (and,
    with ``wins``, the wins it causes, also (B, L)).

    Finite: an item leaves the funnel within Σ (floor(lag_s) + 1) months of re-entering it.
    """
    r = lv.reentry
    span = np.floor(lv.lag[:, r:]).max(axis=0).sum() + (lv.stages - 1 - r) + 1
    L = int(min(T, span))
    impulse = np.zeros((lv.batch, L))
    impulse[:, 0] = 1.0
    arrivals, _, rec = _cascade(lv, impulse, L, start=r, openings=False)
    return (rec, arrivals[:, -1, :]) if wins else rec


def simulate_wins(lv: Levers, T: int | None = None) -> np.ndarray:
    """The wins (B, T) of :func:`simulate`, computed leanly for large batches: one pass down the
    funnel that keeps only the current stage, then the reactivations' wins added by their
    (finite) response, ``wins = wins⁰ + Σ_j hw(j)·R(t − j)``."""
    T = lv.inflow.shape[1] if T is None else T
    B, S = lv.batch, lv.stages
    a = lv.inflow[:, :T]
    rec0 = np.zeros((B, T))
    for s in range(S - 1):
        due = _spread(a, lv.lag[:, s], T)
        od = _opening_due(lv.opening[:, s], lv.lag[:, s], T)
        if od is not None:
            due[:, : od.shape[1]] += od
        rc = lv.recycle[:, s]
        if np.any(rc):
            rec0 += rc[:, None] * due
        a = lv.conversion[:, s, None] * due
    if not _pool_active(lv, T):
        return a
    h, hw = _pool_response(lv, T, wins=True)
    R, _ = _pool(lv, rec0, T, h)
    for j in range(hw.shape[1]):
        if np.any(hw[:, j]):
            a[:, j:] += hw[:, j, None] * R[:, : T - j]
    return a


def _pool_active(lv: Levers, T: int) -> bool:
    vol = lv.volume
    active = bool(np.any(lv.reactivation > 0)) if vol is None else bool(np.any(vol[:, :T] > 0))
    return active and (bool(np.any(lv.recycle)) or bool(np.any(lv.pool_opening)))


SOLVE_BELOW = 16  # batches smaller than this solve the rate-mode pool as a linear system


def _pool(
    lv: Levers, rec0: np.ndarray, T: int, h: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The pool recurrence: reactivations R (B, T) and end-of-month balance P (B, T)."""
    h = _pool_response(lv, T) if h is None else h
    if lv.volume is None and lv.batch < SOLVE_BELOW:
        return _pool_solve(lv, rec0, h, T)
    L = h.shape[1]
    hr = np.ascontiguousarray(h[:, ::-1].T)  # (L, B): time-major, so each month is contiguous
    B = lv.batch
    rec_t = np.ascontiguousarray(rec0.T)
    R = np.zeros((T, B))
    balance = np.zeros((T, B))
    P = lv.pool_opening.astype(float).copy()
    keep = 1.0 - lv.expiry
    rho = lv.reactivation
    vol = None if lv.volume is None else np.ascontiguousarray(lv.volume[:, :T].T)
    for t in range(T):
        Rt = np.minimum(vol[t], P) if vol is not None else rho * P
        R[t] = Rt
        k = min(t + 1, L)
        inc = rec_t[t] + np.einsum("jb,jb->b", hr[L - k :], R[t - k + 1 : t + 1])
        P = keep * (P - Rt) + inc
        balance[t] = P
    return np.ascontiguousarray(R.T), np.ascontiguousarray(balance.T)


def _pool_solve(
    lv: Levers, rec0: np.ndarray, h: np.ndarray, T: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rate mode: with R(t) = ρ·P(t − 1), the balance obeys the linear recurrence

        P(t) = κ(1 − ρ)·P(t − 1) + rec0(t) + Σ_j h(j)·ρ·P(t − 1 − j),   P(−1) = P0,

    (κ = 1 − expiry) whose months are one lower-triangular Toeplitz system, solved at once
    instead of month by month."""
    B, L = lv.batch, h.shape[1]
    keep, rho, p0 = 1.0 - lv.expiry, lv.reactivation, lv.pool_opening.astype(float)
    # a[k] multiplies P(t − k), k = 1..L
    a = rho[:, None] * h
    a[:, 0] += keep * (1.0 - rho)
    i = np.arange(T)
    lagk = i[:, None] - i[None, :]  # t − τ
    band = (lagk >= 1) & (lagk <= L)
    M = np.broadcast_to(np.eye(T), (B, T, T)).copy()
    M[:, band] -= a[:, lagk[band] - 1]
    rhs = rec0.copy()
    rhs[:, : min(L, T)] += a[:, : min(L, T)] * p0[:, None]  # the terms reaching P(−1)
    P = np.linalg.solve(M, rhs[:, :, None])[:, :, 0]
    prev = np.concatenate([p0[:, None], P[:, :-1]], axis=1)
    return rho[:, None] * prev, P


def _pool_balance_only(lv: Levers, rec: np.ndarray, T: int) -> np.ndarray:
    """Balance with no reactivation: P(t) = (1 − expiry)·P(t − 1) + recycled(t)."""
    keep = 1.0 - lv.expiry
    return geometric_filter(rec, keep) + lv.pool_opening[:, None] * powers(keep, T, start=1)


def simulate(lv: Levers, T: int | None = None) -> Flows:
    """Simulate T months (default: the inflow's length) for every row of the batch."""
    T = lv.inflow.shape[1] if T is None else T
    inflow = lv.inflow[:, :T]
    arrivals, resolved, rec0 = _cascade(lv, inflow, T)
    if not _pool_active(lv, T):
        B = lv.batch
        return Flows(arrivals, resolved, np.zeros((B, T)), _pool_balance_only(lv, rec0, T))
    R, balance = _pool(lv, rec0, T)
    r = lv.reentry
    first = arrivals[:, r, :] + R
    arrivals, resolved, _ = _cascade(lv, first, T, start=r, arrivals=arrivals, resolved=resolved)
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
    y = np.empty_like(x)
    acc = np.zeros(B)
    for t in range(T):
        acc = gamma * acc + x[:, t]
        y[:, t] = acc
    return y


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
