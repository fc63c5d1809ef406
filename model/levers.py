"""Numeric levers: a scenario's parameters as numpy arrays with a batch dimension.

The engine evaluates B variants of one funnel at once (B = 1 for a plan, 2 for the two probes of a
reverse solve, N for Monte Carlo draws, one per parameter for sensitivity). Every parameter that a
range may vary is an array with a leading batch axis; the funnel's shape (stages, re-entry stage,
revenue kind, onboarding months) is shared by the batch.

Parameters are addressed by the JSON path the scenario uses (``stages[lead].conversion``,
``recycle.reactivation``, ``deal.size``), the same names :class:`ScenarioError` reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scenario import Param, Range, Scenario, base

RATE, LAG, AMOUNT, COUNT = "rate", "lag", "amount", "count"
PESSIMISTIC_HIGH = {"disqualify", "expiry", "lag", "onboarding_months"}
"""Parameters whose *high* end is the pessimistic one (all others: the low end)."""


@dataclass(frozen=True)
class ParamRef:
    """One scalar parameter of a scenario, as the engine and the UI address it."""

    path: str  # JSON path, e.g. "stages[lead].conversion"
    name: str  # the field: conversion, lag, size, reactivation, ...
    kind: str  # rate, lag, amount or count
    stage: str | None  # the stage key for stage parameters
    value: Param

    @property
    def ranged(self) -> bool:
        return isinstance(self.value, Range)

    @property
    def pessimistic_high(self) -> bool:
        return self.name in PESSIMISTIC_HIGH

    def end(self, which: str) -> float:
        """The value at ``low``/``base``/``high``, or at the ``pessimistic``/``optimistic`` end."""
        v = self.value
        if not isinstance(v, Range):
            return float(v)
        if which == "pessimistic":
            which = "high" if self.pessimistic_high else "low"
        elif which == "optimistic":
            which = "low" if self.pessimistic_high else "high"
        return float(getattr(v, which))


def parameters(scenario: Scenario) -> list[ParamRef]:
    """Every scalar lever of a scenario, top of the funnel first."""
    refs: list[ParamRef] = []
    for s in scenario.stages[:-1]:
        p = f"stages[{s.key}]"
        refs += [
            ParamRef(f"{p}.conversion", "conversion", RATE, s.key, s.conversion),
            ParamRef(f"{p}.disqualify", "disqualify", RATE, s.key, s.disqualify),
            ParamRef(f"{p}.recycle", "recycle", RATE, s.key, s.recycle),
            ParamRef(f"{p}.lag", "lag", LAG, s.key, s.lag),
            ParamRef(f"opening.{s.key}", "opening", COUNT, s.key, s.opening),
        ]
    r = scenario.recycle
    refs += [
        ParamRef("recycle.reactivation", "reactivation", RATE, None, r.reactivation),
        ParamRef("recycle.expiry", "expiry", RATE, None, r.expiry),
        ParamRef("recycle.opening", "pool_opening", COUNT, None, r.opening),
    ]
    if r.volume is not None and not isinstance(r.volume, tuple):
        refs.append(ParamRef("recycle.volume", "volume", COUNT, None, r.volume))
    c = scenario.customers
    refs += [
        ParamRef("deal.size", "size", AMOUNT, None, scenario.deal.size),
        ParamRef("customers.renewal_rate", "renewal_rate", RATE, None, c.renewal_rate),
        ParamRef("customers.expansion_rate", "expansion_rate", RATE, None, c.expansion_rate),
        ParamRef("customers.opening_count", "opening_count", COUNT, None, c.opening_count),
        ParamRef("customers.opening_mrr", "opening_mrr", AMOUNT, None, c.opening_mrr),
    ]
    if not isinstance(scenario.inflow, tuple):
        refs.append(ParamRef("inflow", "inflow", COUNT, None, scenario.inflow))
    return refs


@dataclass
class Levers:
    """The arrays the engine reads. Shapes: (B, N) per stage (N = S − 1), (B,) or (B, T)."""

    conversion: np.ndarray
    disqualify: np.ndarray
    recycle: np.ndarray
    lag: np.ndarray
    opening: np.ndarray
    reactivation: np.ndarray
    expiry: np.ndarray
    pool_opening: np.ndarray
    volume: np.ndarray | None  # (B, T) in volume mode, else None
    size: np.ndarray
    renewal_rate: np.ndarray
    expansion_rate: np.ndarray
    opening_count: np.ndarray
    opening_mrr: np.ndarray
    inflow: np.ndarray  # (B, T)
    reentry: int
    subscription: bool
    onboarding_months: int
    stage_keys: tuple[str, ...] = ()  # keys of the non-terminal stages, in order

    @property
    def batch(self) -> int:
        return int(self.conversion.shape[0])

    @property
    def stages(self) -> int:
        """S, the number of stages including the terminal one."""
        return int(self.conversion.shape[1]) + 1

    def take(self, rows: np.ndarray | slice) -> Levers:
        """The levers of some batch rows."""
        out = {}
        for name, value in self.__dict__.items():
            out[name] = value[rows] if isinstance(value, np.ndarray) else value
        return Levers(**out)

    def repeat(self, times: int, inflow: np.ndarray | None = None) -> Levers:
        """Each row repeated ``times`` times consecutively (rows b*times .. b*times+times−1),
        with ``inflow`` (B·times, T) instead of the repeated inflow if given."""
        out = {}
        for name, value in self.__dict__.items():
            if name == "inflow" and inflow is not None:
                value = np.asarray(inflow, dtype=float)
            elif isinstance(value, np.ndarray):
                value = np.repeat(value, times, axis=0)
            out[name] = value
        return Levers(**out)

    def with_inflow(self, inflow: np.ndarray) -> Levers:
        out = dict(self.__dict__)
        out["inflow"] = np.asarray(inflow, dtype=float)
        return Levers(**out)

    def extended(self, months: int) -> Levers:
        """Levers over a longer horizon: the last month's inflow and recycle volume continue."""
        out = dict(self.__dict__)
        for name in ("inflow", "volume"):
            arr = out[name]
            if arr is not None and arr.shape[1] < months:
                pad = np.repeat(arr[:, -1:], months - arr.shape[1], axis=1)
                out[name] = np.concatenate([arr, pad], axis=1)
        return Levers(**out)

    def set(self, ref: ParamRef, values: np.ndarray | float) -> None:
        """Overwrite one parameter for every row (values: scalar or (B,))."""
        v = np.broadcast_to(np.asarray(values, dtype=float), (self.batch,))
        if ref.stage is not None:
            col = self.stage_keys.index(ref.stage)
            getattr(self, ref.name)[:, col] = v
        elif ref.name == "inflow":
            self.inflow[:, :] = v[:, None]
        elif ref.name == "volume":
            assert self.volume is not None
            self.volume[:, :] = v[:, None]
        elif ref.name == "pool_opening":
            self.pool_opening[:] = v
        else:
            getattr(self, ref.name)[:] = v


def build_levers(scenario: Scenario, batch: int = 1, pick: str = "base") -> Levers:
    """Arrays for ``batch`` copies of the scenario at ``pick`` (base, low, high, pessimistic or
    optimistic end of every range)."""
    refs = {r.path: r for r in parameters(scenario)}

    def val(path: str) -> float:
        return refs[path].end(pick) if pick != "base" else float(base(refs[path].value))

    stages = scenario.stages[:-1]
    T = scenario.months

    def per_stage(field: str) -> np.ndarray:
        row = [
            val(f"opening.{s.key}") if field == "opening" else val(f"stages[{s.key}].{field}")
            for s in stages
        ]
        return np.tile(np.array(row, dtype=float), (batch, 1))

    def scalar(path: str) -> np.ndarray:
        return np.full(batch, val(path), dtype=float)

    def monthly(value: object, path: str) -> np.ndarray:
        if isinstance(value, tuple):
            return np.tile(np.array(value, dtype=float), (batch, 1))
        return np.full((batch, T), val(path), dtype=float)

    volume = scenario.recycle.volume
    lv = Levers(
        conversion=per_stage("conversion"),
        disqualify=per_stage("disqualify"),
        recycle=per_stage("recycle"),
        lag=per_stage("lag"),
        opening=per_stage("opening"),
        reactivation=scalar("recycle.reactivation"),
        expiry=scalar("recycle.expiry"),
        pool_opening=scalar("recycle.opening"),
        volume=None if volume is None else monthly(volume, "recycle.volume"),
        size=scalar("deal.size"),
        renewal_rate=scalar("customers.renewal_rate"),
        expansion_rate=scalar("customers.expansion_rate"),
        opening_count=scalar("customers.opening_count"),
        opening_mrr=scalar("customers.opening_mrr"),
        inflow=monthly(scenario.inflow, "inflow"),
        reentry=scenario.reentry_index,
        subscription=scenario.deal.revenue == "subscription",
        onboarding_months=scenario.deal.onboarding_months,
        stage_keys=tuple(s.key for s in stages),
    )
    return lv
