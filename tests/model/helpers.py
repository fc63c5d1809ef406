"""Comparison helpers for series of floats."""

from __future__ import annotations

import numpy as np


def assert_series_close(
    actual, expected, rel: float, what: str = "", magnitude: float = 0.0
) -> None:
    """Every value within ``rel`` relative error. Values near zero are compared at the scale of
    ``magnitude`` or, by default, of the series' largest value because float
    cancellation leaves noise there (1e-12 of it): a stock is a difference of flows, so pass the
    flows' size."""
    a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    scale = max(float(np.abs(e).max(initial=0.0)), magnitude, 1e-12)
    excess = np.abs(a - e) - (rel * np.abs(e) + 1e-12 * scale)
    worst = int(np.argmax(excess)) if excess.size else 0
    assert excess.size == 0 or excess.max() <= 0, (
        f"{what}: beyond rel {rel:g} at index {worst}: {a.flat[worst]!r} vs {e.flat[worst]!r}"
    )
