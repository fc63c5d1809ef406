"""The catalogs: same keys in both languages, same placeholders, every key the app uses."""

import re
from pathlib import Path
from string import Formatter

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
