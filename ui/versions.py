"""Saved scenario versions in words: the tables and sentences of the Scenarios page, no streamlit.

The store's listing and a scenario's versions as tables, a saved time in the viewer's zone, a
diff of two versions, a save that clashed with someone's later version, what became of the
dataset a version was built from, the store's recoveries, and the versions to compare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from .compare import readable_diff
from .format import inert
from .i18n import t

CURRENT = "__current__"  # the compare option of the scenario being edited (not a saved one)
_SEP = "\x1f"  # between a name and its version in a compare option


def saved_at(ts: Any, zone: str | None) -> str:
    """A saved time in the viewer's time zone ``zone`` (the browser's), else in UTC, saying so;
    ISO text is read as a time, anything else shown as it is."""
    if isinstance(ts, str):  # a record's time comes as ISO text
        try:
            ts = dt.datetime.fromisoformat(ts)
        except ValueError:
            return ts
    if not hasattr(ts, "strftime"):
        return str(ts)
    utc = ts if ts.tzinfo is not None else ts.replace(tzinfo=dt.UTC)
    try:
        where = ZoneInfo(zone) if zone else None
    except (ZoneInfoNotFoundError, ValueError):
        where = None
    if where is None:
        return f"{utc:%Y-%m-%d %H:%M} UTC"
    return f"{utc.astimezone(where):%Y-%m-%d %H:%M}"


def visible(listing: Sequence[Mapping[str, Any]], show_archived: bool) -> list:
    """The saved scenarios to list: all of them, or those not archived."""
    return [r for r in listing if show_archived or not r["archived"]]


def scenarios_table(rows: Sequence[Mapping[str, Any]], zone: str | None) -> pd.DataFrame:
    """A row per saved scenario: name, latest version, when and by whom, note, archived."""
    return pd.DataFrame(
        {
            t("scn.col.name"): [r["name"] for r in rows],
            t("scn.col.latest"): [r["version"] for r in rows],
            t("scn.col.saved_at"): [saved_at(r["created_at"], zone) for r in rows],
            t("scn.col.author"): [r["author"] for r in rows],
            t("scn.col.note"): [r["note"] for r in rows],
            t("scn.col.status"): [t("scn.archived_flag") if r["archived"] else "" for r in rows],
        }
    )


def versions_table(versions: Sequence[Mapping[str, Any]], zone: str | None) -> pd.DataFrame:
    """A scenario's versions (given oldest first), newest first: number, when, who, note."""
    return pd.DataFrame(
        {
            t("scn.col.version"): [v["version"] for v in versions],
            t("scn.col.saved_at"): [saved_at(v["created_at"], zone) for v in versions],
            t("scn.col.author"): [v["author"] for v in versions],
            t("scn.col.note"): [v["note"] for v in versions],
        }
    ).iloc[::-1]


def history_name(names: Sequence[str], ref: tuple[str, int] | None) -> str:
    """The scenario the history shows until one is picked: the active one, else the first."""
    return ref[0] if ref is not None and ref[0] in names else names[0]


def diff_table(
    rows: list[dict[str, Any]], F: Any, metric: str | None, old: str, new: str
) -> pd.DataFrame:
    """A store diff as the page shows it: parameter, ``old`` and ``new`` (the columns' titles,
    values in units) and the JSON path."""
    return readable_diff(rows, F, metric).rename(
        columns={
            "parameter": t("scn.col.parameter"),
            "path": t("scn.col.path"),
            "old": old,
            "new": new,
        }
    )


def target_metric(data: Mapping[str, Any]) -> str | None:
    """The metric of a scenario's target (JSON), which says how a target's value reads."""
    return (data.get("target") or {}).get("metric")


def clash_text(clash: Mapping[str, Any], latest: Mapping[str, Any], zone: str | None) -> str:
    """Why a save was refused: ``clash`` (name, the version it built on, the latest one) and
    the latest version's record say who saved what since this session opened it, or (parent 0)
    that someone else's scenario has that name."""
    who = {
        "name": inert(clash["name"]),
        "head": clash["head"],
        "author": inert(latest["author"]),
        "when": saved_at(latest["created_at"], zone),
    }
    if clash["parent"]:
        return t("scn.stale", parent=clash["parent"], **who)
    return t("scn.stale_exists", **who)


def data_status_text(status: tuple[str, str] | None, version: int) -> str | None:
    """What became of the dataset ``version`` was built from (``ui.state.data_status``), or
    None when it records none."""
    if status is None:
        return None
    return t(f"scn.data.{status[0]}", name=inert(status[1]), v=version)


def store_warning_text(warning: Any) -> str:
    """A recovery of the store (``db.errors.StoreWarning``) in words, its lists joined."""
    shown = {
        k: inert(", ".join(v) if isinstance(v, list) else v) for k, v in warning.params.items()
    }
    return t(f"scn.warn.{warning.code}", **shown)


def compare_options(listing: Sequence[Mapping[str, Any]], show_archived: bool) -> list[str]:
    """What can be compared: the scenario being edited, then every version of every listed
    scenario, newest first."""
    options = [CURRENT]
    for r in visible(listing, show_archived):
        options += [f"{r['name']}{_SEP}{v}" for v in range(r["version"], 0, -1)]
    return options


def option_ref(option: str) -> tuple[str, int] | None:
    """The (name, version) of a compare option; None for the scenario being edited."""
    if option == CURRENT:
        return None
    name, _, v = option.rpartition(_SEP)
    return name, int(v)


def option_label(option: str) -> str:
    """A compare option as the page shows it: ``Current scenario`` or ``FY27 plan · v3``."""
    ref = option_ref(option)
    return t("scn.current") if ref is None else f"{ref[0]} · v{ref[1]}"
