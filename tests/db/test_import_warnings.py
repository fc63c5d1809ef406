"""Import warnings carry a machine code and its params (which the UI translates), while their
English text (the CLI's ``warning:`` lines, logs) stays word for word what it was before the
codes existed.

Every case below imports a real file that the import accepts with a warning; ``EXPECT`` holds
the text each one gave before the codes were introduced (recorded from that version)."""

from __future__ import annotations

from db.imports import preset
from tests.db import helpers as h
from tests.db.test_import_errors import _import


def _olist_with_orphans():
    """Two deals whose lead is not in the leads file."""
    leads = [["mql_id", "first_contact_date", "origin"], ["m1", "01-02-2018", "x"],
             ["m2", "02-02-2018", ""]]  # fmt: skip
    deals = [["mql_id", "sdr_id", "sr_id", "won_date", "business_segment"],
             ["m2", "s", "r", "03-02-2018", "pet"], ["m8", "s", "r", "04-02-2018", "pet"],
             ["m9", "s", "r", "05-02-2018", "toys"]]  # fmt: skip
    files = {"leads": ("mql.csv", h.csv_bytes(leads)), "deals": ("deals.csv", h.csv_bytes(deals))}
    return _import(files, preset("olist"))


def _hubspot_with_a_dateless_contact():
    return _import({"main": ("hubspot.csv", h.csv_bytes(h.HUBSPOT))}, "hubspot_contacts")


CASES = {
    "unmatched_join_rows": _olist_with_orphans,
    "rows_without_stage_date": _hubspot_with_a_dateless_contact,
}

EXPECT = {
    "unmatched_join_rows": "deals.csv: 2 row(s) match no row of mql.csv",
    "rows_without_stage_date": "1 row(s) have no stage date and were skipped",
}


def test_each_warning_has_the_english_text_it_always_had():
    for case, make in CASES.items():
        (w,) = make().warnings
        assert w == EXPECT[case], case
