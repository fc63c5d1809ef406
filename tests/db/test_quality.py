"""The data-quality report finds each kind of problem in a small hand-made history."""

from __future__ import annotations

import datetime as dt

from db.lies import LIES
from db.quality import quality_frame, quality_report

D = dt.datetime


def test_each_check_finds_its_problem(con):
    rows = [
        # clean item: visitor stage is aggregated, so items start at lead
        ("ok", "lead", D(2024, 1, 1), D(2024, 1, 20), "converted", "lead"),
        ("ok", "opportunity", D(2024, 1, 20), D(2024, 3, 1), "converted", "opportunity"),
        ("ok", "won", D(2024, 3, 1), D(2024, 3, 1), "converted", "won"),
        # skips opportunity
        ("skip", "lead", D(2024, 1, 2), D(2024, 2, 1), "converted", "lead"),
        ("skip", "won", D(2024, 2, 1), D(2024, 2, 1), "converted", "won"),
        # resolved before entered
        ("order", "lead", D(2024, 2, 1), D(2024, 1, 1), "lost", "lead"),
        # duplicate row
        ("dup", "lead", D(2024, 1, 5), None, "open", "lead"),
        ("dup", "lead", D(2024, 1, 5), None, "open", "lead"),
        # a stage value nobody mapped
        ("raw", "Nurture Track", D(2024, 1, 6), None, "open", "Nurture Track"),
        # a fresh open item (not stale)
        ("new", "lead", D(2024, 6, 1), None, "open", "lead"),
    ]
    con.executemany(
        "INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome, raw_stage)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    # more opportunities than leads in the monthly counts? no: rising counts come from history
    con.executemany(
        "INSERT INTO stage_history (item_id, stage, entered_at, outcome) VALUES (?, 'won', ?, "
        "'converted')",
        [(f"w{i}", D(2024, 4, 1)) for i in range(6)],
    )
    report = {f.check: f for f in quality_report(con, open_days=90)}
    assert report["skipped_stages"].count == 7  # "skip" plus the six wins without a lead
    assert "skip" in set(report["skipped_stages"].examples["item_id"])
    assert report["dates_out_of_order"].count == 1
    assert report["duplicates"].count == 1
    assert report["unmapped_stages"].count == 1
    assert report["unmapped_stages"].examples["stage"].tolist() == ["Nurture Track"]
    assert report["rising_counts"].count == 1  # 8 wins > 2 opportunities
    assert report["rising_counts"].examples["lower_stage"].tolist() == ["won"]
    assert report["stale_open"].count == 2  # January items are older than 90 days; "new" is not
    assert set(report["stale_open"].examples["item_id"]) == {"dup", "raw"}
    frame = quality_frame(list(report.values()))
    assert list(frame.columns) == ["check", "count", "message"] and len(frame) == 7 + len(LIES)
    # too few items to test them (tests/db/test_quality_lies.py has exports that show them)
    assert all(report[c].count == 0 for c in LIES)
    assert report["implausible_dates"].count == 0


def test_clean_history_has_no_findings(con):
    con.execute(
        "INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome) VALUES "
        "('a', 'lead', '2024-01-01', '2024-01-09', 'converted'), "
        "('a', 'opportunity', '2024-01-09', '2024-02-01', 'lost')"
    )
    assert all(f.count == 0 for f in quality_report(con))


def test_dates_in_2099_or_year_one_are_a_finding_and_do_not_make_every_open_item_stale(con):
    """They passed without a finding; and 2099 became the report's "today", so every open item
    was stale."""
    con.execute(
        "INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome) VALUES "
        "('a', 'lead', '2024-01-01', '2099-01-09', 'converted'), "
        "('b', 'lead', '0001-01-01', NULL, 'open'), ('c', 'lead', '2024-03-01', NULL, 'open')"
    )
    con.execute("INSERT INTO stage_counts VALUES ('2199-04-01', 'visitor', NULL, NULL, 5, NULL)")
    report = {f.check: f for f in quality_report(con, open_days=180)}
    found = report["implausible_dates"]
    assert found.count == 3
    shown = {(c, str(v)[:10]) for c, v in found.examples[["column", "value"]].values.tolist()}
    assert shown == {("resolved_at", "2099-01-09"), ("entered_at", "0001-01-01"),
                     ("month", "2199-04-01")}  # fmt: skip
    assert set(report["stale_open"].examples["item_id"]) == {"b"}  # as of 2024-03-01, not 2099
