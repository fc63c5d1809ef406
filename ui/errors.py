"""Data-layer errors in the session's language, for every page that shows one.

A ``db`` error carries a ``code`` and ``params`` (db/errors.py). The catalogs hold a text per
code: ``data.err.code.<code>`` for the reason of an import error (ui/catalogs/data.py) and
``err.code.<code>`` for the others (ui/catalogs/errors.py). This module fills that text with the
params as the language says them (a field or stage by its name, months as months, lists
joined), with text from files and users inert in markdown; an error whose code no catalog knows
(or one without a code) shows its English message. An error kept in the session is kept as a
record (:func:`error_record`), so that it follows a change of language. An import's warnings
(``ImportDataWarning``) are shown the same way (:func:`import_warning_text`), from
``data.warn.code.<code>``.
"""

from __future__ import annotations

import re
from typing import Any

from db.errors import ImportDataError, ScenarioStoreError
from model import ScenarioError
from ui import format as fm
from ui import state
from ui.format import inert
from ui.i18n import has, lang, translate

_MONTH = re.compile(r"^\d{4}-\d{2}$")


def error_record(exc: BaseException) -> dict[str, Any]:
    """An error as data: its code, params and English reason, and where it happened (the file,
    row, column and value of an import error; the scenario and version of a store error)."""
    rec: dict[str, Any] = {
        "file": None, "row": None, "column": None, "value": None, "more": 0,
        "code": getattr(exc, "code", None), "params": dict(getattr(exc, "params", None) or {}),
        "reason": getattr(exc, "reason", None) or str(exc), "scenario": None, "version": None,
    }  # fmt: skip
    if isinstance(exc, ImportDataError):
        rec.update(file=exc.file, row=exc.row, column=exc.column, value=exc.value, more=exc.more)
    elif isinstance(exc, ScenarioStoreError):
        rec.update(scenario=exc.name, version=exc.version)
    return rec


def error_reason(err: dict[str, Any], language: str | None = None) -> str:
    """Why, in ``language`` (default: the session's): the catalog's text for the record's code
    filled with its params; the English reason for a code the catalogs do not know."""
    language = language or lang()
    code = err.get("code")
    importing = has(f"data.err.code.{code}")
    key = f"data.err.code.{code}" if importing else f"err.code.{code}"
    if code and has(key):
        params = {k: _param(k, v, importing, language) for k, v in err["params"].items()}
        return _filled(key, params, err["reason"], language)
    return inert(err["reason"])


def warning_record(w: str) -> dict[str, Any]:
    """An import's warning (``db.errors.ImportDataWarning``) as data, to keep in the session:
    its code, params and English text."""
    return {"code": getattr(w, "code", None), "params": dict(getattr(w, "params", None) or {}),
            "text": str(w)}  # fmt: skip


def import_warning_text(w: str | dict[str, Any], language: str | None = None) -> str:
    """An import's warning (or its :func:`warning_record`) as markdown in ``language`` (default:
    the session's): the catalog's ``data.warn.code.<code>`` filled with its params (counts as
    counts, file names inert); the English text for a code the catalogs do not know."""
    language = language or lang()
    rec = w if isinstance(w, dict) else warning_record(w)
    key = f"data.warn.code.{rec['code']}"
    if rec["code"] and has(key):
        params = {k: _warning_param(v, language) for k, v in rec["params"].items()}
        return _filled(key, params, rec["text"], language)
    return inert(rec["text"])


def _warning_param(value: Any, language: str) -> Any:
    """A warning's param as the catalogs show it: a count with separators, text inert."""
    if isinstance(value, int) and not isinstance(value, bool):
        return fm.count(value, language)
    return inert(value) if isinstance(value, str) else value


def _filled(key: str, params: dict[str, Any], english: str, language: str) -> str:
    """The catalog text ``key`` filled with ``params``; ``english`` (inert) for a catalog text
    the params do not fill."""
    try:
        return translate(key, language, **params)
    except (KeyError, ValueError, IndexError):  # a catalog text the params do not fill
        return inert(english)


def error_text(exc: BaseException, *, where: bool = True, language: str | None = None) -> str:
    """An error as one markdown text in ``language`` (default: the session's), for ``st.error``
    or quoted in a page's own message: why, after the scenario it concerns unless ``where`` is
    False."""
    language = language or lang()
    err = error_record(exc)
    if err["code"] == "scenario_invalid" and isinstance(exc.__cause__, ScenarioError):
        err["params"] = _model_words(exc.__cause__, language)
    reason = error_reason(err, language)
    if not where or err["scenario"] is None:
        return reason
    name = inert(err["scenario"])
    if err["version"] is None:
        return translate("err.in_scenario", language, name=name, reason=reason)
    return translate(
        "err.in_scenario_version", language, name=name, version=err["version"], reason=reason
    )


def _model_words(exc: ScenarioError, language: str) -> dict[str, str]:
    """An invalid scenario's field and reason in words, as the Plan page words the model's
    errors (ui.common), rather than the model's JSON path and English reason."""
    from ui.common import Fmt, scenario_error_reason, scenario_field_text

    try:
        currency = str(state.draft().get("currency") or "JPY")
    except KeyError:  # no session (tests, bare mode)
        currency = "JPY"
    return {
        "field": scenario_field_text(exc.field, language),
        "reason": scenario_error_reason(exc, Fmt(language, currency)),
    }


def _param(key: str, value: Any, importing: bool, language: str) -> Any:
    """One of an error's params as the catalogs show it. An import error's field and stage by
    their names, the headers it looked for quoted and its alternatives joined by "or" (as the
    Data page has always shown them); another error's stages by name where the catalog has one
    (a stage design with arrows), its months as months and its lists joined; text inert."""

    def tr(k: str, **kw: Any) -> str:
        return translate(k, language, **kw)

    if importing:
        if key == "field" and has(f"field.{value}"):
            value = tr(f"field.{value}")
        elif key == "stage":
            value = tr(f"stage.{value}") if has(f"stage.{value}") else _readable(value)
        elif key == "looked_for":
            value = [tr("data.err.quoted", text=v) for v in ([value] if isinstance(value, str)
                     else value)]  # fmt: skip
        if isinstance(value, list | tuple):
            value = tr("data.err.or").join(map(str, value))
        return inert(value) if isinstance(value, str) else value
    if key == "stage":
        return inert(tr(f"stage.{value}") if has(f"stage.{value}") else value)
    if key in ("stages", "design") and isinstance(value, list | tuple):
        return " → ".join(_param("stage", s, False, language) for s in value)
    if key in ("start", "end") and isinstance(value, str) and _MONTH.match(value):
        return fm.month(value, language)
    if isinstance(value, list | tuple):
        return tr("err.list_sep").join(inert(v) for v in value) or tr("err.none")
    return inert(value) if isinstance(value, str) else value


def _readable(key: Any) -> str:
    """A stage key the catalogs do not name, made readable (``deal_review`` -> Deal review)."""
    return str(key).replace("_", " ").capitalize()


# ----- the AsIs baseline: its warnings and its backtest's verdict ---------------------------------
def _stage_name(key: Any, language: str) -> str:
    return inert(translate(f"stage.{key}", language) if has(f"stage.{key}") else _readable(key))


def baseline_warning_text(w: dict[str, Any], language: str | None = None) -> str:
    """A baseline's warning (a record in its scenario's notes: code, params, English text) as
    markdown in ``language``: ``data.bwarn.code.<code>`` with the stage by name and counts as
    counts; the English text for a code the catalogs do not know."""
    language = language or lang()
    key = f"data.bwarn.code.{w.get('code')}"
    if not has(key):
        return inert(w.get("text", ""))
    params = {k: _stage_name(v, language) if k == "stage" else _warning_param(v, language)
              for k, v in (w.get("params") or {}).items()}  # fmt: skip
    return _filled(key, params, w.get("text", ""), language)


def backtest_reason_text(stage: str, reason: dict[str, Any], language: str | None = None) -> str:
    """Why a backtest does not trust a stage, in ``language``: its total or its worst month off
    by more than sampling error, with the error and the bound as percentages."""
    language = language or lang()
    p = reason.get("params") or {}
    kw: dict[str, Any] = {"stage": _stage_name(stage, language)}
    if p.get("error") is not None:
        kw["error"] = fm.percent(p["error"], language, signed=True)
    if p.get("bound") is not None:
        kw["bound"] = fm.percent(p["bound"], language)
    if "month" in p:
        kw["month"] = fm.month(p["month"], language)
        kw["planned"] = fm.count(p["planned"], language)
        kw["actual"] = fm.count(p["actual"], language)
    code = reason.get("code")
    if code == "month_off" and p.get("error") is None:
        code = "month_off_none"
    key = f"data.bt.reason.{code}"
    return _filled(key, kw, str(reason), language) if has(key) else inert(str(reason))
