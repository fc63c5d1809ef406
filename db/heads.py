"""Heads by division and month from a sheet: spec section 8's planned heads (``heads`` as a list
of H numbers, the team month by month without new hires) read from CSV or Excel.

The sheet is long: one row per division and month, with the columns division, month and heads
(other columns are ignored), under English or Japanese headers (``HEADERS``). A division is
written as its key (``inside_sales``) or by the names the caller gives (the app's English and
Japanese names); a month as ``2026-04``, ``2026/4``, ``2026年4月``, ``Apr 2026``, a date in it or
an Excel date. The file is read by the import's own reader (``db.imports.readers``: encodings
UTF-8, UTF-8 with a BOM and CP932, Excel streamed read-only, the same limits of size, rows and
cells). All or nothing, like every import: the first bad row raises ``ImportDataError`` naming
its row, and a division that appears must have every month of the plan.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from db.errors import ImportDataError
from db.imports.normalize import nfkc, value_key
from db.imports.readers import ROW, read_file
from model import month_labels
from model.limits import MAX_NUMBER

# the headers each column may have (compared as value_key, with _ and - read as spaces)
HEADERS: dict[str, tuple[str, ...]] = {
    "division": ("division", "department", "team", "部門", "部署", "事業部", "チーム"),
    "month": ("month", "year month", "yearmonth", "period", "月", "年月", "対象月"),
    "heads": ("heads", "headcount", "head count", "hc", "people", "人数", "ヘッドカウント",
              "人員", "人員数"),
}  # fmt: skip

MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YM = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?")
_DAY = re.compile(
    r"\s*(?:[-/.]\s*(\d{1,2})|(\d{1,2})\s*日)?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_NAMED = re.compile(r"([a-z]{3})[a-z]*\.?\s+(\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?")
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_MINUS = "▲△−‐―"


def _header_key(text: str) -> str:
    return value_key(re.sub(r"[_\-]", " ", text))


def month_of(cell: Any) -> str | None:
    """The plan month (``YYYY-MM``) a cell names, or None: ``2026-04``, ``2026/4``,
    ``2026年4月``, a date in the month (``2026-04-15``, ``2026年4月15日``, with a time),
    ``Apr 2026``, an Excel day number (46113 = 2026-04-01) or a date value."""
    if isinstance(cell, dt.date):  # dt.datetime too
        return f"{cell.year:04d}-{cell.month:02d}"
    text = nfkc(str(cell)).lower() if cell is not None else ""
    if _SERIAL.fullmatch(text):
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
        return f"{day.year:04d}-{day.month:02d}"
    m = _NAMED.fullmatch(text)
    if m:
        if m.group(1) not in MONTHS_EN:
            return None
        year, month, day = int(m.group(2)), MONTHS_EN.index(m.group(1)) + 1, None
    else:
        m = _YM.match(text)
        rest = _DAY.fullmatch(text, m.end()) if m else None
        if not m or not rest:
            return None
        year, month = int(m.group(1)), int(m.group(2))
        day = rest.group(1) or rest.group(2)
    try:
        dt.date(year, month, int(day) if day else 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}"


def heads_of(cell: Any) -> float | None:
    """A head count from a cell (``8``, ``9.5``, ``1,200``, full-width digits, ``▲1`` as −1);
    None when it is not a finite number (``NaN``, ``Infinity``, ``1e400``, ``8人``)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        x = float(cell)
    else:
        text = nfkc(str(cell)).lower()
        if text[:1] in _MINUS:
            text = "-" + text[1:]
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            return None
        x = float(text)
    return x + 0.0 if math.isfinite(x) else None  # + 0.0: -0 reads 0


def read_heads(
    data: bytes,
    filename: str,
    start_month: str,
    horizon: int,
    divisions: Mapping[str, Iterable[str]],
) -> dict[str, list[float]]:
    """The heads of each division in the sheet, month by month over the plan's H = ``horizon``
    months from ``start_month``: division -> [heads(0), ..., heads(H−1)], in the order of
    ``divisions`` (division key -> the names it may be written as besides its key).

    Raises ``ImportDataError`` (its file, row, column and value) at the first bad row: an
    unknown division, a month that is not one or lies outside the plan, heads empty, negative,
    not a finite number or above ``MAX_NUMBER``, a division and month given twice; and when a
    division that appears lacks a month of the plan."""
    raw = read_file(data, filename)
    table = raw.table
    found = {}
    for field, names in HEADERS.items():
        wanted = {_header_key(n) for n in names}
        column = next((c for c in raw.header if _header_key(c) in wanted), None)
        if column is None:
            raise ImportDataError(
                filename, code="missing_column", params={"field": field, "looked_for": list(names)}
            )
        found[field] = column
    if table.num_rows == 0:
        raise ImportDataError(filename, code="no_rows")
    months = month_labels(start_month, horizon)
    index = {m: i for i, m in enumerate(months)}
    named = {}
    for key, aliases in divisions.items():
        for name in (key, *aliases):
            named[value_key(name)] = key
    cells = {field: table.column(column).to_pylist() for field, column in found.items()}
    rows = table.column(ROW).to_pylist()
    heads: dict[str, list[float | None]] = {}
    seen: dict[tuple[str, int], int] = {}
    for i, row in enumerate(rows):
        values = {field: cells[field][i] for field in HEADERS}
        if all(v is None or not str(v).strip() for v in values.values()):
            continue  # a blank line (CSV; Excel's are skipped by the reader)

        def bad(
            field: str,
            *,
            code: str,
            params: dict[str, Any] | None = None,
            row: int = row,
            values: dict[str, Any] = values,
        ) -> ImportDataError:
            return ImportDataError(filename, code=code, params=params, row=row,
                                   column=found[field], value=values[field])  # fmt: skip

        for field in HEADERS:
            if values[field] is None or not str(values[field]).strip():
                raise bad(field, code="empty_field", params={"field": field})
        division = named.get(value_key(str(values["division"])))
        if division is None:
            raise bad(
                "division", code="heads_unknown_division", params={"choices": list(divisions)}
            )
        month = month_of(values["month"])
        if month is None:
            raise bad("month", code="not_a_month")
        if month not in index:
            span = {"month": month, "first": months[0], "last": months[-1]}
            raise bad("month", code="heads_month_outside", params=span)
        x = heads_of(values["heads"])
        if x is None:
            raise bad("heads", code="not_a_number")
        if x < 0:
            raise bad("heads", code="negative")
        if x > MAX_NUMBER:
            raise bad("heads", code="too_large", params={"limit": MAX_NUMBER})
        where = (division, index[month])
        if where in seen:
            twice = {"division": division, "month": month, "first_row": seen[where]}
            raise bad("month", code="heads_duplicate", params=twice)
        seen[where] = row
        heads.setdefault(division, [None] * horizon)[index[month]] = x
    out = {}
    for division in divisions:
        if division not in heads:
            continue
        missing = [months[t] for t, x in enumerate(heads[division]) if x is None]
        if missing:
            raise ImportDataError(
                filename,
                code="heads_month_missing",
                params={"division": division, "month": missing[0], "count": len(missing)},
            )
        out[division] = [float(x) for x in heads[division] if x is not None]
    if not out:
        raise ImportDataError(filename, code="no_rows")
    return out
