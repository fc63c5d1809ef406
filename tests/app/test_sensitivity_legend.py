"""The Sensitivity page's tornado legend names the two ends of each row without claiming a
swing that only some rows make: its rows are moved over their committed ranges (a rate from
25.9% to 29.0%) or by ±10%, and each row's label says which."""

from __future__ import annotations

import json

from tests.app.conftest import open_app


def _domains(node) -> list[list[str]]:
    """Every colour scale's domain in a Vega-Lite spec (layers included)."""
    found = []
    if isinstance(node, dict):
        color = node.get("color")
        if isinstance(color, dict) and isinstance(color.get("scale"), dict):
            domain = color["scale"].get("domain")
            if isinstance(domain, list) and all(isinstance(d, str) for d in domain):
                found.append(domain)
        for v in node.values():
            found += _domains(v)
    elif isinstance(node, list):
        for v in node:
            found += _domains(v)
    return found


def test_the_tornado_legend_claims_no_ten_percent_for_ranged_rows():
    at = open_app(page="pages/sensitivity.py")
    legends = [d for c in at.get("vega_lite_chart") for d in _domains(json.loads(c.proto.spec))]
    assert ["Low end", "High end"] in legends, legends
    assert not any("10%" in name for d in legends for name in d), legends
