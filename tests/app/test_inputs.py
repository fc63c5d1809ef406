"""Inputs a planner can trust in a meeting: every rate to a hundredth of a point and shown as
typed, and amounts typed as people write them (8,500,000,000 · 85億 · 8.5B), with a message
instead of a silent change when the text is not an amount."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_app
from ui.format import amount_text, parse_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("8500000000", 8.5e9), ("8,500,000,000", 8.5e9), ("８，５００，０００，０００", 8.5e9),
        ("85億", 8.5e9), ("85億円", 8.5e9), ("¥85億", 8.5e9), ("8.5億", 8.5e8),
        ("1億2,000万", 1.2e8), ("1億3千万", 1.3e8), ("3千万", 3e7), ("5百万", 5e6),
        ("212万3千", 2_123_000), ("1兆", 1e12), ("¥8.5B", 8.5e9), ("850M", 8.5e8),
        ("$12k", 12_000), ("2bn", 2e9), ("1,000.50", 1000.5), (" 42 ", 42), ("-5万", -5e4),
    ],
)  # fmt: skip
def test_amounts_read_as_people_write_them(text, amount):
    assert parse_amount(text) == pytest.approx(amount, rel=1e-12)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "1.234,5", "12,34", "1,2345", "1万2億", "85億億", "8.5X", "1e400", "NaN", "万",
     "1..2", "¥", "--5"],
)  # fmt: skip
def test_what_is_not_an_amount_is_refused_not_guessed(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("x", [0.0, 8.5e9, 2_123_000.0, 1234.5678, 0.25])
def test_an_amount_is_written_so_that_it_reads_back(x):
    assert parse_amount(amount_text(x)) == x


def _stage(data, key):
    return next(s for s in data["stages"] if s["key"] == key)


def _base(v):
    return v["base"] if isinstance(v, dict) else v


def test_a_rate_moves_in_hundredths_of_a_point_on_the_plan_page():
    at = open_app(page="pages/plan.py")
    slider = at.slider(key="plan.stage.visitor.conversion")
    assert slider.proto.step == pytest.approx(0.01) and slider.proto.format == "%.2f%%"
    slider.set_value(2.31).run()
    assert not at.exception
    assert _base(_stage(at.session_state["scenario_json"], "visitor")["conversion"]) == 0.0231


def test_the_division_inputs_show_every_rate_to_two_decimals():
    at = open_app(page="pages/divisions.py")
    rates = [n for n in at.number_input if n.key and n.key.startswith("div.")]
    assert rates and all(n.proto.format == "%.2f" for n in rates)
    box = next(n for n in rates if n.key.endswith(".base") and n.value > 10)
    box.set_value(26.27).run()
    assert not at.exception
    assert at.number_input(key=box.key).value == 26.27


@pytest.mark.parametrize(
    ("locale", "typed", "total"),
    [("en-US", "90億", 9e9), ("en-US", "9.2B", 9.2e9), ("en-US", "9,300,000,000", 9.3e9)],
)
def test_a_target_is_typed_in_oku_or_billions(locale, typed, total):
    at = open_app(locale, page="pages/plan.py")
    at.text_input(key="plan.target.amount").input(typed).run()
    assert not at.exception and not at.error
    assert at.session_state["scenario_json"]["target"]["total"] == total
    assert at.text_input(key="plan.target.amount").value == amount_text(total)


def test_text_that_is_not_an_amount_changes_nothing_and_says_so():
    # (AppTest formats the other widgets' options in English: a Japanese session cannot be
    # driven here, so the message is checked in English; both texts exist, test_i18n checks)
    at = open_app(page="pages/plan.py")
    before = at.session_state["scenario_json"]["target"]["total"]
    at.text_input(key="plan.target.amount").input("1.234,5").run()
    assert at.session_state["scenario_json"]["target"]["total"] == before
    assert at.text_input(key="plan.target.amount").value == "1.234,5"  # kept to be put right
    (err,) = [e.value for e in at.error]
    assert err.startswith("“1\\.234,5” is not an amount, so nothing changed")
    at.text_input(key="plan.target.amount").input("85億").run()
    assert not at.error and at.session_state["scenario_json"]["target"]["total"] == 8.5e9


def test_a_deal_size_is_typed_with_man():
    at = open_app(page="pages/plan.py")
    at.text_input(key="plan.deal.size_text").input("250万").run()
    assert not at.exception and not at.error
    assert _base(at.session_state["scenario_json"]["deal"]["size"]) == 2_500_000
