"""No English left in the Japanese UI where the app can say it in Japanese: the sample
scenario's name (sidebar, Scenarios page, file names) and chart months (2026年4月, not 26年4月,
which reads as Heisei 26)."""

from __future__ import annotations

from tests.app.conftest import open_app
from ui import format as fm


def test_the_sample_scenario_is_named_in_the_sessions_language():
    ja = open_app("ja-JP")
    assert ja.sidebar.text[0].value == "2026年度計画(サンプル企業・AsIsベースライン)"
    en = open_app("en-US")
    assert en.sidebar.text[0].value == "FY2026 plan (sample company, AsIs baseline)"


def test_the_japanese_file_names_are_japanese():
    """The Downloads tab names its files from ``state.scenario_name`` (AppTest's media files
    carry no name to check): the sample's Japanese name survives as a file stem."""
    from ui.exports import file_stem
    from ui.i18n import translate

    stem = file_stem(translate("sample.scenario_name", "ja"))
    assert stem == "2026年度計画-サンプル企業-AsIsベースライン"


def test_months_on_japanese_charts_carry_the_full_year():
    assert fm.month_short("2026-04", "ja") == "2026年4月"


def test_the_save_field_offers_the_sample_s_japanese_name(tmp_path, monkeypatch):
    """The Scenarios page's "Scenario name" starts from the sample's name in the session's
    language (it was English in a Japanese session, under the Japanese header)."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    ja = open_app("ja-JP", page="pages/scenarios.py")
    assert (
        ja.text_input(key="scn.save.name").value == "2026年度計画(サンプル企業・AsIsベースライン)"
    )
