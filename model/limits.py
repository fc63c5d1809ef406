"""The limits of a scenario, checked before any work is done on it (issue 13).

A scenario arrives as JSON text (a file, a pasted or imported export) or as the object that text
became (the app's draft, a saved version). Before it is validated field by field, and long before
it is planned, its size is held to named constants, so that no input, however crafted, makes a
process read, validate or simulate more than a real plan needs: a 489 KB file of 10,000 stages
once took a process to 24 GB.

- the JSON text: at most :data:`MAX_SCENARIO_BYTES` bytes (checked on the text, before
  ``json.loads``; on an object, an estimate of its JSON size while it is walked);
- nesting: at most :data:`MAX_DEPTH` levels of objects and lists (a valid scenario has 4, a
  baseline's free-form ``notes`` 9);
- values: at most :data:`MAX_VALUES` numbers, texts, lists and objects in all;
- texts: at most :data:`MAX_TEXT` characters each (object keys included), and :data:`MAX_NAME`
  for the scenario's name and a stage's key and label;
- stages: at most :data:`MAX_STAGES` (the data layer's stage designs share it, and spec section 9
  refuses a bridge of more than 10 stages: S + 2 factors, at most 12);
- the horizon: :data:`MAX_MONTHS` months (spec section 2); every monthly list has exactly that
  many values, checked by its length before any value is read;
- numbers: an amount or a count at most :data:`MAX_NUMBER`, so that no product of two of them
  overflows a float (a deal size of 1e308 printed ``Infinity``);
- Monte Carlo: at most :data:`MAX_DRAWS` draws (``model.uncertainty.monte_carlo``);
- the result: a plan whose numbers still are not finite is an error, never ``NaN`` or
  ``Infinity`` in its JSON (:func:`dump_json`).

Each limit raises :class:`ScenarioError` with its own code and the params ``limit`` and, where it
is known, ``found``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import ScenarioError

MAX_SCENARIO_BYTES = 1_000_000
"""The largest scenario, as UTF-8 JSON text (a 120-month, 12-stage plan with every range and
monthly list filled, capacity for four divisions included, is 15 KB)."""
MAX_DEPTH = 32
"""The deepest nesting of objects and lists (well below Python's recursion limit of 1,000)."""
MAX_VALUES = 20_000
"""The most numbers, texts, lists and objects in one scenario (that largest plan has 1,028; a
baseline's notes add about 150)."""
MAX_TEXT = 10_000
"""The longest text anywhere in a scenario (a description, a hand-off rule, an object key)."""
MAX_NAME = 200
"""The longest scenario name, stage key or stage label (they are shown in tables and charts)."""
MAX_STAGES = 12
"""The most stages of a funnel (a scenario's and a stage design's)."""
MAX_MONTHS = 120
"""The longest horizon H (spec section 2: months 1..120)."""
MAX_DRAWS = 100_000
"""The most Monte Carlo draws of one run (spec section 6's default is 2,000; the draws are
simulated in chunks, so memory stays bounded, but time grows with them)."""
MAX_NUMBER = 1e18
"""The largest amount or count (a deal size, an inflow, a target, an opening stock): above any
company's figures in any currency, and small enough that no product of two overflows."""


def check_text_size(text: str, source: str = "(scenario)") -> None:
    """Refuse JSON text of more than :data:`MAX_SCENARIO_BYTES` UTF-8 bytes (before it is read:
    the character count first, which is never more than the byte count)."""
    if len(text) <= MAX_SCENARIO_BYTES // 4:  # four bytes per character at most
        return
    size = len(text) if len(text) > MAX_SCENARIO_BYTES else utf8_size(text)
    if size > MAX_SCENARIO_BYTES:
        raise too_large(source, size)


def utf8_size(text: str) -> int:
    """The length of ``text`` in UTF-8 (lone surrogates counted as three bytes, not refused)."""
    return len(text.encode("utf-8", "surrogatepass"))


def too_large(source: str, found: int | None = None) -> ScenarioError:
    """The error of a scenario over :data:`MAX_SCENARIO_BYTES`: ``found`` bytes of text, or an
    object whose JSON would be larger (``found`` unknown: the walk stopped at the limit)."""
    if found is None:
        return ScenarioError(
            "(scenario)",
            f"is too large: more than {MAX_SCENARIO_BYTES:,} bytes of JSON",
            code="too_large",
            params={"limit": MAX_SCENARIO_BYTES},
        )
    return ScenarioError(
        "(file)",
        f"{source} is too large: {found:,} bytes, the limit is {MAX_SCENARIO_BYTES:,}",
        code="too_large",
        params={"limit": MAX_SCENARIO_BYTES, "found": found},
    )


def too_deep(where: str) -> ScenarioError:
    """The error of objects and lists nested more than :data:`MAX_DEPTH` levels deep."""
    return ScenarioError(
        where,
        f"is nested more than {MAX_DEPTH} levels deep",
        code="too_deep",
        params={"limit": MAX_DEPTH},
    )


def check_scenario(data: Any) -> None:
    """A scenario's JSON object within the limits: its stages counted first (the limit a user
    acts on: a file of 10,000 stages is told so, not that it has too many values), then the
    whole object walked once (:func:`check_limits`)."""
    stages = data.get("stages") if isinstance(data, Mapping) else None
    if isinstance(stages, list) and len(stages) > MAX_STAGES:
        raise ScenarioError(
            "stages",
            f"has at most {MAX_STAGES} stages, got {len(stages):,}",
            code="too_many_stages",
            params={"limit": MAX_STAGES, "found": len(stages)},
        )
    check_limits(data)


def check_limits(data: Any) -> None:
    """Walk a scenario's JSON object once, without recursion, and refuse it at the first limit
    it breaks: nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values, a text
    longer than :data:`MAX_TEXT`, or more than :data:`MAX_SCENARIO_BYTES` of JSON (estimated as
    it goes: the texts, 8 bytes a number and the separators). The walk stops at the limit, so
    its work is bounded whatever the object holds. The field named is the JSON path (built only
    for an error: the walk costs about 0.1 ms for the sample scenario)."""
    if isinstance(data, str):
        check_text(data, "(scenario)")
    if not isinstance(data, Mapping | list | tuple):
        return
    stack: list[tuple[Any, Any, int]] = [(data, None, 0)]  # (container, its trail, its depth)
    values, size = 1, 0
    while stack:
        node, trail, depth = stack.pop()
        if depth >= MAX_DEPTH:
            raise too_deep(_path(trail) or "(scenario)")
        pairs = node.items() if isinstance(node, Mapping) else enumerate(node)
        values += len(node)
        size += 2 + 2 * len(node)
        for key, value in pairs:
            if type(key) is str:
                size += len(key) + 2
                if len(key) > MAX_TEXT:
                    check_text(key, _path((trail, key)))
            kind = type(value)
            if kind in _SCALARS:
                size += 8  # a number, true, false or null
            elif kind is str or isinstance(value, str):
                size += len(value) + 2
                if len(value) > MAX_TEXT:
                    check_text(value, _path((trail, key)))
            elif kind is dict or kind is list or isinstance(value, Mapping | list | tuple):
                stack.append((value, (trail, key), depth + 1))
            else:
                size += 8
        if values > MAX_VALUES:
            raise ScenarioError(
                "(scenario)",
                f"has more than {MAX_VALUES:,} values",
                code="too_many_values",
                params={"limit": MAX_VALUES},
            )
        if size > MAX_SCENARIO_BYTES:
            raise too_large("(scenario)")


_SCALARS = frozenset((int, float, bool, type(None)))  # the fast path of the walk (no isinstance)


def _path(trail: Any) -> str:
    """The JSON path of a walk's trail ``(parent trail, key)``: ``stages[2].label``."""
    parts: list[str] = []
    while trail is not None:
        trail, key = trail
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "".join(reversed(parts)).lstrip(".")


def check_text(text: str, where: str, limit: int = MAX_TEXT) -> None:
    """Refuse a text of more than ``limit`` characters."""
    if len(text) > limit:
        raise ScenarioError(
            where,
            f"is {len(text):,} characters long, more than the limit of {limit:,}",
            code="text_too_long",
            params={"limit": limit, "found": len(text)},
        )


def dump_json(value: Any, indent: int | None = None) -> str:
    """A result as JSON text; a number that is not finite (an overflow) is an error, never
    ``NaN`` or ``Infinity`` in the output (which is not JSON)."""
    try:
        return json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise ScenarioError(
            "(scenario)",
            "the result overflows: a number in it is beyond any float; use smaller amounts",
            code="result_not_finite",
        ) from None
