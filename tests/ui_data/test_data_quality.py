"""ui.data_quality: the report's table, the numbers that lie as sentences, the example tables."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ui.common import Fmt
from ui.data_quality import examples_frame, lie_text, quality_frame
from ui.i18n import speaking


def finding(check: str, count: int):
    return SimpleNamespace(check=check, count=count, examples=pd.DataFrame(), params={})


def test_quality_frame_says_found_or_fine():
    frame = quality_frame([finding("quick_losses", 3), finding("never_touched", 0)])
    assert list(frame.columns) == ["Check", "Found", "Status"]
    assert frame["Found"].tolist() == [3, 0]
    assert frame["Check"].tolist() == ["Items lost the day they arrived",
                                       "Open items that never moved"]  # fmt: skip
    assert frame["Status"].iloc[0] != frame["Status"].iloc[1]


def test_a_hit_with_owners_and_months_inert(F):
    hit = {"stage": "lead", "count": 1200, "items": 5000, "rate": 0.24, "pooled_conversion": 0.3,
           "conversion_without": 0.35, "months": [{"name": "2026-04", "items": 700}],
           "owners": [{"name": "*Ito*", "items": 1200}]}  # fmt: skip
    text = lie_text("quick_losses", hit, F)
    assert text == (
        "Leads: 1,200 of 5,000 items (24.0%) were lost the day they entered. Without them the "
        "stage converts 35.0% instead of 30.0%. Months: Apr 2026 (700). Owners: \\*Ito\\* (1,200)."
    )


def test_never_touched_gives_its_limit(F):
    hit = {"stage": "opportunity", "count": 9, "open": 30, "rate": 0.3, "limit_days": 120,
           "months": [], "owners": []}  # fmt: skip
    assert "have not moved in over 120 days" in lie_text("never_touched", hit, F)


def test_stage_drift_in_points_or_days(F):
    hit = {"stage": "custom_stage", "metric": "conversion", "month": "2026-01", "before": 0.2,
           "after": 0.35, "items_before": 300, "items_after": 320, "horizon_days": 90,
           "pooled_conversion": 0.28}  # fmt: skip
    text = lie_text("stage_drift", hit, F)
    assert text.startswith("custom\\_stage: converts 20.0% in the three months before Jan 2026")
    assert "and 35.0% from then on (300 and 320 items, counted 90 days" in text
    days = dict(hit, metric="lag_days", before=12.25, after=30.0)
    assert "went from 12.2 to 30.0 in Jan 2026" in lie_text("stage_drift", days, F)
    with speaking("ja"):
        text = lie_text("stage_drift", hit, Fmt("ja", "JPY"))
    assert "2026年1月より前の3か月の転換率は20.0%" in text


def test_examples_frame_names_known_columns_in_words():
    named = examples_frame(pd.DataFrame(columns=["stage", "owner", "items", "mystery"]))
    assert list(named.columns) == ["Stage", "Owner", "Items", "mystery"]
    with speaking("ja"):
        assert list(examples_frame(pd.DataFrame(columns=["stage"])).columns) == ["ステージ"]
