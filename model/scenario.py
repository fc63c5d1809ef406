"""The scenario (spec section 2): frozen, typed value objects and their validation.

A scenario is parsed once from its JSON form by :func:`parse_scenario`, which rejects every
invalid case of the spec with a :class:`ScenarioError` naming the field. A what-if is the base
scenario plus overrides (:meth:`Scenario.with_stage`, :func:`dataclasses.replace`), which also
makes scenarios hashable cache keys.
"""

from __future__ import annotations

import functools
import json
import math
import re
import stat
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ScenarioError
from .limits import (
    MAX_DEPTH,
    MAX_MONTHS,
    MAX_NAME,
    MAX_NUMBER,
    MAX_SCENARIO_BYTES,
    check_scenario,
    check_text,
    check_text_size,
    too_large,
)

DIVISIONS = ("marketing", "inside_sales", "field_sales", "customer_success")
METRICS = ("wins", "bookings", "revenue")
REVENUE_KINDS = ("one_time", "subscription")
MAX_LAG = 60.0


@dataclass(frozen=True)
class Range:
    """A committed range ``{low, base, high}`` with low <= base <= high (spec section 2)."""

    low: float
    base: float
    high: float

    def to_json(self) -> dict[str, float]:
        return {"low": self.low, "base": self.base, "high": self.high}


Param = float | Range
"""A numeric parameter: a plain number, or a range whose ``base`` drives the plan."""


def base(value: Param) -> float:
    """The deterministic value of a parameter (a range's ``base``)."""
    return value.base if isinstance(value, Range) else value


def _json_param(value: Param) -> float | dict[str, float]:
    return value.to_json() if isinstance(value, Range) else value


@dataclass(frozen=True)
class Stage:
    """A funnel stage. The terminal (won) stage has no rates, lag or opening stock."""

    key: str
    label: str = ""
    owner: str | None = None
    conversion: Param = 0.0
    disqualify: Param = 0.0
    recycle: Param = 0.0
    lag: Param = 0.0
    opening: Param = 0.0
    terminal: bool = False

    @property
    def lost(self) -> float:
        """1 − conversion − disqualify − recycle, at the base values."""
        return 1.0 - base(self.conversion) - base(self.disqualify) - base(self.recycle)

    @property
    def display_label(self) -> str:
        return self.label or self.key


@dataclass(frozen=True)
class Recycle:
    """The recycle pool: where reactivated items re-enter, and how the pool drains."""

    reentry: str
    reactivation: Param = 0.0
    expiry: Param = 0.0
    opening: Param = 0.0
    volume: Param | tuple[float, ...] | None = None

    @property
    def volume_mode(self) -> bool:
        return self.volume is not None


@dataclass(frozen=True)
class Deal:
    size: Param = 0.0
    revenue: str = "one_time"
    onboarding_months: int = 0


@dataclass(frozen=True)
class Customers:
    opening_count: Param = 0.0
    opening_mrr: Param = 0.0
    renewal_rate: Param = 1.0
    expansion_rate: Param = 0.0


@dataclass(frozen=True)
class Target:
    """Reverse mode: a horizon total, or one value per month (expanded to H values)."""

    metric: str
    total: float | None = None
    monthly: tuple[float, ...] | None = None

    @property
    def kind(self) -> str:
        return "total" if self.total is not None else "monthly"

    @property
    def horizon_total(self) -> float:
        """The target summed over the horizon (the total itself for a total target)."""
        return self.total if self.total is not None else float(sum(self.monthly or ()))


@dataclass(frozen=True)
class Capacity:
    """A division's capacity (spec section 8): the workload it carries, what one head handles,
    the team it has and how it hires.

    ``works`` is a non-terminal stage key or ``"customers"``; ``basis`` ``arrivals`` or ``stock``
    (ignored for customers). ``heads`` is a number (all productive at the start, leaving at the
    attrition rate) or H numbers (planned heads without new hires). Only ``per_head`` may be a
    range."""

    works: str
    per_head: Param
    basis: str = "arrivals"
    heads: float | tuple[float, ...] = 0.0
    ramp_months: int = 0
    hiring_months: int = 0
    attrition: float = 0.0
    cost_per_head: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "works": self.works,
            "basis": self.basis,
            "per_head": _json_param(self.per_head),
            "heads": list(self.heads) if isinstance(self.heads, tuple) else self.heads,
            "ramp_months": self.ramp_months,
            "hiring_months": self.hiring_months,
            "attrition": self.attrition,
            "cost_per_head": self.cost_per_head,
        }


@dataclass(frozen=True)
class Costs:
    """Acquisition costs (spec section 8): per new arrival into the first stage, per arrival
    into a stage (in the order given), and a fixed amount per month."""

    per_inflow: float = 0.0
    per_arrival: tuple[tuple[str, float], ...] = ()
    fixed_monthly: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "per_inflow": self.per_inflow,
            "per_arrival": dict(self.per_arrival),
            "fixed_monthly": self.fixed_monthly,
        }


@dataclass(frozen=True)
class Scenario:
    """A validated scenario (spec section 2). Build it with :func:`parse_scenario`."""

    start: str
    months: int
    stages: tuple[Stage, ...]
    recycle: Recycle
    deal: Deal = Deal()
    customers: Customers = Customers()
    inflow: Param | tuple[float, ...] = 0.0
    target: Target | None = None
    name: str = ""
    currency: str = "JPY"
    handoffs: tuple[tuple[str, str], ...] = field(default=())
    capacity: tuple[tuple[str, Capacity], ...] | None = None
    """Section 8, per division in the order the JSON gives them (ties in the capacity ceiling
    go to the first); None when the scenario has no ``capacity``."""
    costs: Costs | None = None

    # ----- derived views -------------------------------------------------------------------
    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.stages)

    @property
    def month_labels(self) -> tuple[str, ...]:
        return month_labels(self.start, self.months)

    @property
    def reentry_index(self) -> int:
        return self.stage_keys.index(self.recycle.reentry)

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
        raise KeyError(key)

    def inflow_base(self) -> tuple[float, ...]:
        """The monthly inflow at base values (H numbers)."""
        if isinstance(self.inflow, tuple):
            return self.inflow
        return (float(base(self.inflow)),) * self.months

    def handoff(self, division: str) -> str:
        return dict(self.handoffs).get(division, "")

    # ----- what-ifs --------------------------------------------------------------------------
    def with_stage(self, key: str, **changes: Any) -> Scenario:
        """A copy with one stage's fields replaced (for example ``conversion=0.3``)."""
        if key not in self.stage_keys:
            raise ScenarioError(
                "stages",
                f"unknown stage {key!r}",
                code="unknown_stage",
                params={"stage": key, "stages": list(self.stage_keys)},
            )
        stages = tuple(replace(s, **changes) if s.key == key else s for s in self.stages)
        return parse_scenario(replace(self, stages=stages).to_json())

    def with_changes(self, **changes: Any) -> Scenario:
        """A copy with top-level fields replaced, validated again."""
        return parse_scenario(replace(self, **changes).to_json())

    # ----- JSON -------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The scenario as spec-section-2 JSON; ``parse_scenario(s.to_json()) == s``."""
        stages = []
        for s in self.stages:
            d: dict[str, Any] = {"key": s.key}
            if s.label:
                d["label"] = s.label
            if s.owner:
                d["owner"] = s.owner
            if not s.terminal:
                d["conversion"] = _json_param(s.conversion)
                d["disqualify"] = _json_param(s.disqualify)
                d["recycle"] = _json_param(s.recycle)
                d["lag"] = _json_param(s.lag)
            stages.append(d)
        out: dict[str, Any] = {
            "schema": 1,
            "name": self.name,
            "start": self.start,
            "months": self.months,
            "currency": self.currency,
            "stages": stages,
            "opening": {
                s.key: _json_param(s.opening)
                for s in self.stages
                if not s.terminal and (isinstance(s.opening, Range) or s.opening)
            },
            "recycle": {
                "reentry": self.recycle.reentry,
                "reactivation": _json_param(self.recycle.reactivation),
                "expiry": _json_param(self.recycle.expiry),
                "opening": _json_param(self.recycle.opening),
                "volume": (
                    list(self.recycle.volume)
                    if isinstance(self.recycle.volume, tuple)
                    else None
                    if self.recycle.volume is None
                    else _json_param(self.recycle.volume)
                ),
            },
            "deal": {
                "size": _json_param(self.deal.size),
                "revenue": self.deal.revenue,
                "onboarding_months": self.deal.onboarding_months,
            },
            "customers": {
                "opening_count": _json_param(self.customers.opening_count),
                "opening_mrr": _json_param(self.customers.opening_mrr),
                "renewal_rate": _json_param(self.customers.renewal_rate),
                "expansion_rate": _json_param(self.customers.expansion_rate),
            },
            "inflow": list(self.inflow)
            if isinstance(self.inflow, tuple)
            else _json_param(self.inflow),
        }
        if self.target is not None:
            t: dict[str, Any] = {"metric": self.target.metric}
            if self.target.total is not None:
                t["total"] = self.target.total
            else:
                t["monthly"] = list(self.target.monthly or ())
            out["target"] = t
        if self.handoffs:
            out["divisions"] = {d: {"handoff": text} for d, text in self.handoffs}
        if self.capacity is not None:
            out["capacity"] = {d: c.to_json() for d, c in self.capacity}
        if self.costs is not None:
            out["costs"] = self.costs.to_json()
        return out


# =================================================================================================
# Months
# =================================================================================================
_START = re.compile(r"^(\d{4})-(\d{2})$")


@functools.lru_cache(maxsize=256)
def month_labels(start: str, months: int) -> tuple[str, ...]:
    """``start`` and the following months as ``YYYY-MM`` labels (cached: every plan asks)."""
    m = _START.match(start)
    if not m:
        raise ScenarioError(
            "start",
            f"must be a month written YYYY-MM, got {start!r}",
            code="bad_start",
            params={"got": repr(start)},
        )
    year, month = int(m.group(1)), int(m.group(2)) - 1
    return tuple(
        f"{year + (month + i) // 12:04d}-{(month + i) % 12 + 1:02d}" for i in range(months)
    )


# =================================================================================================
# Parsing and validation
# =================================================================================================
_TOP_FIELDS = {
    "schema", "name", "start", "months", "currency", "stages", "opening", "recycle", "deal",
    "customers", "inflow", "target", "divisions", "capacity", "costs", "description", "notes",
    "source",
}  # fmt: skip
"""The top-level fields; ``description``, ``notes`` and ``source`` (where a baseline came from)
are free-form and the model ignores them."""
_STAGE_FIELDS = {"key", "label", "owner", "conversion", "disqualify", "recycle", "lag"}
_RANGE_KEYS = {"low", "base", "high"}


def _show(value: Any) -> str:
    """A value as the message quotes it (JSON, shortened); never fails, whatever it is."""
    try:
        text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    except (TypeError, ValueError):  # not JSON, or an int of more digits than str() allows
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: Any, where: str, lo: float = 0.0, hi: float = math.inf, kind: str = "") -> float:
    """A finite JSON number in [lo, hi]; bools, strings, NaN and infinities are rejected.

    ``kind`` names what the bounds are for the message: ``rate`` (0..1), ``lag`` (0..60 months),
    ``months`` (the horizon, 1..120), or nothing (``between lo and hi``, ``not negative``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(
            where,
            f"must be a number, got {_show(value)}",
            code="not_a_number",
            params={"got": _show(value)},
        )
    try:
        x = float(value)
    except OverflowError:  # an int beyond any float: as JSON text reads it (parse_json)
        x = value = math.inf if value > 0 else -math.inf
    if not math.isfinite(x):
        raise ScenarioError(
            where,
            f"must be a finite number, got {_show(value)}",
            code="not_finite",
            params={"got": _show(value)},
        )
    if x > MAX_NUMBER and hi > MAX_NUMBER:  # an amount or a count without a bound of its own
        raise ScenarioError(
            where,
            f"must be at most {MAX_NUMBER:g}, got {_show(value)}",
            code="number_too_large",
            params={"limit": MAX_NUMBER, "got": _show(value)},
        )
    if x < lo or x > hi:
        bounds = {"value": value, "low": lo, "high": hi}
        if lo == 0.0 and x < 0 and kind != "rate" and kind != "lag":
            raise ScenarioError(
                where,
                f"must not be negative, got {value}",
                code="negative",
                params={"value": value},
            )
        if kind == "rate":
            raise ScenarioError(
                where,
                f"must be a rate between 0 and 1, got {value}",
                code="rate_out_of_range",
                params=bounds,
            )
        if kind == "lag":
            raise ScenarioError(
                where,
                f"must be between 0 and 60 months, got {value}",
                code="lag_out_of_range",
                params=bounds,
            )
        if kind == "months":
            raise ScenarioError(
                where,
                f"must be a whole number from 1 to 120, got {value}",
                code="bad_months",
                params=bounds,
            )
        raise ScenarioError(
            where,
            f"must be between {lo:g} and {hi:g}, got {value}",
            code="out_of_range",
            params=bounds,
        )
    return x


def _param(value: Any, where: str, lo: float = 0.0, hi: float = math.inf, kind: str = "") -> Param:
    """A number, or a range ``{low, base, high}`` whose three values each satisfy the bounds."""
    if isinstance(value, Mapping):
        keys = set(value)
        if keys != _RANGE_KEYS:
            missing = sorted(_RANGE_KEYS - keys)
            extra = sorted(keys - _RANGE_KEYS)
            detail = (f"missing {', '.join(missing)}" if missing else "") + (
                ("; " if missing and extra else "")
                + (f"unknown {', '.join(extra)}" if extra else "")
            )
            raise ScenarioError(
                where,
                f"a range needs exactly low, base and high ({detail})",
                code="range_keys",
                params={"missing": missing, "unknown": extra},
            )
        low = _number(value["low"], f"{where}.low", lo, hi, kind)
        mid = _number(value["base"], f"{where}.base", lo, hi, kind)
        high = _number(value["high"], f"{where}.high", lo, hi, kind)
        if low > mid:
            raise ScenarioError(
                where,
                f"range must have low <= base, got low {low:g} > base {mid:g}",
                code="range_low_above_base",
                params={"low": low, "base": mid},
            )
        if mid > high:
            raise ScenarioError(
                where,
                f"range must have base <= high, got base {mid:g} > high {high:g}",
                code="range_base_above_high",
                params={"base": mid, "high": high},
            )
        return Range(low, mid, high)
    return _number(value, where, lo, hi, kind)


def _rate(value: Any, where: str) -> Param:
    return _param(value, where, 0.0, 1.0, "rate")


def _monthly(value: Any, where: str, months: int, allow_range: bool) -> Param | tuple[float, ...]:
    """A number (the same every month) or a list of exactly H non-negative numbers."""
    if isinstance(value, list | tuple):
        if len(value) != months:
            raise ScenarioError(
                where,
                f"must have {months} values (one per month), got {len(value)}",
                code="wrong_length",
                params={"expected": months, "got": len(value)},
            )
        return tuple(_number(v, f"{where}[{i}]") for i, v in enumerate(value))
    if not allow_range and isinstance(value, Mapping):
        raise ScenarioError(
            where, "must be a number or a list, not a range", code="number_or_list_not_range"
        )
    return _param(value, where)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ScenarioError(
            where,
            f"must be an object, got {_show(value)}",
            code="not_an_object",
            params={"got": _show(value)},
        )
    return value


def _check_fields(obj: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        prefix = f"{where}." if where else ""
        raise ScenarioError(
            f"{prefix}{unknown[0]}",
            f"unknown field (allowed: {', '.join(sorted(allowed))})",
            code="unknown_field",
            params={"field": unknown[0], "allowed": sorted(allowed)},
        )


def _rate_params(conversion: float, disqualify: float, recycle: float) -> dict[str, float]:
    return {"conversion": conversion, "disqualify": disqualify, "recycle": recycle}


def _stages(raw: Any) -> tuple[Stage, ...]:
    if not isinstance(raw, list):
        raise ScenarioError(
            "stages",
            f"must be a list of stages, got {_show(raw)}",
            code="stages_not_a_list",
            params={"got": _show(raw)},
        )
    if len(raw) < 2:
        raise ScenarioError(
            "stages",
            f"needs at least two stages, got {len(raw)}",
            code="too_few_stages",
            params={"count": len(raw)},
        )
    keys: list[str] = []
    out: list[Stage] = []
    for i, st in enumerate(raw):
        if not isinstance(st, Mapping):
            raise ScenarioError(
                f"stages[{i}]",
                f"must be an object, got {_show(st)}",
                code="not_an_object",
                params={"got": _show(st)},
            )
        key = st.get("key")
        if not isinstance(key, str) or not key.strip():
            raise ScenarioError(
                f"stages[{i}].key",
                f"must be a non-empty text, got {_show(key)}",
                code="no_stage_key",
                params={"got": _show(key)},
            )
        check_text(key, f"stages[{i}].key", MAX_NAME)
        if key in keys:
            raise ScenarioError(
                f"stages[{i}].key",
                f"duplicate stage key {key!r}",
                code="duplicate_stage_key",
                params={"stage": key},
            )
        keys.append(key)
        where = f"stages[{key}]"
        _check_fields(st, _STAGE_FIELDS, where)
        label = st.get("label", "")
        if not isinstance(label, str):
            raise ScenarioError(
                f"{where}.label",
                f"must be text, got {_show(label)}",
                code="not_text",
                params={"got": _show(label)},
            )
        check_text(label, f"{where}.label", MAX_NAME)
        owner = st.get("owner")
        if owner is not None and owner not in DIVISIONS:
            raise ScenarioError(
                f"{where}.owner",
                f"must be one of {', '.join(DIVISIONS)}, got {_show(owner)}",
                code="unknown_owner",
                params={"got": _show(owner), "divisions": list(DIVISIONS)},
            )
        terminal = i == len(raw) - 1
        if terminal:
            for name in ("conversion", "disqualify", "recycle", "lag"):
                if name in st:
                    raise ScenarioError(
                        f"{where}.{name}",
                        "the last (terminal, won) stage has no rates or lag",
                        code="terminal_stage_rates",
                    )
            out.append(Stage(key=key, label=label, owner=owner, terminal=True))
            continue
        if "conversion" not in st:
            raise ScenarioError(
                f"{where}.conversion",
                "is required for every non-terminal stage",
                code="conversion_required",
            )
        conv = _rate(st["conversion"], f"{where}.conversion")
        disq = _rate(st.get("disqualify", 0.0), f"{where}.disqualify")
        recy = _rate(st.get("recycle", 0.0), f"{where}.recycle")
        lag = _param(st.get("lag", 0.0), f"{where}.lag", 0.0, MAX_LAG, "lag")
        rates = (conv, disq, recy)
        total = base(conv) + base(disq) + base(recy)
        if total > 1.0 + 1e-12:
            raise ScenarioError(
                f"{where}.conversion",
                f"conversion + disqualify + recycle = {total:.6g} exceeds 1",
                code="rates_exceed_one",
                params={"total": total, **_rate_params(*map(base, rates))},
            )
        high_ends = [v.high if isinstance(v, Range) else v for v in rates]
        highs = sum(high_ends)
        if highs > 1.0 + 1e-12:
            raise ScenarioError(
                f"{where}.conversion",
                f"conversion + disqualify + recycle reaches {highs:.6g} > 1 at the high ends of "
                "their ranges",
                code="range_rates_exceed_one",
                params={"total": highs, **_rate_params(*high_ends)},
            )
        out.append(
            Stage(key, label, owner, conv, disq, recy, lag)
        )  # fmt: skip
    return tuple(out)


def parse_scenario(data: Mapping[str, Any] | Any) -> Scenario:
    """Validate a scenario in its JSON form (spec section 2) and return the value object.

    Raises :class:`ScenarioError` naming the field for every invalid case the spec lists: a rate
    outside [0, 1]; conversion + disqualify + recycle > 1 (sums compared with a 1e-12
    tolerance); a lag outside [0, 60]; months outside 1..120; a list of the wrong length; an
    unknown stage key, or the terminal stage, in ``opening`` or ``recycle.reentry``; duplicate
    stage keys; fewer than two stages; a negative number; a range with low > base or base >
    high; a non-number (NaN and infinities included); a non-integer where a whole number is
    meant (``months``, ``deal.onboarding_months``, and in section 8 ``ramp_months`` and
    ``hiring_months``: 12.0 is the whole number 12, 12.5 is not); a value outside an enumeration
    (``deal.revenue``, ``target.metric``, a stage's ``owner``, section 8's ``basis``). Section
    8's own rules for ``capacity`` and ``costs``: ``per_head`` > 0 (the only field that may be a
    range), ``heads`` ≥ 0 (a number or H numbers), ``attrition`` in [0, 1), ``works`` a
    non-terminal stage key or ``"customers"``, a ``per_arrival`` key a stage (see
    :func:`_capacity`, :func:`_costs`).

    Beyond the spec's list (each a guard the spec leaves open): unknown fields (a misspelt
    ``months``; ``description``, ``notes`` and ``source`` are free-form and ignored), the
    schema version, a range's keys, a total and a monthly target together, a bookings or revenue
    target without a deal size, a currency that is not three capital letters, a terminal stage
    with rates, rates whose high ends add up to more than 1, ``onboarding_months`` above 60,
    ``expansion_rate`` above 10, ``ramp_months`` and ``hiring_months`` above 120 (limits, so no
    plan overflows), a ``capacity`` key that is not a division, a division without ``works`` or
    ``per_head``.

    Limits come first, before any other check (:mod:`model.limits`): at most 12 stages (counted
    before anything else is read), then one walk of the whole object refusing nesting deeper
    than 32, more than 20,000 values, a text longer than 10,000 characters or more than 1 MB of
    JSON; then, field by field, a name, stage key or label longer than 200 characters and an
    amount or a count above 1e18 (so no plan overflows).

    The defaults are the spec's: ``months`` 12, ``currency`` JPY, ``opening`` {}, no recycle
    pool (nothing reactivated; the re-entry stage the 2nd, or the 1st of two), ``deal.size`` 0,
    ``deal.revenue`` one_time, ``onboarding_months`` 0, customers all 0 with ``renewal_rate`` 1,
    ``inflow`` 0, no target, ``target.metric`` bookings; a stage's ``disqualify``, ``recycle``
    and ``lag`` 0. ``start`` has none.
    """
    if isinstance(data, Scenario):
        return data
    check_scenario(data)  # its size, before any work on it
    if not isinstance(data, Mapping):
        raise ScenarioError(
            "(scenario)",
            f"must be a JSON object, got {_show(data)}",
            code="not_an_object",
            params={"got": _show(data)},
        )
    _check_fields(data, _TOP_FIELDS, "")
    schema = data.get("schema", 1)
    if schema != 1 or isinstance(schema, bool):
        raise ScenarioError(
            "schema",
            f"only schema 1 is supported, got {_show(schema)}",
            code="unsupported_schema",
            params={"got": _show(schema)},
        )
    name = data.get("name", "")
    if not isinstance(name, str):
        raise ScenarioError(
            "name", f"must be text, got {_show(name)}", code="not_text", params={"got": _show(name)}
        )
    check_text(name, "name", MAX_NAME)
    currency = data.get("currency", "JPY")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise ScenarioError(
            "currency",
            f"must be a 3-letter code such as JPY, got {_show(currency)}",
            code="bad_currency",
            params={"got": _show(currency)},
        )
    if "start" not in data:
        raise ScenarioError(
            "start", "is required: the first month, written YYYY-MM", code="start_required"
        )
    start = data["start"]
    if not isinstance(start, str) or not _START.match(start) or not 1 <= int(start[5:]) <= 12:
        raise ScenarioError(
            "start",
            f"must be a month written YYYY-MM, got {_show(start)}",
            code="bad_start",
            params={"got": _show(start)},
        )

    months_raw = data.get("months", 12)
    months_f = _number(months_raw, "months", 1, MAX_MONTHS, "months")
    if months_f != int(months_f):
        raise ScenarioError(
            "months",
            f"must be a whole number from 1 to 120, got {months_raw}",
            code="bad_months",
            params={"value": months_raw, "low": 1, "high": MAX_MONTHS},
        )
    months = int(months_f)

    stages = _stages(data.get("stages"))
    keys = [s.key for s in stages]

    opening = _object(data.get("opening"), "opening")
    for k, v in opening.items():
        if k not in keys:
            raise ScenarioError(
                f"opening.{k}",
                f"unknown stage {k!r} (stages are: {', '.join(keys)})",
                code="unknown_stage",
                params={"stage": k, "stages": list(keys)},
            )
        if k == keys[-1]:
            raise ScenarioError(
                f"opening.{k}", "the terminal (won) stage holds no stock", code="opening_in_won"
            )
        stages = tuple(
            replace(s, opening=_param(v, f"opening.{k}")) if s.key == k else s for s in stages
        )

    rec = _object(data.get("recycle"), "recycle")
    _check_fields(rec, {"reentry", "reactivation", "expiry", "opening", "volume"}, "recycle")
    reentry = rec.get("reentry", keys[1] if len(keys) > 2 else keys[0])
    if reentry not in keys:
        raise ScenarioError(
            "recycle.reentry",
            f"unknown stage {_show(reentry)} (stages are: {', '.join(keys)})",
            code="unknown_stage",
            params={
                "stage": reentry if isinstance(reentry, str) else _show(reentry),
                "stages": list(keys),
            },
        )
    if reentry == keys[-1]:
        raise ScenarioError(
            "recycle.reentry",
            "reactivated items cannot re-enter the won stage",
            code="reentry_into_won",
        )
    volume_raw = rec.get("volume")
    recycle = Recycle(
        reentry=reentry,
        reactivation=_rate(rec.get("reactivation", 0.0), "recycle.reactivation"),
        expiry=_rate(rec.get("expiry", 0.0), "recycle.expiry"),
        opening=_param(rec.get("opening", 0.0), "recycle.opening"),
        volume=None if volume_raw is None else _monthly(volume_raw, "recycle.volume", months, True),
    )

    deal_raw = _object(data.get("deal"), "deal")
    _check_fields(deal_raw, {"size", "revenue", "onboarding_months"}, "deal")
    kind = deal_raw.get("revenue", "one_time")
    if kind not in REVENUE_KINDS:
        raise ScenarioError(
            "deal.revenue",
            f"must be 'one_time' or 'subscription', got {_show(kind)}",
            code="unknown_revenue_kind",
            params={"got": _show(kind), "kinds": list(REVENUE_KINDS)},
        )
    onboarding = _number(deal_raw.get("onboarding_months", 0), "deal.onboarding_months", 0, 60)
    if onboarding != int(onboarding):
        raise ScenarioError(
            "deal.onboarding_months",
            f"must be a whole number, got {onboarding:g}",
            code="not_whole",
            params={"value": onboarding},
        )
    deal = Deal(
        size=_param(deal_raw.get("size", 0.0), "deal.size"),
        revenue=kind,
        onboarding_months=int(onboarding),
    )

    cust = _object(data.get("customers"), "customers")
    _check_fields(
        cust, {"opening_count", "opening_mrr", "renewal_rate", "expansion_rate"}, "customers"
    )
    customers = Customers(
        opening_count=_param(cust.get("opening_count", 0.0), "customers.opening_count"),
        opening_mrr=_param(cust.get("opening_mrr", 0.0), "customers.opening_mrr"),
        renewal_rate=_rate(cust.get("renewal_rate", 1.0), "customers.renewal_rate"),
        expansion_rate=_param(
            cust.get("expansion_rate", 0.0), "customers.expansion_rate", 0.0, 10.0
        ),
    )

    inflow = _monthly(data.get("inflow", 0.0), "inflow", months, True)

    target = None
    if data.get("target") is not None:
        target = _target(_object(data["target"], "target"), months, deal)

    handoffs: list[tuple[str, str]] = []
    for div, spec in _object(data.get("divisions"), "divisions").items():
        if div not in DIVISIONS:
            raise ScenarioError(
                f"divisions.{div}",
                f"unknown division (divisions are: {', '.join(DIVISIONS)})",
                code="unknown_division",
                params={"division": div, "divisions": list(DIVISIONS)},
            )
        spec = _object(spec, f"divisions.{div}")
        _check_fields(spec, {"handoff"}, f"divisions.{div}")
        text = spec.get("handoff", "")
        if not isinstance(text, str):
            raise ScenarioError(
                f"divisions.{div}.handoff",
                f"must be text, got {_show(text)}",
                code="not_text",
                params={"got": _show(text)},
            )
        handoffs.append((div, text))

    return Scenario(
        start=start,
        months=months,
        stages=stages,
        recycle=recycle,
        deal=deal,
        customers=customers,
        inflow=inflow,
        target=target,
        name=name,
        currency=currency,
        handoffs=tuple(sorted(handoffs)),
        capacity=(
            None if data.get("capacity") is None else _capacity(data["capacity"], stages, months)
        ),
        costs=None if data.get("costs") is None else _costs(data["costs"], keys),
    )


def _target(raw: Mapping[str, Any], months: int, deal: Deal) -> Target:
    _check_fields(raw, {"metric", "total", "monthly"}, "target")
    metric = raw.get("metric", "bookings")
    if metric not in METRICS:
        raise ScenarioError(
            "target.metric",
            f"must be one of {', '.join(METRICS)}, got {_show(metric)}",
            code="unknown_metric",
            params={"got": _show(metric), "metrics": list(METRICS)},
        )
    has_total, has_monthly = "total" in raw, "monthly" in raw
    if has_total == has_monthly:
        raise ScenarioError(
            "target", "give exactly one of 'total' or 'monthly'", code="total_or_monthly"
        )
    if metric in ("bookings", "revenue") and base(deal.size) <= 0:
        raise ScenarioError(
            "deal.size",
            f"must be positive for a {metric} target",
            code="deal_size_required",
            params={"metric": metric},
        )
    if has_total:
        total = raw["total"]
        if isinstance(total, Mapping):
            raise ScenarioError(
                "target.total", "must be a number, not a range", code="number_not_range"
            )
        return Target(metric, total=_number(total, "target.total"))
    if metric == "revenue":
        raise ScenarioError(
            "target.metric",
            "a monthly target takes wins or bookings; revenue is only a total target",
            code="monthly_revenue_target",
        )
    monthly = _monthly(raw["monthly"], "target.monthly", months, False)
    values = monthly if isinstance(monthly, tuple) else (float(monthly),) * months
    return Target(metric, monthly=values)


BASES = ("arrivals", "stock")
"""Section 8's ``basis``: a division's workload is the arrivals into the stage it works, or its
end-of-month stock."""
CUSTOMERS_WORK = "customers"
"""Section 8's ``works`` value for the customer base (customers(t) is the workload)."""
MAX_HIRING_MONTHS = 120
"""A limit on ``ramp_months`` and ``hiring_months`` (the spec sets none; 120 is the longest
horizon), so (1 − a)^ramp stays a normal float."""
_CAPACITY_FIELDS = {
    "works", "basis", "per_head", "heads", "ramp_months", "hiring_months", "attrition",
    "cost_per_head",
}  # fmt: skip


def _plain(value: Any, where: str, lo: float = 0.0, hi: float = math.inf) -> float:
    """A plain number (spec section 8: a range anywhere in ``capacity`` or ``costs`` but
    ``per_head`` is invalid)."""
    if isinstance(value, Mapping):
        raise ScenarioError(where, "must be a number, not a range", code="number_not_range")
    return _number(value, where, lo, hi)


def _whole_months(value: Any, where: str) -> int:
    x = _plain(value, where, 0.0, MAX_HIRING_MONTHS)
    if x != int(x):
        raise ScenarioError(
            where, f"must be a whole number, got {x:g}", code="not_whole", params={"value": x}
        )
    return int(x)


def _capacity(raw: Any, stages: tuple[Stage, ...], months: int) -> tuple[tuple[str, Capacity], ...]:
    """Section 8's ``capacity``: one entry per division, kept in the order given."""
    keys = [s.key for s in stages]
    out: list[tuple[str, Capacity]] = []
    for div, spec in _object(raw, "capacity").items():
        where = f"capacity.{div}"
        if div not in DIVISIONS:
            raise ScenarioError(
                where,
                f"unknown division (divisions are: {', '.join(DIVISIONS)})",
                code="unknown_division",
                params={"division": div, "divisions": list(DIVISIONS)},
            )
        spec = _object(spec, where)
        _check_fields(spec, _CAPACITY_FIELDS, where)
        if "works" not in spec:
            raise ScenarioError(
                f"{where}.works",
                f"is required: a non-terminal stage ({', '.join(keys[:-1])}) or 'customers'",
                code="works_required",
                params={"stages": keys[:-1]},
            )
        works = spec["works"]
        if works == keys[-1]:
            raise ScenarioError(
                f"{where}.works",
                f"the terminal (won) stage {works!r} is no workload: give a non-terminal stage "
                "or 'customers'",
                code="works_terminal",
                params={"stage": works},
            )
        if works != CUSTOMERS_WORK and works not in keys:
            raise ScenarioError(
                f"{where}.works",
                f"must be a non-terminal stage ({', '.join(keys[:-1])}) or 'customers', got "
                f"{_show(works)}",
                code="unknown_works",
                params={"got": _show(works), "stages": keys[:-1]},
            )
        basis = spec.get("basis", "arrivals")
        if basis not in BASES or isinstance(basis, bool):
            raise ScenarioError(
                f"{where}.basis",
                f"must be 'arrivals' or 'stock', got {_show(basis)}",
                code="unknown_basis",
                params={"got": _show(basis), "bases": list(BASES)},
            )
        if "per_head" not in spec:
            raise ScenarioError(
                f"{where}.per_head",
                "is required: the workload one productive head handles per month",
                code="per_head_required",
            )
        per_head = _param(spec["per_head"], f"{where}.per_head", -math.inf)
        ends = (
            (("low", per_head.low), ("base", per_head.base), ("high", per_head.high))
            if isinstance(per_head, Range)
            else (("", per_head),)
        )
        for end, x in ends:
            if x <= 0:
                raise ScenarioError(
                    f"{where}.per_head{'.' + end if end else ''}",
                    f"must be above zero, got {x:g}",
                    code="not_positive",
                    params={"value": x},
                )
        heads = _monthly(spec.get("heads", 0.0), f"{where}.heads", months, False)
        attrition_raw = spec.get("attrition", 0.0)
        attrition = _plain(attrition_raw, f"{where}.attrition", -math.inf)
        if not 0.0 <= attrition < 1.0:
            raise ScenarioError(
                f"{where}.attrition",
                f"must be an annual share from 0 up to (not including) 1, got {attrition_raw}",
                code="attrition_out_of_range",
                params={"value": attrition, "low": 0.0, "high": 1.0},
            )
        out.append(
            (
                div,
                Capacity(
                    works=works,
                    per_head=per_head,
                    basis=basis,
                    heads=heads if isinstance(heads, tuple) else float(heads),
                    ramp_months=_whole_months(spec.get("ramp_months", 0), f"{where}.ramp_months"),
                    hiring_months=_whole_months(
                        spec.get("hiring_months", 0), f"{where}.hiring_months"
                    ),
                    attrition=attrition,
                    cost_per_head=_plain(spec.get("cost_per_head", 0.0), f"{where}.cost_per_head"),
                ),
            )
        )
    return tuple(out)


def _costs(raw: Any, keys: Sequence[str]) -> Costs:
    """Section 8's ``costs``: per inflow, per arrival into a stage (a stage key each), fixed."""
    costs = _object(raw, "costs")
    _check_fields(costs, {"per_inflow", "per_arrival", "fixed_monthly"}, "costs")
    per_arrival = []
    for k, v in _object(costs.get("per_arrival"), "costs.per_arrival").items():
        if k not in keys:
            raise ScenarioError(
                f"costs.per_arrival.{k}",
                f"unknown stage {k!r} (stages are: {', '.join(keys)})",
                code="unknown_stage",
                params={"stage": k, "stages": list(keys)},
            )
        per_arrival.append((k, _plain(v, f"costs.per_arrival.{k}")))
    return Costs(
        per_inflow=_plain(costs.get("per_inflow", 0.0), "costs.per_inflow"),
        per_arrival=tuple(per_arrival),
        fixed_monthly=_plain(costs.get("fixed_monthly", 0.0), "costs.fixed_monthly"),
    )


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; unreadable or non-JSON files raise ScenarioError."""
    return parse_scenario(parse_json(read_scenario_text(path), str(path)))


def read_scenario_text(path: str | Path | None) -> str:
    """A scenario file's text (``None``: standard input), read no further than
    :data:`MAX_SCENARIO_BYTES` + 1 bytes, so a file of any size (``/dev/zero``) costs no more;
    a larger file, an unreadable one and one that is not UTF-8 raise ScenarioError."""
    source = "(stdin)" if path is None else str(path)
    try:
        if path is None:
            stream = getattr(sys.stdin, "buffer", None)  # a test's stdin may be text only
            data = (
                stream.read(MAX_SCENARIO_BYTES + 1)
                if stream is not None
                else sys.stdin.read(MAX_SCENARIO_BYTES + 1).encode("utf-8", "surrogatepass")
            )
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_SCENARIO_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(
            "(file)",
            f"cannot read {source}: {exc.strerror or exc}",
            code="file_unreadable",
            params={"path": source, "error": str(exc.strerror or exc)},
        ) from None
    if len(data) > MAX_SCENARIO_BYTES:
        raise too_large(source, _file_size(path) or len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(
            "(file)", f"{source} is not UTF-8 text", code="file_not_utf8", params={"path": source}
        ) from None


def _file_size(path: str | Path | None) -> int:
    """A regular file's size in bytes; 0 for standard input, a pipe or a device."""
    try:
        st = Path(path).stat() if path is not None else None
    except OSError:
        return 0
    return st.st_size if st is not None and stat.S_ISREG(st.st_mode) else 0


def parse_json(text: str, source: str = "(scenario)") -> Any:
    """JSON text to Python, with a positioned ScenarioError instead of a traceback.

    ``NaN``, ``Infinity`` and ``-Infinity`` (which Python's json accepts) and numbers too large
    for a float (``1e400``, an integer of hundreds of digits) are read as the floats they stand
    for, so that :func:`parse_scenario` rejects them naming the field they are in (spec section
    2: a non-number, NaN and infinities included); none of them can reach a plan.
    """
    check_text_size(text, source)  # before json.loads does any work
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "(file)",
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            code="invalid_json",
            params={
                "source": source,
                "error": exc.msg,
                "line": exc.lineno,
                "column": exc.colno,
            },
        ) from None
    except RecursionError:  # deeper than Python reads (parse_scenario refuses MAX_DEPTH)
        raise ScenarioError(
            "(file)",
            f"{source} is nested too deeply to read",
            code="too_deep",
            params={"limit": MAX_DEPTH},
        ) from None


MAX_INT_DIGITS = 300
"""An integer literal longer than this is read as a float (inf past 1e308), not an int: Python
refuses int() of more than 4,300 digits, and no count or amount needs more than 300."""


def _json_int(digits: str) -> int | float:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else float(digits)


def as_sequence(values: Param | Sequence[float], months: int) -> tuple[float, ...]:
    """H base values from a per-month parameter (a number, a range, or a list)."""
    if isinstance(values, tuple | list):
        return tuple(float(v) for v in values)
    return (float(base(values)),) * months
