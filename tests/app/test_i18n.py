"""The catalogs: same keys in both languages, same placeholders, every key the app uses."""

import re
from pathlib import Path
from string import Formatter

import pytest

from db.errors import (
    IMPORT_REASONS,
    IMPORT_WARNINGS,
    MESSAGES,
    DataLayerError,
    ImportDataWarning,
    ScenarioStoreError,
)
from tests.db import test_data_errors as data_errors
from tests.db import test_import_warnings as import_warnings
from tests.db.helpers import data_error_codes_in_db, import_error_codes_in_db
from tests.db.test_import_errors import CASES, raised
from ui.errors import error_text, import_warning_text
from ui.i18n import EN, JA, default_language, translate

ROOT = Path(__file__).resolve().parents[2]


def test_catalogs_have_the_same_keys():
    assert set(EN) == set(JA), set(EN) ^ set(JA)


def test_placeholders_match():
    def fields(s):
        return {f for _, f, _, _ in Formatter().parse(s) if f}

    for key in EN:
        assert fields(EN[key]) == fields(JA[key]), key


def test_every_literal_key_used_exists():
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]:
        used |= set(re.findall(r"\bt\(\s*\"([a-z_.]+)\"", path.read_text("utf-8")))
    assert used, "no keys found"
    assert used <= set(EN), used - set(EN)


def test_default_language_follows_locale():
    assert default_language("ja-JP") == "ja"
    assert default_language("ja") == "ja"
    assert default_language("en-US") == "en"
    assert default_language("de-DE") == "en"
    assert default_language(None) == "en"


def test_translate_fills_placeholders_and_falls_back():
    assert translate("overview.vs_baseline", "ja", value="+1") == "+1(ベースライン比)"
    assert translate("no.such.key", "ja") == "no.such.key"


# ----- import errors: a text per code in both languages ------------------------------------------
CODE_KEY = "data.err.code."


def _import_error_keys(catalog: dict[str, str]) -> set[str]:
    return {k.removeprefix(CODE_KEY) for k in catalog if k.startswith(CODE_KEY)}


def test_every_import_error_code_in_db_has_a_text_in_both_languages():
    """A code written at a raise site in db/ or registered in db.errors without a translation
    fails here (and a translation of a code db no longer has)."""
    codes = set(IMPORT_REASONS) | set(import_error_codes_in_db())
    assert len(codes) >= 30
    for catalog in (EN, JA):
        assert _import_error_keys(catalog) == codes, codes ^ _import_error_keys(catalog)


@pytest.mark.parametrize("code", sorted(CASES))
def test_import_error_texts_are_filled_by_the_errors_own_params(code):
    """Each real error's params fill its catalog texts (no placeholder the error lacks), and the
    Japanese text is Japanese."""
    e = raised(code)
    en = translate(CODE_KEY + code, "en", **e.params)
    ja = translate(CODE_KEY + code, "ja", **e.params)
    assert "{" not in en and "{" not in ja
    assert re.search(r"[ぁ-んァ-ヶ一-龯]", ja), ja
    assert ja != en


# ----- the other data-layer errors: a text per code in both languages ----------------------------
ERR_KEY = "err.code."
JAPANESE = re.compile(r"[ぁ-んァ-ヶ一-龯]")


def _error_keys(catalog: dict[str, str]) -> set[str]:
    return {k.removeprefix(ERR_KEY) for k in catalog if k.startswith(ERR_KEY)}


def test_every_data_error_code_in_db_has_a_text_in_both_languages():
    """A code registered in db.errors.MESSAGES or written at a raise site in db/ without a
    translation fails here (and a translation of a code db no longer has)."""
    codes = set(MESSAGES) | set(data_error_codes_in_db())
    assert len(codes) >= 40
    for catalog in (EN, JA):
        assert _error_keys(catalog) == codes, codes ^ _error_keys(catalog)
    assert not _error_keys(EN) & _import_error_keys(EN)  # one text per code


@pytest.mark.parametrize("case", list(data_errors.CASES))
def test_data_error_texts_are_filled_by_the_errors_own_params(case, tmp_path):
    """Each real error shown through ui.errors: its catalog texts are filled (no placeholder
    left), the Japanese one is Japanese, and neither is the English fallback."""
    e = data_errors.raised(case, tmp_path)
    en, ja = error_text(e, language="en"), error_text(e, language="ja")
    assert "{" not in en.replace("\\{", "") and "{" not in ja.replace("\\{", "")
    assert JAPANESE.search(ja), ja
    assert ja != en
    head = re.split(r"[{(“']", MESSAGES[e.code])[0].strip()  # the English words before a value
    if " " in head:
        assert head not in ja, (head, ja)


def test_an_unknown_code_shows_the_english_message_after_the_scenario_in_the_language():
    e = ScenarioStoreError(code="made_up_problem", name="FY27 plan", version=3)
    assert error_text(e, language="ja") == "シナリオ「FY27 plan」のバージョン3: made up problem"
    assert error_text(e, where=False, language="en") == "made up problem"
    assert error_text(DataLayerError("the CLI's own words"), language="ja") == (
        "the CLI's own words"
    )


# ----- import warnings: a text per code in both languages ----------------------------------------
WARN_KEY = "data.warn.code."


def _warning_keys(catalog: dict[str, str]) -> set[str]:
    return {k.removeprefix(WARN_KEY) for k in catalog if k.startswith(WARN_KEY)}


def test_every_import_warning_code_in_db_has_a_text_in_both_languages():
    """A warning code registered in db.errors.IMPORT_WARNINGS or written in db/ without a
    translation fails here (and a translation of a code db no longer has)."""
    codes = set(IMPORT_WARNINGS) | set(import_warnings.warning_codes_in_db())
    assert len(codes) >= 2
    for catalog in (EN, JA):
        assert _warning_keys(catalog) == codes, codes ^ _warning_keys(catalog)


@pytest.mark.parametrize("case", list(import_warnings.CASES))
def test_import_warning_texts_are_filled_by_the_warnings_own_params(case):
    """Each real warning shown through ui.errors: filled (no placeholder left), the Japanese one
    is Japanese, and neither is db's English sentence."""
    w = import_warnings.warned(case)
    en, ja = import_warning_text(w, language="en"), import_warning_text(w, language="ja")
    assert "{" not in en and "{" not in ja
    assert JAPANESE.search(ja), ja
    assert ja != en and str(w) not in (en, ja)
    assert not re.search(r"row\(s\)|[a-z]{3,} [a-z]{3,}", ja.replace("\\", "")), ja


def test_an_unknown_warning_code_shows_the_english_text():
    w = ImportDataWarning("made_up_note", {"n": 2})
    assert import_warning_text(w, language="ja") == "made up note \\{'n'\\: 2\\}"  # inert
    assert import_warning_text("plain *text*", language="ja") == "plain \\*text\\*"


# ----- the AsIs baseline: its warnings and the backtest's reasons, in both languages -------------
BWARN_KEY = "data.bwarn.code."


def test_every_baseline_warning_code_has_a_text_in_both_languages():
    from db.errors import BASELINE_WARNINGS

    for catalog in (EN, JA):
        keys = {k.removeprefix(BWARN_KEY) for k in catalog if k.startswith(BWARN_KEY)}
        assert keys == set(BASELINE_WARNINGS), keys ^ set(BASELINE_WARNINGS)


@pytest.mark.parametrize("code", ["lag_unknown", "lag_from_dated"])
def test_baseline_warnings_are_filled_with_the_stage_by_name(code):
    from db.errors import BaselineWarning
    from ui.errors import baseline_warning_text

    w = BaselineWarning(code, {"stage": "opportunity", "undated": 1234})
    rec = {"code": w.code, "params": w.params, "text": str(w)}
    en, ja = baseline_warning_text(rec, "en"), baseline_warning_text(rec, "ja")
    assert en.startswith("Opportunities: ") and ja.startswith("商談: ")
    assert "{" not in en + ja and JAPANESE.search(ja) and str(w) not in (en, ja)
    if code == "lag_from_dated":
        assert "1,234" in en and "1,234" in ja


def test_backtest_reasons_in_both_languages():
    from ui.errors import backtest_reason_text

    month = {"code": "month_off", "params": {"month": "2025-06", "error": 0.7948,
             "actual": 242.0, "planned": 434.3437, "bound": 0.2571}}  # fmt: skip
    assert backtest_reason_text("won", month, "en") == (
        "Won deals: Jun 2025 planned 434 against 242 actual (+79.5%; sampling error allows ±25.7%)."
    )
    assert backtest_reason_text("won", month, "ja") == (
        "受注: 2025年6月の計画434に対し実績242(+79.5%。標本誤差で許されるのは±25.7%)。"
    )
    none = {"code": "month_off", "params": {"month": "2017-11", "error": None, "actual": 0.0,
            "planned": 37.69, "bound": 4.0}}  # fmt: skip
    assert backtest_reason_text("won", none, "en") == (
        "Won deals: Nov 2017 planned 38 against none actual."
    )
    total = {"code": "total_off", "params": {"error": -0.2, "bound": 0.15}}
    assert backtest_reason_text("lead", total, "ja") == (
        "リード: 期間の合計が実績から-20.0%外れています(標本誤差で許されるのは±15.0%)。"
    )
