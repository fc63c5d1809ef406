"""Goal seek's lever paths land where ``ui.state.json_path`` says a model parameter lives, and a
range's ends read as percent exactly for the rate fields ``ui.compare`` knows."""

from __future__ import annotations

import pytest

from ui import seek, state
from ui.common import Fmt, range_moved_text
from ui.compare import RATE_FIELDS, unit_of

DATA = {"stages": [{"key": "mql"}, {"key": "lead"}, {"key": "won"}]}


@pytest.mark.parametrize(
    ("lever", "where"),
    [
        ("stages.lead.conversion", ("stages", 1, "conversion")),
        ("stages.mql.conversion", ("stages", 0, "conversion")),
        ("deal.size", ("deal", "size")),
        ("recycle.reactivation", ("recycle", "reactivation")),
        ("recycle.volume", ("recycle", "volume")),
    ],
)
def test_a_lever_lives_where_state_says(lever, where):
    assert state.json_path(DATA, seek.model_path(lever)) == where


def test_a_rate_field_is_a_rate_in_a_diff_and_in_a_moved_range():
    F = Fmt("en", "JPY")
    for field in sorted(RATE_FIELDS):
        assert unit_of(f"stages[lead].{field}") == "rate"
    moved = {"path": ("recycle", "reactivation"), "own": False,
             "before": (0.1, 0.2), "after": (0.15, 0.25)}  # fmt: skip
    assert "10.00% – 20.00%" in range_moved_text(moved, DATA, F)
    moved = {"path": ("deal", "size"), "own": False, "before": (1e6, 2e6), "after": (2e6, 3e6)}
    assert "%" not in range_moved_text(moved, DATA, F)
