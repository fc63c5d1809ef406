"""Locale number formatting (ui/format.py)."""

import pytest

from ui import format as fm


@pytest.mark.parametrize(
    ("x", "ja", "en"),
    [
        (240_000_000, "2.4億円", "¥240M"),
        (12_000_000, "1,200万円", "¥12M"),
        (8_500_000_000, "85億円", "¥8.5B"),
        (247_500_611, "2.48億円", "¥248M"),
        (123_456, "12.3万円", "¥123K"),
        (5_000, "5,000円", "¥5,000"),
        (0, "0円", "¥0"),
        (-515_000_000, "-5.15億円", "-¥515M"),
        (3.2e12, "3.2兆円", "¥3.2T"),
    ],
)
def test_money(x, ja, en):
    assert fm.money(x, "ja") == ja
    assert fm.money(x, "en") == en


def test_money_signed_and_other_currencies():
    assert fm.money(12_000_000, "en", signed=True) == "+¥12M"
    assert fm.money(12_000_000, "ja", "USD") == "1,200万ドル"
    assert fm.money(2_400_000, "en", "USD") == "$2.4M"
    assert fm.money(None, "en") == "—"


def test_count_percent_months():
    assert fm.count(8944.19, "en") == "8,944"
    assert fm.count(-0.2, "en") == "0"
    assert fm.count(-1234.5, "ja", digits=1) == "-1,234.5"
    assert fm.count(12, "en", signed=True) == "+12"
    assert fm.count(float("inf"), "en") == "∞"
    assert fm.percent(0.25, "en") == "25.0%"
    assert fm.percent(0.0071, "ja", digits=2) == "0.71%"
    assert fm.points(0.01, "en") == "+1.0pt"
    assert fm.points(-0.01, "ja") == "-1.0ポイント"
    assert fm.months(2.5, "en") == "2.5 months"
    assert fm.months(1, "en") == "1 month"
    assert fm.months(2.5, "ja") == "2.5か月"


def test_month_labels():
    assert fm.month("2026-04", "en") == "Apr 2026"
    assert fm.month("2026-04", "ja") == "2026年4月"
    assert fm.month_short("2027-01", "en") == "Jan 27"
    assert fm.month_short("2027-01", "ja") == "2027年1月"  # 27年 would read as Heisei 27


def test_axis_expression_mentions_units():
    assert "億円" in fm.money_axis_expr("ja") and "万円" in fm.money_axis_expr("ja")
    assert "'¥'" in fm.money_axis_expr("en") and "'M'" in fm.money_axis_expr("en")


def test_inert_markdown_shows_paths_and_file_names_as_written() -> None:
    """Underscores, asterisks and brackets in a path must not turn into emphasis or links."""
    text = r"/srv/my_data/*leads*_[2024](x).csv"
    out = fm.inert(text)
    assert "\\_" in out and "\\*" in out and "\\[" in out and "\\(" in out
    # removing the escapes gives back the text exactly
    assert out.replace("\\", "") == text.replace("\\", "")


def test_an_amount_that_shows_as_zero_has_no_sign():
    """Compare showed "-¥0" for two scenarios a fraction of a yen apart."""
    assert fm.money(-0.3, "en") == fm.money(0.4, "en", signed=True) == "¥0"
    assert fm.money(-0.3, "ja", signed=True) == "0円"
    assert fm.money(-0.6, "en", signed=True) == "-¥1"
