"""What the app says to a user names nothing the user does not have: no catalog text, in either
language, points to the specification (a document the app does not ship): "(spec section 2)"
was in the import help, "(仕様8章)" in the workbook's Capacity title."""

from __future__ import annotations

import re

from ui import i18n


def test_no_text_points_to_the_spec():
    spec = re.compile(r"\bspec\b|spec's|仕様")
    found = {
        f"{lang}:{key}": text
        for lang, catalog in i18n.CATALOGS.items()
        for key, text in catalog.items()
        if spec.search(text)
    }
    assert not found, found
