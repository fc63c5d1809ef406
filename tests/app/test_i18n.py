"""The catalogs: same keys in both languages, same placeholders, every key the app uses."""

import re
from pathlib import Path
from string import Formatter

import pytest

from db.errors import IMPORT_REASONS
from tests.db.helpers import import_error_codes_in_db
from tests.db.test_import_errors import CASES, raised
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
