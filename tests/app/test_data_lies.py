"""The Data page shows the numbers that lie (issue 14): each hit of a finding as a sentence in the
session's language, with its items, months and owners (owner names inert in markdown)."""

from __future__ import annotations

import pytest

from db.datasets import open_dataset_file
from db.quality import quality_report
from db.schema import set_stage_design
from tests.app.conftest import open_app
from tests.db.test_quality_lies import _export
from ui import state

PAGE = "pages/data.py"


@pytest.fixture
def lies_dataset(tmp_path, monkeypatch):
    """A dataset whose history has items lost the day they entered, and an owner named like
    markdown (``*Ito*``) who closes many items within a day."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    ds = state.datasets().create("lies")
    con = open_dataset_file(ds.path)
    history = _export(quick_loss=0.10, instant=lambda owner: 0.4 if owner == "*Ito*" else 0.0)
    set_stage_design(con, ["opportunity", "won"])
    con.register("h", history)
    con.execute(
        "INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome, owner) "
        "SELECT item_id, stage, entered_at, resolved_at, outcome, owner FROM h"
    )
    report = {f.check: f for f in quality_report(con)}
    con.execute("CHECKPOINT")
    con.close()
    return ds.id, report


@pytest.mark.parametrize(
    ("locale", "closes", "lost"),
    [
        ("en-US", "\\*Ito\\* closed {count} of {items} items within a day", "were lost the day"),
        ("ja-JP", "\\*Ito\\*は{items}件中{count}件を1日以内に閉じました", "流入当日に失注"),
    ],
)
def test_the_lies_are_sentences_with_their_counts_and_owners(lies_dataset, locale, closes, lost):
    dataset, report = lies_dataset
    at = open_app(locale=locale, page=PAGE)
    at.session_state["dataset"] = dataset
    at.run()
    assert not at.exception, at.exception
    hits = [m.value for m in at.markdown if m.value.startswith("- ")]
    instant = report["instant_closes"].params["hits"][0]
    expect = closes.format(count=f"{instant['count']:,}", items=f"{instant['items']:,}")
    assert sum(expect in h for h in hits) == 1, hits
    quick = report["quick_losses"].params["hits"][0]
    line = next(h for h in hits if lost in h)
    assert f"{quick['count']:,}" in line and "\\*Ito\\* (" in line  # owners, inert
    assert len(hits) == 2  # nothing else fired


@pytest.mark.parametrize(
    ("locale", "columns"),
    [
        ("en-US", ["Stage", "Owner", "Items", "Found", "Share", "The team's share"]),
        ("ja-JP", ["ステージ", "担当者", "件数", "該当数", "割合", "チームの割合"]),
    ],
)
def test_the_example_tables_name_their_columns_in_words(lies_dataset, locale, columns):
    """They showed the database's keys (items_before, p_adjusted) in both languages."""
    dataset, _ = lies_dataset
    at = open_app(locale=locale, page=PAGE)
    at.session_state["dataset"] = dataset
    at.run()
    shown = [list(d.value.columns) for d in at.dataframe]
    assert any(cols[: len(columns)] == columns for cols in shown), shown
    assert not any("items_before" in cols or "p_adjusted" in cols for cols in shown)
