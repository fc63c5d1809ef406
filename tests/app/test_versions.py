"""The Scenarios page's tables and sentences about saved versions (ui.versions), without a page:
saved times in the viewer's zone, the listing and version tables, a diff's columns, the clash
of a save with someone's later version, the dataset a version was built from, the store's
recoveries, and the versions offered to compare."""

from __future__ import annotations

import datetime as dt

import pytest

from db.errors import StoreWarning
from ui.common import Fmt
from ui.i18n import speaking
from ui.versions import (
    CURRENT,
    clash_text,
    compare_options,
    data_status_text,
    diff_table,
    history_name,
    option_label,
    option_ref,
    saved_at,
    scenarios_table,
    store_warning_text,
    target_metric,
    versions_table,
    visible,
)

F = Fmt("en", "JPY")
LISTING = [
    {"name": "FY27 plan", "version": 3, "created_at": "2026-11-30T17:53:52.163311+00:00",
     "author": "Sato", "note": "after review", "archived": False},
    {"name": "Old*plan*", "version": 1, "created_at": dt.datetime(2026, 1, 2, 3, 4),
     "author": "Ito", "note": "", "archived": True},
]  # fmt: skip


@pytest.mark.parametrize(
    ("ts", "zone", "shown"),
    [
        ("2026-11-30T17:53:52.163311+00:00", None, "2026-11-30 17:53 UTC"),
        ("2026-11-30T17:53:52.163311+00:00", "Asia/Tokyo", "2026-12-01 02:53"),
        (dt.datetime(2026, 11, 30, 17, 53), "Europe/London", "2026-11-30 17:53"),  # naive = UTC
        (dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), "Europe/Berlin", "2026-07-01 14:00"),
        ("2026-11-30T17:53:52", "Not/A_Zone", "2026-11-30 17:53 UTC"),
        ("2026-11-30T17:53:52", "", "2026-11-30 17:53 UTC"),
        ("yesterday", "Asia/Tokyo", "yesterday"),
        (None, None, "None"),
    ],
)
def test_a_saved_time_reads_in_the_viewers_zone_else_utc(ts, zone, shown):
    assert saved_at(ts, zone) == shown


def test_the_listing_hides_archived_scenarios_until_asked():
    assert [r["name"] for r in visible(LISTING, False)] == ["FY27 plan"]
    assert [r["name"] for r in visible(LISTING, True)] == ["FY27 plan", "Old*plan*"]
    table = scenarios_table(LISTING, "Asia/Tokyo")
    assert list(table.columns) == ["Scenario", "Latest version", "Saved at", "Author", "Note",
                                   "Status"]  # fmt: skip
    assert table.iloc[0].tolist() == ["FY27 plan", 3, "2026-12-01 02:53", "Sato", "after review",
                                      ""]  # fmt: skip
    assert table.iloc[1].tolist() == ["Old*plan*", 1, "2026-01-02 12:04", "Ito", "", "archived"]


def test_versions_read_newest_first():
    versions = [
        {"version": v, "created_at": f"2026-11-0{v}T09:00:00+00:00", "author": a, "note": n}
        for v, a, n in ((1, "Sato", "first"), (2, "Ito", ""), (3, "Sato", "third"))
    ]
    table = versions_table(versions, None)
    assert list(table.columns) == ["Version", "Saved at", "Author", "Note"]
    assert table["Version"].tolist() == [3, 2, 1]
    assert table["Saved at"].tolist()[0] == "2026-11-03 09:00 UTC"
    with speaking("ja"):
        assert list(versions_table(versions, None).columns) == ["バージョン", "保存日時",
                                                                "保存者", "メモ"]  # fmt: skip


def test_the_history_shows_the_active_scenario_else_the_first():
    names = ["A", "B"]
    assert history_name(names, ("B", 2)) == "B"
    assert history_name(names, ("C", 1)) == "A"
    assert history_name(names, None) == "A"


def test_a_diff_names_its_columns_and_reads_in_units():
    rows = [
        {"path": "deal.size", "a": 2_000_000, "b": 2_500_000},
        {"path": "target.total", "a": 100, "b": 120},
    ]
    table = diff_table(rows, F, "wins", "Theirs (v4)", "Yours")
    assert list(table.columns) == ["Parameter", "Theirs (v4)", "Yours", "Path"]
    assert table["Path"].tolist() == ["target.total", "deal.size"]  # the target first
    assert table["Theirs (v4)"].tolist() == ["100", "¥2M"]  # a target in wins is a count
    assert target_metric({"target": {"metric": "wins"}}) == "wins"
    assert target_metric({"target": None}) is None and target_metric({}) is None


def test_a_clash_says_who_saved_since_or_that_the_name_is_taken():
    latest = {"author": "Ito *B*", "created_at": "2026-11-30T17:53:52+00:00"}
    since = clash_text({"name": "FY27", "parent": 2, "head": 4}, latest, "Asia/Tokyo")
    assert since == (
        "Not saved: “FY27” has changed since you opened version 2. Ito \\*B\\* saved version 4 "
        "at 2026-12-01 02:53. Saving now would hide their changes behind yours."
    )
    taken = clash_text({"name": "FY27", "parent": 0, "head": 1}, latest, None)
    assert taken == (
        "Not saved: a scenario named “FY27” already exists, and you have not opened it. Its "
        "latest version 1 was saved by Ito \\*B\\* at 2026-11-30 17:53 UTC."
    )


@pytest.mark.parametrize(
    ("status", "ends"),
    [
        ("same", "whose data is unchanged since."),
        ("changed", "its figures are from the data as it was then."),
        ("removed", "which has been removed since."),
        ("damaged", "whose file is damaged now."),
    ],
)
def test_the_dataset_a_version_was_built_from(status, ends):
    text = data_status_text((status, "CRM_*Q3*"), 5)
    assert text.startswith("Version 5 was built from the dataset “CRM\\_\\*Q3\\*”")
    assert text.endswith(ends)


def test_a_version_without_a_dataset_says_nothing():
    assert data_status_text(None, 2) is None


def test_a_store_recovery_lists_what_may_be_missing():
    params = {"at": "2026-11-30 10:00", "aside": "s.log.bad", "missing": ["A v2", "B v1"],
              "record": "s.rec"}  # fmt: skip
    text = store_warning_text(StoreWarning("store_recovered", params))
    assert "Versions that may be missing: A v2, B v1." in text
    assert "(found 2026\\-11\\-30 10\\:00 UTC). It is kept as s\\.log\\.bad" in text  # inert


def test_compare_offers_the_current_scenario_and_every_version_newest_first():
    options = compare_options(LISTING, False)
    assert options[0] == CURRENT
    assert [option_ref(o) for o in options] == [None, ("FY27 plan", 3), ("FY27 plan", 2),
                                                ("FY27 plan", 1)]  # fmt: skip
    assert len(compare_options(LISTING, True)) == 5
    assert [option_label(o) for o in options[:2]] == ["Current (unsaved edits included)",
                                                      "FY27 plan · v3"]  # fmt: skip
