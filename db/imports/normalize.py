"""Normalising raw spreadsheet text into dates, numbers and labels, as DuckDB SQL expressions.

The expressions run over a whole column at once (10 million rows in seconds), so the rules live
here as SQL; ``normalize_values`` runs them over a Python list for tests and previews.

- Text: full-width ASCII and the ideographic space become ASCII (NFKC for that range, done with
  ``translate``), surrounding blanks are stripped and an empty cell is NULL. Category values
  (stage, status, source...) additionally get full NFKC in Python over their distinct values
  (``nfkc_changes``), which also folds half-width katakana.
- Numbers: ``1,234``, ``１，２３４``, ``¥1,234``, ``1,234円``, ``JPY 1,234``, ``▲500``/``△500``/
  ``−500``/``(500)`` (negative), ``12%`` stays 12. A comma separates thousands and nothing else
  (``1.234,5`` and ``12,5`` are not numbers); ``NaN``, ``Infinity`` and ``1e400`` are not numbers.
- Dates: ISO (``2018-02-26``, ``2018-02-26T19:58:00Z``), ``2018/02/26``, ``2018年2月26日``,
  day-first or month-first ``26-02-2018``/``02/26/2018`` (the mapping's ``dayfirst`` decides;
  a day above 12 is read either way), two-digit years, 12-hour clocks (``7:58 PM``), and Excel
  serial day numbers (``43157`` or ``43157.83``, days since 1899-12-30) left by a spreadsheet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import duckdb

FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " "

_YMD = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m", "%Y/%m"]  # fmt: skip


def _variants(order: str) -> list[str]:
    out = []
    for sep in ("-", "/", "."):
        d = sep.join(order)
        for y in ("%Y", "%y"):
            day = d.replace("Y", y[1:]).replace("m", "%m").replace("d", "%d")
            day = day.replace("%%", "%")
            for t in (" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", ""):
                out.append(day + t)
    return out


_DAYFIRST = _variants(["%d", "%m", "%Y"])
_MONTHFIRST = _variants(["%m", "%d", "%Y"])


def sql_literal(text: str) -> str:
    """A SQL string literal (for constants written by this module, never user values)."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A quoted SQL identifier (any text; double quotes doubled)."""
    if "\x00" in name:
        raise ValueError("an identifier cannot contain NUL")
    return '"' + name.replace('"', '""') + '"'


_BLANKS = " \t\r\n"
IDEOGRAPHIC_SPACE = "\u3000"


def _trim(v: str, blanks: str) -> str:
    """``trim(v, blanks)``, called only for the values that start or end with one of the blanks
    (a byte comparison; ``trim`` with a character list is slow over millions of rows)."""
    edges = " OR ".join(
        f"starts_with({v}, {sql_literal(c)}) OR ends_with({v}, {sql_literal(c)})" for c in blanks
    )
    return f"CASE WHEN {edges} THEN trim({v}, {sql_literal(blanks)}) ELSE {v} END"


def text_sql(expr: str) -> str:
    """Trimmed text with full-width ASCII folded; empty -> NULL. (``translate`` is slow, so
    only text with non-ASCII characters, whose byte length exceeds its length, goes through it.)"""
    v = f"CAST({expr} AS VARCHAR)"
    folded = f"translate({v}, {sql_literal(FULL)}, {sql_literal(HALF)})"
    return (
        f"nullif(CASE WHEN strlen({v}) <> length({v}) THEN trim({folded}, {sql_literal(_BLANKS)}) "
        f"ELSE {_trim(v, _BLANKS)} END, '')"
    )


def plain_text_sql(expr: str) -> str:
    """Trimmed text, empty -> NULL, for category columns (NFKC'd over distinct values later)."""
    return f"nullif({_trim(f'CAST({expr} AS VARCHAR)', _BLANKS + IDEOGRAPHIC_SPACE)}, '')"


# a comma is a thousands separator only: digits in groups of three before any decimal point
_GROUPED = "[-+]?\\d{1,3}(,\\d{3})+(\\.\\d*)?"


def number_sql(expr: str) -> str:
    """A DOUBLE from text such as ``¥1,234``, ``▲500``, ``(500)``; NULL when unreadable.

    A comma is read only as a thousands separator (``1,234``, ``12,345.6``): a comma decimal or
    the European order (``12,5``, ``1.234,5``, ``1,2345``) would silently become another number,
    so it is not a number. Neither are ``NaN``, ``Infinity``, ``-inf`` or a number too large for
    a double (``1e400``): only finite numbers are read."""
    t = text_sql(expr)
    cleaned = (
        f"regexp_replace(regexp_replace({t}, '^[▲△−‐―]|^－', '-'), "
        "'[\\s¥￥円$%]|^JPY|JPY$|^YEN', '', 'g')"
    )
    paren = f"regexp_replace({cleaned}, '^\\((.*)\\)$', '-\\1')"
    grouped = (
        f"CASE WHEN strpos({paren}, ',') = 0 THEN {paren} "
        f"WHEN regexp_full_match({paren}, {sql_literal(_GROUPED)}) "
        f"THEN replace({paren}, ',', '') END"
    )
    return finite_sql(f"try_cast({grouped} AS DOUBLE)")


def finite_sql(number: str) -> str:
    """``number`` (a DOUBLE expression) when finite, else NULL (NaN, infinities)."""
    return f"CASE WHEN isfinite({number}) THEN {number} END"


def date_sql(expr: str, dayfirst: bool = True) -> str:
    """A TIMESTAMP from the date formats listed in the module docstring; NULL when unreadable."""
    t = text_sql(expr)
    t = f"regexp_replace(regexp_replace({t}, '(\\d+)年(\\d+)月(\\d+)日?', '\\1/\\2/\\3'), 'Z$', '')"
    t = f"regexp_replace({t}, '^(\\d{{4}})年(\\d{{1,2}})月$', '\\1/\\2')"
    orders = (_DAYFIRST + _MONTHFIRST) if dayfirst else (_MONTHFIRST + _DAYFIRST)
    fmts = "[" + ", ".join(sql_literal(f) for f in _YMD + orders) + "]"
    serial = (
        f"CASE WHEN regexp_full_match({t}, '\\d{{4,5}}(\\.\\d+)?') "
        f"AND try_cast({t} AS DOUBLE) BETWEEN 1 AND 2958465 "
        f"THEN TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(try_cast({t} AS DOUBLE) "
        "* 86400) AS BIGINT) * 1000000) END"
    )
    return f"coalesce(try_cast({t} AS TIMESTAMP), try_strptime({t}, {fmts}), {serial})"


def typed_date_sql(expr: str, column_type: str, dayfirst: bool = True) -> str:
    """``date_sql`` for text columns; typed columns (a Parquet timestamp) are used as they are."""
    ctype = column_type.upper()
    if ctype.startswith("TIMESTAMP") or ctype == "DATE":
        return f"CAST({expr} AS TIMESTAMP)"
    if ctype in {"DOUBLE", "FLOAT", "INTEGER", "BIGINT", "DECIMAL", "SMALLINT"}:
        return date_sql(f"CAST({expr} AS VARCHAR)", dayfirst)
    return date_sql(expr, dayfirst)


def typed_number_sql(expr: str, column_type: str) -> str:
    ctype = column_type.upper()
    if ctype in {"DOUBLE", "FLOAT", "INTEGER", "BIGINT", "SMALLINT", "HUGEINT", "TINYINT"} or (
        ctype.startswith("DECIMAL")
    ):
        return finite_sql(f"CAST({expr} AS DOUBLE)")
    return number_sql(expr)


def nfkc(text: str) -> str:
    """NFKC with blanks stripped (the Python side of category values and mapping keys)."""
    return unicodedata.normalize("NFKC", text).strip()


def value_key(text: str) -> str:
    """The comparison key of a category value: NFKC, case-folded, inner blanks collapsed."""
    return " ".join(nfkc(text).casefold().split())


def nfkc_changes(values: Iterable[str | None]) -> dict[str, str]:
    """The distinct values whose NFKC form differs (usually none), raw -> normalised."""
    out = {}
    for v in values:
        if v is not None:
            n = nfkc(v)
            if n != v:
                out[v] = n
    return out


def normalize_values(values: list[str | None], kind: str, *, dayfirst: bool = True) -> list[object]:
    """Run the SQL normalisation of ``kind`` (text, number, date) over a list (tests, previews)."""
    build = {"text": text_sql, "number": number_sql, "date": lambda e: date_sql(e, dayfirst)}
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"SELECT {build[kind]('v')} FROM (SELECT unnest(?::VARCHAR[]) AS v, "
            "generate_subscripts(?::VARCHAR[], 1) AS i) ORDER BY i",
            [values, values],
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]
