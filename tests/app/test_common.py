"""Page helpers of ui/common.py that carry logic (the metric deltas)."""

from ui.common import Fmt, vs_baseline
from ui.i18n import translate

EN = Fmt("en", "JPY")


def test_vs_baseline_shows_the_rounded_signed_change():
    assert vs_baseline(112.6, 100.0, EN) == translate("overview.vs_baseline", "en", value="+13")
    assert vs_baseline(1_000.0, 4_250.0, EN) == translate(
        "overview.vs_baseline", "en", value="-3,250"
    )


def test_vs_baseline_is_none_without_a_baseline_or_a_visible_change():
    assert vs_baseline(100.0, None, EN) is None
    assert vs_baseline(100.4, 100.0, EN) is None
    assert vs_baseline(99.6, 100.0, EN) is None  # rounds to 0, not "-0"


def test_months_between_lists_every_month_both_ends_included():
    import datetime as dt

    from ui.common import months_between

    assert months_between(dt.date(2024, 11, 1), dt.date(2025, 2, 1)) == [
        "2024-11", "2024-12", "2025-01", "2025-02",
    ]  # fmt: skip
    assert months_between(dt.date(2024, 3, 1), dt.date(2024, 3, 1)) == ["2024-03"]
    assert months_between(dt.date(2024, 3, 1), dt.date(2024, 2, 1)) == []
