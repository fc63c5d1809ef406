"""Bookings, revenue, MRR and customers from the wins (spec section 3, "Revenue and customers")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .forward import geometric_filter, powers, shift
from .levers import Levers


@dataclass
class Money:
    """Batched monthly series (B, T)."""

    bookings: np.ndarray
    mrr: np.ndarray
    revenue: np.ndarray
    customers: np.ndarray


def monthly_retention(renewal_rate: np.ndarray) -> np.ndarray:
    """q = renewal_rate^(1/12)."""
    return np.asarray(renewal_rate, dtype=float) ** (1.0 / 12.0)


def monthly_expansion(expansion_rate: np.ndarray) -> np.ndarray:
    """g = (1 + expansion_rate)^(1/12) − 1."""
    return (1.0 + np.asarray(expansion_rate, dtype=float)) ** (1.0 / 12.0) - 1.0


def money(wins: np.ndarray, lv: Levers) -> Money:
    """Revenue and customers from wins (B, T).

    one_time:      revenue = bookings = wins·size; customers(t) = opening_count·q^t
                   + Σ_{τ≤t} wins(τ)·q^(t−τ); mrr = 0.
    subscription:  with k = onboarding_months and γ = q(1 + g),
                   mrr(t) = opening_mrr·γ^t + Σ_{τ≤t−k} wins(τ)·(size/12)·γ^(t−τ−k);
                   customers(t) = opening_count·q^t + Σ_{τ≤t−k} wins(τ)·q^(t−τ−k); revenue = mrr.
    """
    T = wins.shape[1]
    q = monthly_retention(lv.renewal_rate)
    bookings = wins * lv.size[:, None]
    base_customers = lv.opening_count[:, None] * powers(q, T)
    if not lv.subscription:
        customers = base_customers + geometric_filter(wins, q)
        return Money(bookings, np.zeros_like(wins), bookings, customers)
    k = lv.onboarding_months
    started = shift(wins, k)
    gamma = q * (1.0 + monthly_expansion(lv.expansion_rate))
    mrr = lv.opening_mrr[:, None] * powers(gamma, T) + (lv.size / 12.0)[:, None] * geometric_filter(
        started, gamma
    )
    customers = base_customers + geometric_filter(started, q)
    return Money(bookings, mrr, mrr, customers)
