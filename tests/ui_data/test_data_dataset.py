"""ui.data_dataset: the dataset box's two columns of facts."""

from __future__ import annotations

import datetime as dt

from db.datasets import SAMPLE
from ui.data_dataset import facts_text, size_text


def test_facts_of_the_sample_without_an_origin():
    text = facts_text(SAMPLE, ("sample", ""), ["lead", "opportunity", "won"])
    lines = text.split("  \n")
    assert lines[0].startswith("**Dataset:** ")
    assert lines[1] == "**Stages:** Leads → Opportunities → Won deals"


def test_size_with_and_without_months(F):
    text = size_text(12345, (dt.date(2025, 4, 1), dt.date(2026, 3, 1)), F)
    assert text == "**Stage history:** 12,345 rows  \n**Months:** Apr 2025 to Mar 2026"
    assert size_text(0, None, F).endswith("The database holds no funnel data yet: import a file.")
