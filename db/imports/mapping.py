"""Column mappings: checking one against a file's header, and saving it as a named preset."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from db.errors import DataLayerError, ImportDataError
from db.imports.normalize import value_key
from db.imports.presets import PRESETS, preset
from db.schema import OUTCOMES, STAGE_KEY

KINDS = ("history", "items", "counts", "subscriptions", "spend")
# field -> (type, required); types: id, text, date, number, stage, outcome, status
FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "history": {
        "item_id": ("id", True),
        "stage": ("stage", True),
        "entered_at": ("date", True),
        "resolved_at": ("date", False),
        "outcome": ("outcome", True),
        "source": ("text", False),
        "segment": ("text", False),
        "owner": ("text", False),
        "amount": ("number", False),
    },
    "items": {
        "item_id": ("id", True),
        "source": ("text", False),
        "segment": ("text", False),
        "owner": ("text", False),
        "amount": ("number", False),
        "status": ("status", False),
        "closed_at": ("date", False),
    },
    "counts": {
        "month": ("date", True),
        "stage": ("stage", True),
        "count": ("number", True),
        "source": ("text", False),
        "segment": ("text", False),
    },
    "subscriptions": {
        "customer_id": ("id", True),
        "start_date": ("date", True),
        "end_date": ("date", False),
        "mrr": ("number", True),
        "segment": ("text", False),
        "item_id": ("id", False),
    },
    "spend": {
        "month": ("date", True),
        "source": ("text", True),
        "spend": ("number", True),
    },
}
TARGET_TABLE = {"history": "stage_history", "items": "stage_history", "counts": "stage_counts",
                "subscriptions": "subscriptions", "spend": "marketing_spend"}  # fmt: skip
UNRESOLVED = ("open", "lost", "disqualified", "recycled")
MAX_NAME = 80  # characters of a saved mapping's name
_TOP = {"kind", "label", "stages", "columns", "stage_dates", "owners", "values", "unresolved",
        "dayfirst", "files", "join"}  # fmt: skip


@dataclass
class Resolved:
    """A mapping checked against the headers: every reference is a column that exists."""

    kind: str
    stages: list[str] | None
    columns: dict[str, str] = field(default_factory=dict)  # field -> column
    stage_dates: dict[str, str] = field(default_factory=dict)  # stage -> column
    owners: dict[str, str] = field(default_factory=dict)  # stage -> column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> key -> mapped
    unresolved: str = "open"
    dayfirst: bool = True
    join: dict[str, str] | None = None
    files: list[str] = field(default_factory=lambda: ["main"])


def _pick(ref: Any, header: list[str], file: str, code: str, params: dict[str, str]) -> str | None:
    """The first of the alternative headers ``ref`` present in ``header`` (NFKC, case-blind);
    ``code`` and ``params`` name what is looked for when ``ref`` is not a header or a list."""
    if ref is None or isinstance(ref, str):
        options = [] if ref is None else [ref]
    elif isinstance(ref, list | tuple):
        options = list(ref)
    else:  # a number, a dict, ...: not a header name nor a list of them
        options = [ref]
    if not all(isinstance(o, str) for o in options):
        raise ImportDataError(file, code=code, params=params)
    exact = {h: h for h in header}
    loose = {value_key(h): h for h in header}
    for o in options:
        if o in exact:
            return exact[o]
        if value_key(o) in loose:
            return loose[value_key(o)]
    return None


def resolve(mapping: dict[str, Any], header: list[str], file: str) -> Resolved:
    """Check ``mapping`` against the (combined) ``header`` of the file(s) named ``file``."""
    if not isinstance(mapping, dict):
        raise DataLayerError(code="mapping_not_object")
    _check_keys(mapping)
    kind = mapping.get("kind")
    if kind not in KINDS:
        raise DataLayerError(code="mapping_bad_kind", params={"kinds": list(KINDS), "kind": kind})
    stages = mapping.get("stages")
    if stages is not None:
        if not isinstance(stages, list) or not all(
            isinstance(s, str) and STAGE_KEY.match(s) for s in stages
        ):
            raise DataLayerError(code="mapping_bad_stages")
    res = Resolved(kind=kind, stages=stages, dayfirst=bool(mapping.get("dayfirst", True)))
    cols = mapping.get("columns") or {}
    fields = FIELDS[kind]
    for f in cols:
        if f not in fields:
            raise DataLayerError(
                code="mapping_unknown_field",
                params={"kind": kind, "field": f, "fields": list(fields)},
            )
    for f, (_, required) in fields.items():
        if f in cols:
            col = _pick(cols[f], header, file, code="bad_field_ref", params={"field": f})
            if col is None and required:
                raise ImportDataError(
                    file, code="missing_column", params={"field": f, "looked_for": cols[f]}
                )
            if col is not None:
                res.columns[f] = col
        elif required and not (kind == "items" and f != "item_id"):
            raise ImportDataError(file, code="unmapped_field", params={"field": f})
    if kind == "items":
        for s, ref in (mapping.get("stage_dates") or {}).items():
            if not STAGE_KEY.match(s):
                raise DataLayerError(code="mapping_bad_stage_date_key", params={"stage_key": s})
            col = _pick(ref, header, file, code="bad_stage_date_ref", params={"stage": s})
            if col is not None:
                res.stage_dates[s] = col
        if not res.stage_dates:
            raise ImportDataError(file, code="no_stage_dates")
        for s, ref in (mapping.get("owners") or {}).items():
            col = _pick(ref, header, file, code="bad_owner_ref", params={"stage": s})
            if col is not None:
                res.owners[s] = col
        unresolved = mapping.get("unresolved", "open")
        if unresolved not in UNRESOLVED:
            raise DataLayerError(
                code="mapping_bad_unresolved", params={"choices": list(UNRESOLVED)}
            )
        res.unresolved = unresolved
    for vk, table in (mapping.get("values") or {}).items():
        if vk not in ("stage", "outcome", "status") or not isinstance(table, dict):
            raise DataLayerError(code="mapping_bad_values")
        res.values[vk] = {value_key(str(k)): str(v) for k, v in table.items()}
    res.join = mapping.get("join")
    res.files = list(mapping.get("files") or ["main"])
    return res


def check_value_targets(res: Resolved, design: list[str]) -> None:
    """Every mapped value names a stage of the design or an outcome."""
    for vk, table in res.values.items():
        allowed = set(design) | set(OUTCOMES) if vk == "status" else set()
        allowed = allowed or (set(design) if vk == "stage" else set(OUTCOMES))
        for raw, target in table.items():
            if target not in allowed:
                raise DataLayerError(
                    code="value_not_a_stage" if vk == "stage" else "value_not_an_outcome",
                    params={"table": vk, "raw": raw, "target": target},
                )


# -- saved presets -----------------------------------------------------------------------------


def check_mapping_name(name: str, mapping: dict[str, Any]) -> str:
    """The name a mapping would be saved under (stripped), or the error saving it would give:
    checked before an import that also saves its mapping, so a bad name fails before any row is
    written."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise DataLayerError(code="mapping_name_length", params={"max": MAX_NAME})
    if name in PRESETS:
        raise DataLayerError(code="mapping_name_builtin", params={"name": name})
    resolve_shape_only(mapping)
    return name


def save_mapping(con: duckdb.DuckDBPyConnection, name: str, mapping: dict[str, Any]) -> None:
    """Save (or overwrite) a mapping under ``name``; a built-in preset's name cannot be reused."""
    name = check_mapping_name(name, mapping)
    con.execute(
        "INSERT OR REPLACE INTO mapping_presets VALUES (?, ?, ?)",
        [name, dt.datetime.now(dt.UTC).replace(tzinfo=None), json.dumps(mapping)],
    )


def resolve_shape_only(mapping: dict[str, Any]) -> None:
    """Check a mapping's structure without a file (used when saving it)."""
    if not isinstance(mapping, dict) or mapping.get("kind") not in KINDS:
        raise DataLayerError(code="mapping_no_kind", params={"kinds": list(KINDS)})
    _check_keys(mapping)
    json.dumps(mapping)


def _check_keys(mapping: dict[str, Any]) -> None:
    unknown = set(mapping) - _TOP
    if unknown:
        raise DataLayerError(code="mapping_unknown_keys", params={"keys": sorted(unknown)})


def load_mapping(con: duckdb.DuckDBPyConnection | None, name: str) -> dict[str, Any]:
    """A built-in preset or a saved mapping by name."""
    if name in PRESETS:
        return preset(name)
    if con is not None:
        row = con.execute("SELECT body FROM mapping_presets WHERE name = ?", [name]).fetchone()
        if row:
            return json.loads(row[0])
    raise DataLayerError(code="no_such_mapping", params={"name": name})


def list_mappings(con: duckdb.DuckDBPyConnection | None = None) -> list[dict[str, str]]:
    """Built-in presets and saved mappings: name, label, kind, origin (builtin or saved)."""
    out = [
        {"name": n, "label": p.get("label", n), "kind": p["kind"], "origin": "builtin"}
        for n, p in PRESETS.items()
    ]
    if con is not None:
        for name, body in con.execute(
            "SELECT name, body FROM mapping_presets ORDER BY name"
        ).fetchall():
            m = json.loads(body)
            out.append(
                {"name": name, "label": m.get("label", name), "kind": m["kind"], "origin": "saved"}
            )
    return out
