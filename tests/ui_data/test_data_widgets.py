"""ui.data_widgets: stage and month names, an import error's message."""

from __future__ import annotations

import datetime as dt

from db.errors import ImportDataError
from ui.data_widgets import error_message, month_label, stage_label
from ui.errors import error_record
from ui.format import inert
from ui.i18n import speaking


def test_stage_label_from_the_catalog_or_the_key():
    assert stage_label("opportunity") == "Opportunities"
    assert stage_label("trial_user") == "Trial user"
    with speaking("ja"):
        assert stage_label("opportunity") == "商談"


def test_month_label():
    assert month_label(dt.date(2026, 4, 1)) == "2026-04"


def test_error_message_says_where_why_and_that_nothing_changed(F):
    exc = ImportDataError("leads*.csv", code="empty_file", row=12, column="Amount",
                          value="1_2", more=1234)  # fmt: skip
    text = error_message(error_record(exc), F)
    parts = text.split("\n\n")
    assert parts[0] == f"**File** {inert('leads*.csv')} · **row** 12 · **column** Amount"
    assert parts[1] == "**Why:** The file is empty."
    assert parts[2] == f"**Value:** {inert('1_2')}"  # the value made inert
    assert parts[3] == "1,234 more row(s) have the same problem."
    assert parts[4] == "The database is unchanged."


def test_error_message_without_a_place(F):
    text = error_message(error_record(ImportDataError("", code="empty_file")), F)
    assert text == "**Why:** The file is empty.\n\nThe database is unchanged."
    with speaking("ja"):
        assert "データベースは" in error_message(error_record(ImportDataError("", code="x")), F)
