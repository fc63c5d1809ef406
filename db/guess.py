"""First guesses about uploaded CRM files, before anything is imported: which file plays which
role of a mapping, which column is which field, how the dates are written, which preset or saved
mapping fits, what a new dataset could be called. The Data page shows each guess as a default the
user can change; nothing here reads or writes the funnel database."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from db.errors import DataLayerError
from db.imports import FIELDS, load_mapping
from db.imports.mapping import resolve
from db.imports.normalize import value_key
from db.mapping_edit import stage_date_field

DATE_SAMPLE = 2000  # the rows of a date column looked at to tell how its dates are written
ORDERS = ("ymd", "dmy", "mdy", "ambiguous", "serial")

_ISO = re.compile(r"^\d{4}[-/.年]\d{1,2}")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")


def date_order(values: Sequence[Any]) -> str | None:
    """How the date texts are written: ``ymd`` (ISO, 2018/02/26, 2018年2月26日), ``dmy`` (a first
    number above 12 seen, never the second), ``mdy`` (the reverse), ``ambiguous`` (numbers up to
    12 only), ``serial`` (Excel day numbers), ``typed`` (real dates), or None (no dates)."""
    counts = dict.fromkeys(ORDERS, 0)
    for v in values:
        if v is None:
            continue
        if isinstance(v, dt.date | pd.Timestamp):
            return "typed"
        s = unicodedata.normalize("NFKC", str(v)).strip()
        if not s:
            continue
        if _ISO.match(s):
            counts["ymd"] += 1
        elif m := _NUMERIC.match(s):
            a, b = int(m.group(1)), int(m.group(2))
            kind = "dmy" if a > 12 >= b else "mdy" if b > 12 >= a else "ambiguous"
            counts[kind] += 1
        elif _SERIAL.match(s):
            counts["serial"] += 1
    if counts["dmy"] and not counts["mdy"]:
        return "dmy"
    if counts["mdy"] and not counts["dmy"]:
        return "mdy"
    if counts["ambiguous"]:
        return "ambiguous"
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


def files_order(orders: Sequence[str | None]) -> str | None:
    """The way of writing dates that speaks for all date columns: the first column that tells
    day-first from month-first (``dmy``/``mdy``), else the first column with dates at all."""
    return next((o for o in orders if o in ("dmy", "mdy")), None) or next(
        (o for o in orders if o), None
    )


def dayfirst_default(detected: str | None, mapping_dayfirst: bool) -> bool:
    """Whether day-first is ticked: what the dates say when they tell (``dmy``/``mdy``), else
    what the mapping says."""
    if detected in ("dmy", "mdy"):
        return detected == "dmy"
    return mapping_dayfirst


def pick(ref: Any, header: Sequence[str]) -> str | None:
    """The first of a mapping's alternative headers present in ``header`` (NFKC, case-blind)."""
    options = [ref] if isinstance(ref, str) else list(ref or [])
    loose = {value_key(h): h for h in header}
    for o in options:
        if o in header:
            return o
        if isinstance(o, str) and value_key(o) in loose:
            return loose[value_key(o)]
    return None


def column_defaults(
    mapping: Mapping[str, Any], header: Sequence[str], stages: Sequence[str]
) -> dict[str, str | None]:
    """The column the mapping names for each field of its kind (:func:`pick`), and for a mapping
    of kind ``items`` each stage's date column under ``@stage``; None where the file has none."""
    columns = mapping.get("columns") or {}
    out = {f: pick(columns.get(f), header) for f in FIELDS[mapping["kind"]]}
    if mapping["kind"] == "items":
        dates = mapping.get("stage_dates") or {}
        out |= {stage_date_field(s): pick(dates.get(s), header) for s in stages}
    return out


def role_files(roles: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    """A first guess of which uploaded file plays which role (``leads`` -> ``..._leads_...``);
    the roles no name speaks for take the files left, in upload order."""
    out: dict[str, str] = {}
    free = list(names)
    for role in roles:
        stem = role.rstrip("s").lower()
        hit = next((n for n in free if stem in n.lower()), None)
        if hit is not None:
            out[role] = hit
            free.remove(hit)
    for role in roles:
        if role not in out and free:
            out[role] = free.pop(0)
    return out


def combined_header(files: Mapping[str, Any], roles: Sequence[str]) -> list[str]:
    """The header a multi-file mapping sees: the first role's columns as they are, the others'
    as ``role.column``."""
    main = files[roles[0]].header
    return main + [f"{r}.{h}" for r in roles[1:] for h in files[r].header]


def column_values(files: Mapping[str, Any], roles: Sequence[str], column: str) -> list[Any]:
    """The first :data:`DATE_SAMPLE` values of a column of :func:`combined_header`."""
    main = files[roles[0]]
    if column in main.header:
        values = main.table.column(column)
    else:
        role, col = column.split(".", 1)
        values = files[role].table.column(col)
    return values.slice(0, DATE_SAMPLE).to_pylist()


def date_columns(kind: str, chosen: Mapping[str, str | None]) -> list[str]:
    """The chosen columns that hold dates: date fields of the mapping's kind and the stage dates
    (``@stage``)."""
    fields = FIELDS[kind]
    return [
        c
        for f, c in chosen.items()
        if c and (f.startswith("@") or fields.get(f, ("",))[0] == "date")
    ]


def detect_order(
    files: Mapping[str, Any], roles: Sequence[str], kind: str, chosen: Mapping[str, str | None]
) -> str | None:
    """How the chosen date columns write their dates (:func:`files_order` of each column's
    :func:`date_order`)."""
    cols = date_columns(kind, chosen)
    return files_order([date_order(column_values(files, roles, c)) for c in cols])


def guess_mapping(options: Sequence[Mapping[str, str]], raws: Sequence[Any], con) -> str | None:
    """The first preset or saved mapping (of :func:`db.imports.list_mappings`) whose columns the
    uploaded files have."""
    for m in options:
        try:
            mapping = load_mapping(con, m["name"])
            roles = list(mapping.get("files") or ["main"])
            if len(roles) != len(raws):
                continue
            by_name = {r.name: r for r in raws}
            assign = role_files(roles, list(by_name))
            header = combined_header({k: by_name[v] for k, v in assign.items()}, roles)
            resolve(mapping, header, "guess")
            return m["name"]
        except DataLayerError:
            continue
    return None


def dataset_stem(file_name: str) -> str:
    """A new dataset's name from its first file: the name without its extension (70 characters at
    most), or ``data``."""
    return re.sub(r"\.[^.]*$", "", file_name)[:70] or "data"
