"""Changing a scenario's currency (issue 12): convert every amount at a rate the user types, or
relabel knowingly (the amounts were in the new currency already), or leave it as it is.

The pure part (no streamlit): :data:`MONEY_FIELDS` lists where the scenario JSON (spec section 2,
section 8 and what the app records in ``notes``) holds an amount; :func:`convert` multiplies each
by the rate; :func:`change_currency` also sets ``currency`` and records the change in the
scenario's ``notes.currency_changes`` (from, to, rate, when) so a reader can see it was
converted. Counts (wins, inflow, heads, opening stock) and rates are never touched.

The dialog (:func:`ask`) is opened by the sidebar's currency selectbox (``app.py``).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

MAX_RATE = 1e6
"""The largest rate accepted (1 unit = 10^6 of the other: no real pair comes near it)."""
SIGNIFICANT = 12
"""Converted amounts keep 12 significant figures: ``0.1 * 3`` does not leave a
``0.30000000000000004`` in the scenario, and a round trip at rate then 1/rate comes back to the
original within 1e-11 relative."""
NOTES_KEY = "currency_changes"

Path_ = tuple[str, ...]

# Where the amounts are. A ``*`` stands for every key of the object there (a stage of
# ``costs.per_arrival``, a division of ``capacity``). Each value is a number, a range
# ``{low, base, high}`` or a list of monthly numbers.
MONEY_FIELDS: tuple[Path_, ...] = (
    ("deal", "size"),  # bookings per win (its range ends too)
    ("customers", "opening_mrr"),  # the existing base's monthly recurring revenue
    ("costs", "per_inflow"),
    ("costs", "per_arrival", "*"),
    ("costs", "fixed_monthly"),
    ("capacity", "*", "cost_per_head"),
    # what the app records beside a scenario: a baseline's marketing spend, a re-forecast's
    # actual to date and outlook
    ("notes", "costs", "spend"),
    ("notes", "reforecast", "actual_to_date", "bookings"),
    ("notes", "reforecast", "actual_to_date", "revenue"),
    ("notes", "reforecast", "outlook", "bookings"),
    ("notes", "reforecast", "outlook", "revenue"),
)
MONEY_TARGETS = ("bookings", "revenue")  # a wins target is a count


def _expand(node: Any, pattern: Path_, prefix: Path_ = ()) -> Iterator[Path_]:
    if not pattern:
        yield prefix
        return
    if not isinstance(node, dict):
        return
    head, rest = pattern[0], pattern[1:]
    for key in node if head == "*" else (head,):
        if key in node and node[key] is not None:
            yield from _expand(node[key], rest, (*prefix, key))


def money_paths(data: dict[str, Any]) -> list[Path_]:
    """The paths of the amounts ``data`` holds (only those present): :data:`MONEY_FIELDS`, and
    ``target.total`` / ``target.monthly`` when the target is bookings or revenue."""
    paths = [p for pattern in MONEY_FIELDS for p in _expand(data, pattern)]
    target = data.get("target")
    if isinstance(target, dict) and target.get("metric", "bookings") in MONEY_TARGETS:
        paths += [("target", k) for k in ("total", "monthly") if target.get(k) is not None]
    return paths


def rate_problem(rate: Any) -> str | None:
    """Why ``rate`` cannot convert (a catalog key), or None: it must be a finite number above
    zero and at most :data:`MAX_RATE`."""
    if rate is None:
        return "currency.rate_missing"
    if isinstance(rate, bool) or not isinstance(rate, int | float):
        return "currency.rate_invalid"
    if not math.isfinite(rate) or rate <= 0 or rate > MAX_RATE:
        return "currency.rate_invalid"
    return None


def _times(value: Any, rate: float) -> Any:
    """A number, a range or a list times ``rate``; anything else (text, a flag) as it is, for
    the model to report."""
    if isinstance(value, dict):
        return {k: _times(v, rate) for k, v in value.items()}
    if isinstance(value, list):
        return [_times(v, rate) for v in value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return float(f"{value * rate:.{SIGNIFICANT}g}")


def _get(data: Any, path: Path_) -> Any:
    for p in path:
        data = data[p]
    return data


def convert(draft: dict[str, Any], rate: float) -> dict[str, Any]:
    """A copy of ``draft`` with every amount (:func:`money_paths`) times ``rate``: the amounts of
    1 old unit = ``rate`` new units. Counts and rates are left as they are, and so is
    ``currency`` (see :func:`change_currency`). Raises ValueError for a rate
    :func:`rate_problem` refuses."""
    if rate_problem(rate) is not None:
        raise ValueError(
            f"exchange rate must be a finite number in (0, {MAX_RATE:g}], got {rate!r}"
        )
    out = copy.deepcopy(draft)
    for path in money_paths(out):
        parent = _get(out, path[:-1])
        parent[path[-1]] = _times(parent[path[-1]], rate)
    return out


def change_currency(
    draft: dict[str, Any], to: str, rate: float | None, when: dt.datetime | None = None
) -> dict[str, Any]:
    """A copy of ``draft`` in currency ``to``: its amounts converted at ``rate`` (1 old unit =
    ``rate`` of ``to``), or with ``rate`` None relabelled (the numbers kept: they were in ``to``
    already). The change is appended to ``notes.currency_changes``."""
    out = copy.deepcopy(draft) if rate is None else convert(draft, rate)
    when = when or dt.datetime.now(dt.UTC)
    record = {
        "from": str(draft.get("currency", "JPY")),
        "to": to,
        "how": "relabelled" if rate is None else "converted",
        "rate": rate,
        "when": when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
    notes = out.get("notes") if isinstance(out.get("notes"), dict) else {}
    history = notes.get(NOTES_KEY) if isinstance(notes.get(NOTES_KEY), list) else []
    out["notes"] = {**notes, NOTES_KEY: [*history, record]}
    out["currency"] = to
    return out


def last_change(data: dict[str, Any]) -> dict[str, Any] | None:
    """The latest change recorded by :func:`change_currency` into ``data``'s currency, or
    None."""
    notes = data.get("notes")
    history = notes.get(NOTES_KEY) if isinstance(notes, dict) else None
    if not isinstance(history, list) or not history or not isinstance(history[-1], dict):
        return None
    last = history[-1]
    return last if last.get("to") == data.get("currency", "JPY") else None
