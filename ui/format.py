"""Locale formatting of the numbers the app shows: pure functions, no streamlit.

Japanese money uses 万 (10^4), 億 (10^8) and 兆 (10^12) with the unit after the number
(``2.4億円``, ``1,200万円``); English uses K/M/B with the symbol first (``¥240M``). Counts keep
thousands separators in both languages; months read ``Apr 2026`` or ``2026年4月``.
Negative numbers use an ASCII minus, which is what ``st.metric`` reads as a fall.
"""

from __future__ import annotations

import math
import re
import unicodedata

LANGS = ("ja", "en")

# currency -> (English symbol, Japanese unit written after the number)
CURRENCIES: dict[str, tuple[str, str]] = {
    "JPY": ("¥", "円"),
    "USD": ("$", "ドル"),
    "EUR": ("€", "ユーロ"),
}
# currency -> Streamlit's NumberColumn format preset for amounts in a table (numbers that sort)
COLUMN_FORMATS: dict[str, str] = {"JPY": "yen", "USD": "dollar", "EUR": "euro"}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _sig(x: float, digits: int = 3) -> str:
    """``x`` (>= 0) with ``digits`` significant figures, trailing zeros dropped, grouped."""
    if x == 0:
        return "0"
    places = max(0, digits - 1 - int(math.floor(math.log10(x))))
    text = f"{round(x, places):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _sign(x: float) -> str:
    return "-" if x < 0 else ""


SMALL = 100
"""Amounts below this keep three significant figures (above it, whole units are enough)."""
MAX_PLACES = 3
"""The most decimals a small amount shows (a tenth of a cent): a residue of a computation (a
bridge's residual of 0.0002) reads 0, not 0.0002."""
PLACES = {"JPY": 0}
"""A currency's own limit on decimals: the yen has no smaller unit."""


def _places(a: float, limit: int) -> int:
    """The decimals that give ``a`` (0 < a < :data:`SMALL`) three significant figures, at most
    ``limit``."""
    return min(limit, max(0, 2 - math.floor(math.log10(a))))


def _small(a: float, places: int) -> str:
    """``a`` (below 10^4) to ``places`` decimals, trailing zeros dropped, grouped."""
    text = f"{round(a, places):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(x: float | None, lang: str, currency: str = "JPY", signed: bool = False) -> str:
    """An amount: ``2.4億円`` / ``1,200万円`` (ja), ``¥240M`` / ``¥1.2B`` (en).

    Three significant figures above 10^4 (10^8 in Japanese: 1,200万円 keeps its digits);
    whole units from 100 to 10^4; below 100 three significant figures again (a cost per
    visitor converted to $0.478 is not $0), to the currency's smallest step
    (:data:`PLACES`: whole yen, ¥71.36 reads ¥71). ``signed`` adds ``+`` to positive values
    (for changes).
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    symbol, unit = CURRENCIES.get(currency, (currency + " ", currency))
    a = abs(float(x))
    places = 0 if a >= SMALL or a == 0 else _places(a, PLACES.get(currency, MAX_PLACES))
    if round(a, places) == 0:  # shown as 0: no sign ("-¥0" for a difference of -0.3 yen)
        x = a = 0.0
    sign = _sign(x) or ("+" if signed and x > 0 else "")
    if lang == "ja":
        if a >= 1e12:
            body = _sig(a / 1e12) + "兆"
        elif a >= 1e8:
            body = _sig(a / 1e8) + "億"
        elif a >= 1e4:
            v = a / 1e4
            body = (f"{round(v):,}" if v >= 100 else _sig(v)) + "万"
        else:
            body = _small(a, places)
        return f"{sign}{body}{unit}"
    if a >= 1e12:
        body = _sig(a / 1e12) + "T"
    elif a >= 1e9:
        body = _sig(a / 1e9) + "B"
    elif a >= 1e6:
        body = _sig(a / 1e6) + "M"
    elif a >= 1e4:
        body = _sig(a / 1e3) + "K"
    else:
        body = _small(a, places)
    return f"{sign}{symbol}{body}"


def count(x: float | None, lang: str, signed: bool = False, digits: int = 0) -> str:
    """A count of items (leads, deals, customers) with thousands separators."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞" if lang == "en" else "到達不能"
    value = round(float(x), digits)
    if value == 0:
        value = 0.0  # no "-0"
    text = f"{abs(value):,.{digits}f}"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    return sign + text


def whole(values) -> list[int]:
    """``values`` (counts; a fall as a negative count) as whole numbers that add up to their
    rounded sum: each is its value rounded down or up, the largest remainders up (a month of
    4,883.8 leads shows 4,884, and a row of months adds up to its total column)."""
    xs = [float(v) for v in values]
    floors = [math.floor(x) for x in xs]
    short = round(sum(xs)) - sum(floors)
    order = sorted(range(len(xs)), key=lambda i: (floors[i] - xs[i], i))  # largest remainder
    for i in order[: max(0, short)]:
        floors[i] += 1
    return floors


def percent(x: float | None, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A share (0.25 -> ``25.0%``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    v = round(float(x) * 100, digits)
    if v == 0:
        v = 0.0
    sign = "+" if signed and v > 0 else ""
    return f"{sign}{v:.{digits}f}%"


def points(x: float, lang: str, digits: int = 1) -> str:
    """A change of a rate in percentage points (0.01 -> ``+1.0pt`` / ``+1.0ポイント``)."""
    v = round(float(x) * 100, digits)
    sign = "+" if v > 0 else ("-" if v < 0 else "")
    unit = "ポイント" if lang == "ja" else "pt"
    return f"{sign}{abs(v):.{digits}f}{unit}"


def months(x: float, lang: str) -> str:
    """A duration in months (a lag): ``2.5 months`` / ``2.5か月``."""
    text = _sig(abs(float(x)), 3) if x else "0"
    if lang == "ja":
        return f"{text}か月"
    return f"{text} month" + ("" if float(x) == 1 else "s")


def month(label: str, lang: str) -> str:
    """A plan month ``YYYY-MM`` as ``Apr 2026`` (en) or ``2026年4月`` (ja)."""
    year, m = int(label[:4]), int(label[5:7])
    if lang == "ja":
        return f"{year}年{m}月"
    return f"{MONTHS_EN[m - 1]} {year}"


def month_short(label: str, lang: str) -> str:
    """A compact month for chart axes: ``Apr 26`` (en), ``2026年4月`` (ja: ``26年4月`` reads as
    Heisei 26, that is 2014, to a Japanese reader)."""
    year, m = int(label[:4]), int(label[5:7])
    if lang == "ja":
        return f"{year}年{m}月"
    return f"{MONTHS_EN[m - 1]} {year % 100:02d}"


def money_axis_expr(lang: str, currency: str = "JPY") -> str:
    """A Vega expression formatting ``datum.value`` like :func:`money` (for axis labels)."""
    symbol, unit = CURRENCIES.get(currency, (currency + " ", currency))
    # below 100, as money() does: three significant figures, but whole yen
    v = "abs(datum.value)"
    small = "',.0f'" if PLACES.get(currency, MAX_PLACES) == 0 else f"{v} >= 100 ? ',.0f' : '.3~g'"
    s = "(datum.value < 0 ? '-' : '')"
    if lang == "ja":
        return (
            f"{v} >= 1e8 ? {s} + format({v} / 1e8, '.3~g') + '億{unit}' : "
            f"{v} >= 1e4 ? {s} + format({v} / 1e4, ',.4~g') + '万{unit}' : "
            f"{s} + format({v}, {small}) + '{unit}'"
        )
    return (
        f"{v} >= 1e9 ? {s} + '{symbol}' + format({v} / 1e9, '.3~g') + 'B' : "
        f"{v} >= 1e6 ? {s} + '{symbol}' + format({v} / 1e6, '.3~g') + 'M' : "
        f"{v} >= 1e4 ? {s} + '{symbol}' + format({v} / 1e3, '.3~g') + 'K' : "
        f"{s} + '{symbol}' + format({v}, {small})"
    )


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# GFM links bare addresses (https://…, www.…, a@b.c) in the text itself, after escapes are
# read: an invisible word joiner inside each marker keeps them text
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def inert(text: object) -> str:
    """User text made inert in markdown (names, labels, notes, file names, paths and values in
    messages): every markdown, colour-directive (``:red[…]``) and math (``$``) character is
    escaped, line breaks become spaces, and bare addresses are kept from becoming links. It
    reads the same on the page; use it for text that Streamlit renders as markdown (bodies,
    captions, alerts, and the labels and help of widgets), not in charts, tables or exports."""
    flat = " ".join(str(text).splitlines())
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, flat))


# ----- amounts typed by a person ----------------------------------------------------------------
_JA_UNITS = {
    "千億": 10**11, "百億": 10**10, "千万": 10**7, "百万": 10**6,
    "兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3,
}  # fmt: skip
_JA_PART = re.compile(r"([\d,.]+)(" + "|".join(_JA_UNITS) + ")?")
_EN_UNITS = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9, "t": 10**12}
_CURRENCY_MARKS = re.compile(r"[¥￥$€£]|円|ドル|ユーロ|jpy|usd|eur", re.IGNORECASE)
_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def _plain_number(text: str) -> float | None:
    """``1234.5``, ``1,234.5`` (commas only between groups of three), or None."""
    if _GROUPED.match(text):
        return float(text.replace(",", ""))
    if re.fullmatch(_NUMBER, text):
        return float(text)
    return None


def parse_amount(text: str) -> float | None:
    """An amount as a person types it, or None when it is not one (never a guess).

    Accepts thousands separators (``8,500,000,000``), full-width digits, a currency mark before
    or after (``¥``, ``$``, ``円``), Japanese units in any sequence from large to small
    (``85億``, ``1億2,000万``, ``8.5億円``, ``3千万``) and English suffixes (``8.5B``, ``850M``,
    ``12k``, ``2bn``). A comma that is not a thousands separator (``1.234,5``, ``12,34``) makes
    it not an amount: the European decimal comma and the US grouping read differently, and a
    planner must not get a number 1,000 times off without being told."""
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "").replace("_", "")
    s = _CURRENCY_MARKS.sub("", s)
    if not s:
        return None
    negative = s.startswith("-")
    s = s[1:] if s[:1] in "-+" else s
    if not s:
        return None
    if any(u in s for u in _JA_UNITS):
        total, rest, last = 0.0, s, math.inf
        for number, unit in _JA_PART.findall(s):
            value = _plain_number(number)
            scale = _JA_UNITS.get(unit, 1)
            if value is None or scale >= last:  # units from large to small, each once
                return None
            total += value * scale
            last = scale
            rest = rest.replace(number + unit, "", 1)
        if rest:
            return None
        return -total if negative else total
    m = re.fullmatch(r"([\d,.]+)([a-z]*)", s.lower())
    if m is None or (m.group(2) and m.group(2) not in _EN_UNITS):
        return None
    value = _plain_number(m.group(1))
    if value is None:
        return None
    value *= _EN_UNITS.get(m.group(2), 1)
    return -value if negative else value


def amount_text(x: float) -> str:
    """An amount written so that :func:`parse_amount` reads it back exactly (an input's text)."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6f}".rstrip("0").rstrip(".")
