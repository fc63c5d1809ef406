"""A column mapping as the user left it on the Data page: the preset or saved mapping, with the
columns, stage dates and day-first setting the user chose in place of the mapping's own when any
of them differs from its default."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from db.imports import FIELDS


def stage_date_field(stage: str) -> str:
    """The key of a stage's date column among the chosen columns (``@opportunity``)."""
    return f"@{stage}"


def with_choices(
    base: Mapping[str, Any],
    chosen: Mapping[str, str | None],
    stages: Sequence[str],
    dayfirst: bool,
    edited: bool,
) -> dict[str, Any]:
    """A copy of ``base``; when ``edited``, its columns, stage dates (a mapping of kind
    ``items``) and day-first setting replaced by the chosen ones (a field chosen as none is left
    out), and without its label (it is no longer the preset it was)."""
    mapping = copy.deepcopy(dict(base))
    if not edited:
        return mapping
    kind = mapping["kind"]
    mapping["columns"] = {f: chosen[f] for f in FIELDS[kind] if chosen.get(f)}
    if kind == "items":
        mapping["stage_dates"] = {
            s: chosen[stage_date_field(s)] for s in stages if chosen.get(stage_date_field(s))
        }
    mapping["dayfirst"] = dayfirst
    mapping.pop("label", None)
    return mapping


def is_edited(
    chosen: Mapping[str, str | None],
    defaults: Mapping[str, str | None],
    dayfirst: bool,
    base: Mapping[str, Any],
) -> bool:
    """Whether the choices differ from the mapping's: a column, or the day-first setting."""
    return dict(chosen) != dict(defaults) or dayfirst != bool(base.get("dayfirst", True))


def missing_fields(kind: str, chosen: Mapping[str, str | None]) -> list[str]:
    """The required fields of the kind that no column was chosen for, in the kind's order."""
    return [f for f, (_, required) in FIELDS[kind].items() if required and not chosen.get(f)]


def named(mapping: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A copy of the mapping to save under ``name`` (its label)."""
    body = copy.deepcopy(dict(mapping))
    body["label"] = name
    return body
