"""Moving a plan rate says what it did to the division's committed range: a range follows its
target (and the page says so), but a range the division set itself stays where it is."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_app


def _lead_conversion(at) -> dict:
    return next(s for s in at.session_state["scenario_json"]["stages"] if s["key"] == "lead")[
        "conversion"
    ]


def test_a_range_follows_its_target_and_the_page_says_so():
    at = open_app(page="pages/plan.py")
    before = dict(_lead_conversion(at))
    at.slider(key="plan.stage.lead.conversion").set_value(26.5).run()
    after = _lead_conversion(at)
    shift = 0.265 - before["base"]
    assert after["low"] == pytest.approx(before["low"] + shift)
    assert after["high"] == pytest.approx(before["high"] + shift)
    (note,) = [i.value for i in at.info if "committed range moved" in i.value]
    assert note.startswith("Leads · Conversion: its committed range moved with the target, from ")
    assert f"{100 * before['low']:.2f}%" in note and f"{100 * after['high']:.2f}%" in note
    at.run()  # said once, when it happens
    assert not [i for i in at.info if "committed range" in i.value]


def test_a_range_the_division_set_stays_where_it_is():
    at = open_app(page="pages/divisions.py")
    low_box = next(n for n in at.number_input if n.key.endswith("stages[lead].conversion.low"))
    low_box.set_value(25.0).run()
    at.switch_page("pages/plan.py").run()
    own = dict(_lead_conversion(at))
    assert own["low"] == 0.25
    at.slider(key="plan.stage.lead.conversion").set_value(26.0).run()  # inside: nothing moves
    assert _lead_conversion(at) == {**own, "base": 0.26}
    assert not [i for i in at.info if "range" in i.value]
    at.slider(key="plan.stage.lead.conversion").set_value(27.5).run()  # past its stretch
    assert _lead_conversion(at) == {"low": 0.25, "base": 0.275, "high": 0.275}
    (note,) = [i.value for i in at.info if "the range its division set stays" in i.value]
    assert note.startswith("Leads · Conversion: the range its division set stays, 25.00% – ")
    assert note.endswith("that end now meets the target: 25.00% – 27.50%.")
