"""Helpers every page uses: the formatter for the session's language and currency, translated
stage, division and parameter names, the error framing of an invalid scenario, and the widgets
and metrics drawn the same way wherever they appear (a rate slider, a metric against the
baseline)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from model import Scenario, ScenarioError, month_labels

from . import format as fm
from . import state
from .compare import RATE_FIELDS
from .i18n import has, lang, t, translate


@dataclass(frozen=True)
class Fmt:
    """Formatting bound to one language and currency."""

    lang: str
    currency: str

    def money(self, x: float | None, signed: bool = False) -> str:
        return fm.money(x, self.lang, self.currency, signed)

    def count(self, x: float | None, signed: bool = False, digits: int = 0) -> str:
        return fm.count(x, self.lang, signed, digits)

    def counts(self, values) -> list[str]:
        """A series of counts as whole numbers that add up (:func:`ui.format.whole`)."""
        return [self.count(v) for v in fm.whole(values)]

    def pct(self, x: float | None, digits: int = 1, signed: bool = False) -> str:
        return fm.percent(x, self.lang, digits, signed)

    def points(self, x: float) -> str:
        return fm.points(x, self.lang)

    def months(self, x: float) -> str:
        return fm.months(x, self.lang)

    def month(self, label: str) -> str:
        return fm.month(label, self.lang)

    def month_short(self, label: str) -> str:
        return fm.month_short(label, self.lang)

    def money_axis(self) -> str:
        return fm.money_axis_expr(self.lang, self.currency)

    def metric_value(self, metric: str, x: float | None, signed: bool = False) -> str:
        """A target metric's value: money for bookings and revenue, a count for wins."""
        if metric == "wins":
            return self.count(x, signed)
        return self.money(x, signed)


def fmt() -> Fmt:
    return Fmt(lang(), state.draft().get("currency", "JPY"))


def stage_name(scenario: Scenario, key: str) -> str:
    """The stage's name in the session's language (catalog by key, else the scenario's label)."""
    if has(f"stage.{key}"):
        return t(f"stage.{key}")
    return scenario.stage(key).display_label


def stage_label(stage: dict) -> str:
    """A stage of the scenario's JSON dict, named in the session's language."""
    key = stage.get("key", "")
    return t(f"stage.{key}") if has(f"stage.{key}") else (stage.get("label") or key)


def source_name(source: Any) -> str:
    """A lead source in the session's language: the usual channels by name (``organic_search``
    reads 自然検索 in Japanese), any other as the CRM wrote it, none as "unknown"."""
    if source is None or (isinstance(source, float) and source != source):
        return t("data.unknown")
    key = str(source).strip()
    return t(f"lead_source.{key.lower()}") if has(f"lead_source.{key.lower()}") else key


def division_name(division: str) -> str:
    return t(f"division.{division}")


def param_name(scenario: Scenario, name: str, stage: str | None) -> str:
    """``Opportunities · conversion`` for a stage parameter, ``Deal size`` for the others."""
    what = t(f"param.{name}")
    return f"{stage_name(scenario, stage)} · {what}" if stage else what


def require_plan() -> state.Current:
    """The current plan, or an error message on the page and a stop (never a traceback)."""
    cur = state.current()
    if not cur.ok:
        assert cur.error is not None
        show_scenario_error(cur.error)
        st.stop()
    return cur


def show_scenario_error(exc: ScenarioError) -> None:
    """Why the session's scenario cannot be planned, in its language, and what to do."""
    st.error(scenario_error_text(exc, fmt(), state.draft().get("stages") or ()))
    st.caption(t("error.hint"))


def vs_baseline(value: float, baseline: float | None, F: Fmt) -> str | None:
    """A count's change against the baseline plan as a metric's delta (``+12 vs baseline``);
    None without a baseline, or when the change rounds to nothing."""
    if baseline is None:
        return None
    change = F.count(value - baseline, signed=True)
    return t("overview.vs_baseline", value=change) if change != "0" else None


def metric_vs_baseline(
    label: str, value: float, baseline: float | None, F: Fmt, help: str | None = None
) -> None:
    """A count as a metric, its change against the baseline plan as the delta (an increase in
    red: more required is worse)."""
    st.metric(
        label,
        F.count(value),
        delta=vs_baseline(value, baseline, F),
        delta_color="inverse",
        help=help,
    )


def rate_slider(param: str, key: str, path: state.Path_, default: float = 0.0) -> None:
    """A rate of the scenario at ``path`` as a slider in percent (0–100 in hundredths of a point,
    shown with two decimals: half-point steps turned 2.3% into 3.0% with one arrow press and
    2.26% could not be set), labelled and explained by ``param.<param>`` and its ``_help``."""
    st.slider(
        t(f"param.{param}"),
        min_value=0.0,
        max_value=100.0,
        step=RATE_STEP,
        format="%.2f%%",
        help=t(f"param.{param}_help"),
        **state.bind(key, path, scale=100, default=default),
    )


RATE_STEP = 0.01  # percentage points: every rate can be set to a hundredth of a point


def amount_input(
    where: Any, label: str, key: str, value: float, apply: Any, help: str | None = None
) -> None:
    """A money amount typed as people write it (``8,500,000,000``, ``85億``, ``1億2,000万``,
    ``8.5B``; :func:`ui.format.parse_amount`). Text that is not an amount changes nothing: it
    stays in the box with a message under it until it is put right."""
    ss = st.session_state
    bad_key = f"{key}.bad"
    if ss.get(bad_key) is None:
        ss[key] = fm.amount_text(value)

    def _cb() -> None:
        raw = ss.get(key) or ""
        x = fm.parse_amount(raw)
        if x is None or x < 0 or not math.isfinite(x):
            ss[bad_key] = raw
            return
        ss.pop(bad_key, None)
        apply(x)

    where.text_input(label, key=key, on_change=_cb, help=help or t("input.amount_help"))
    if ss.get(bad_key) is not None:
        where.error(t("input.not_amount", text=fm.inert(ss[bad_key])))


def small_multiples(df: Any, y_title: str, columns: int = 2) -> None:
    """One small chart per series of a long frame, ``columns`` a row, each as wide as its
    column (they fit from a 1024 px projector up)."""
    from . import charts

    cols = st.columns(columns)
    for i, name in enumerate(charts.series_names(df)):
        with cols[i % columns]:
            data, spec = charts.small_multiple_spec(df, name, y_title)
            st.vega_lite_chart(data, spec, width="stretch")


def range_moved_text(moved: Mapping[str, Any], data: Mapping[str, Any], F: Fmt) -> str:
    """What an edit of a base did to its committed range (``state.RANGE_MOVED``): it moved with
    the base, or (a range the division set itself) only the end the base passed moved."""
    path = list(moved["path"])
    if path[0] == "stages":
        stage = data["stages"][path[1]]
        name = f"{stage_label(stage)} · {t(f'param.{path[2]}')}"
    else:
        key = {"deal": "size"}.get(path[0], path[-1])
        name = t(f"param.{key}") if has(f"param.{key}") else ".".join(map(str, path))
    rate = path[-1] in RATE_FIELDS

    def ends(lo_hi: Sequence[float]) -> str:
        show = (lambda v: F.pct(v, digits=2)) if rate else F.money if path[0] == "deal" else F.count
        return f"{show(lo_hi[0])} – {show(lo_hi[1])}"

    key = "plan.range_widened" if moved["own"] else "plan.range_moved"
    return t(key, name=fm.inert(name), before=ends(moved["before"]), after=ends(moved["after"]))


def warning_text(w: str, F: Fmt) -> str:
    """A plan warning in ``F``'s language: by its code (model.errors.PlanWarning) with its
    numbers formatted, else the model's English sentence."""
    code = getattr(w, "code", None)
    if code is None or not has(f"warning.{code}"):
        return translate("plan.model_warning", F.lang, text=w)
    p = w.params  # type: ignore[attr-defined]
    values: dict[str, str] = {}
    if "label" in p:
        values["month"] = fm.month(p["label"], F.lang)
    if code == "lead_time_short":
        values["short"] = F.count(p["short"], digits=1)
    elif code == "already_met":
        amount = F.count if p["metric"] == "wins" else F.money
        values |= {"reached": amount(p["reached"]), "target": amount(p["target"])}
    elif code in ("month_short", "month_over"):
        values["wins"] = F.count(p["wins"], digits=1)
        values["cause"] = translate(f"warning.cause.{p['cause']}", F.lang)
    elif code == "volume_short":
        values |= {"planned": F.count(p["planned"]), "supplied": F.count(p["supplied"])}
    return translate(f"warning.{code}", F.lang, **values)


# ----- model errors (ScenarioError) in the user's language ----------------------------------------
_PATH_PART = re.compile(r"\.?([^.\[\]]+)|\[([^\]]*)\]")  # a name, or [an index / a key]
_RATES = RATE_FIELDS | {"attrition"}  # a team's attrition is a rate too
_DURATIONS = {"lag", "months", "onboarding_months"}
_AMOUNTS = {"size", "opening_mrr"}
_ENDS = ("low", "base", "high")
# a field's catalog key, by its JSON path with the stage, division or month taken out
_FIELD_KEYS = {
    "(file)": "model_field.file", "(scenario)": "model_field.scenario",
    "schema": "model_field.schema", "name": "model_field.name", "start": "model_field.start",
    "months": "model_field.months", "currency": "sidebar.currency", "draws": "model_field.draws",
    "inflow": "param.inflow",
    "stages": "model_field.stages", "stages.key": "model_field.key",
    "stages.label": "model_field.label", "stages.owner": "model_field.owner",
    "opening": "param.opening",
    "recycle": "model_field.recycle", "recycle.reentry": "plan.reentry",
    "recycle.opening": "param.pool_opening",
    "deal": "model_field.deal", "deal.revenue": "param.revenue_kind",
    "customers": "model_field.customers",
    "target": "model_field.target", "target.total": "model_field.target_total",
    "target.monthly": "model_field.target_monthly", "target.metric": "model_field.target_metric",
    "divisions": "model_field.divisions", "divisions.handoff": "div.handoff",
    "capacity.works": "capacity.works", "capacity.basis": "capacity.basis",
    "capacity.per_head": "capacity.per_head", "capacity.heads": "capacity.heads",
    "capacity.ramp_months": "capacity.ramp_months",
    "capacity.hiring_months": "capacity.hiring_months",
    "capacity.attrition": "capacity.attrition",
    "capacity.cost_per_head": "capacity.export.cost_per_head", "capacity": "page.capacity",
    "costs": "costs.title", "costs.per_inflow": "capacity.export.per_inflow",
    "costs.per_arrival": "capacity.export.per_arrival",
    "costs.fixed_monthly": "capacity.export.fixed_monthly",
}  # fmt: skip


def _stage_text(key: str, language: str, stages: Sequence[Mapping[str, Any]]) -> str:
    if has(f"stage.{key}"):
        return translate(f"stage.{key}", language)
    return next((s.get("label") or key for s in stages if s.get("key") == key), key)


def _join(items: Sequence[str], language: str) -> str:
    return ("、" if language == "ja" else ", ").join(items)


def scenario_field_text(field: str, language: str, stages: Sequence[Mapping[str, Any]] = ()) -> str:
    """A ScenarioError's field (a JSON path) in words: ``stages[lead].conversion.high`` is
    ``Leads · Conversion (Stretch)``, ``inflow[11]`` ``Inflow, month 12``. A path the catalogs
    do not know is shown as it is."""
    found = _PATH_PART.findall(field)
    if field in _FIELD_KEYS:
        return translate(_FIELD_KEYS[field], language)
    if not found or "".join(f".{n}" if n else f"[{i}]" for n, i in found).lstrip(".") != field:
        return field
    head, rest = found[0][0], found[1:]
    words: list[str] = []
    if head in ("stages", "opening", "divisions", "capacity") and rest:  # a stage or a division
        who = rest[0][0] or rest[0][1]
        if head in ("divisions", "capacity"):
            words.append(translate(f"division.{who}", language) if has(f"division.{who}") else who)
        elif rest[0][1].isdigit() and [n for n, _ in rest[1:]] in ([], ["key"]):  # stages[2].key
            words.append(translate("model_field.stage_n", language, n=int(who) + 1))
        else:
            words.append(_stage_text(who, language, stages))
        rest = rest[1:]
        if head == "opening":
            words.append(translate("param.opening", language))
        elif rest and rest[0][0] not in _ENDS:
            name = rest.pop(0)[0]
            key = _FIELD_KEYS.get(f"{head}.{name}", f"param.{name}")
            words.append(translate(key, language) if has(key) else name)
    else:
        if head not in _FIELD_KEYS and not has(f"param.{head}"):
            return field
        name = rest[0][0] if rest else ""
        key = _FIELD_KEYS.get(f"{head}.{name}", f"param.{name}")
        if name and has(key):  # deal.size, recycle.expiry, customers.renewal_rate, target.total
            words.append(translate(key, language))
            rest = rest[1:]
        else:
            words.append(translate(_FIELD_KEYS.get(head, f"param.{head}"), language))
    text = " · ".join(words)
    for name, index in rest:  # what is left: a month of a list, a range's end, an unknown name
        if index.isdigit():
            text = translate("model_field.month", language, field=text, n=int(index) + 1)
        elif name in _ENDS:
            end = translate(f"div.end.{name}", language)
            text = translate("model_field.end", language, field=text, end=end)
        else:
            text = f"{text} · {name or index}"
    return text


def _field_kind(field: str) -> str:
    """How the numbers of a field read: ``rate`` (a percent), ``months``, ``money`` or a plain
    number."""
    names = [n for n, _ in _PATH_PART.findall(field) if n and n not in _ENDS]
    last = names[-1] if names else ""
    if last in _RATES:
        return "rate"
    return "months" if last in _DURATIONS else "money" if last in _AMOUNTS else "number"


def _number_text(x: float, kind: str, F: Fmt) -> str:
    if kind == "months":
        return F.months(x)
    if kind == "money":
        return F.money(x)
    value = float(x) * (100 if kind == "rate" else 1)
    text = f"{value:,.{2 if kind == 'rate' else 4}f}".rstrip("0").rstrip(".")
    text = "0" if text == "-0" else text
    return f"{text}%" if kind == "rate" else text


def scenario_error_reason(
    exc: ScenarioError, F: Fmt, stages: Sequence[Mapping[str, Any]] = ()
) -> str:
    """Why the model rejected a scenario, in ``F``'s language: the ``model_error.<code>`` text
    with the error's params, its numbers formatted as the field reads (a rate in percent, a
    lag in months); the model's English reason for an error without a known code."""
    if not exc.code or not has(f"model_error.{exc.code}"):
        return exc.reason
    language, kind = F.lang, _field_kind(exc.field)
    values: dict[str, str] = {}
    for name, value in exc.params.items():
        if name in ("total", "conversion", "disqualify", "recycle"):
            values[name] = _number_text(value, "rate", F)
        elif name in ("value", "low", "base", "high"):
            values[name] = _number_text(value, kind, F)
        elif name == "metric":
            text = translate(f"metric.{value}", language)
            values[name] = text.lower() if language == "en" else text
        elif name == "stages":
            values[name] = _join([_stage_text(k, language, stages) for k in value], language)
        elif name in ("divisions", "metrics", "kinds"):
            prefix = {"divisions": "division", "metrics": "metric", "kinds": "revenue_kind"}[name]
            values[name] = _join([translate(f"{prefix}.{v}", language) for v in value], language)
        elif isinstance(value, list):
            values[name] = _join(value, language)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            values[name] = F.count(value)
        else:
            values[name] = str(value)
    if values.get("source", "").startswith("("):  # JSON pasted or piped, not a named file
        values["source"] = translate("model_text.json_text", language)
    if exc.code == "range_keys":
        parts = [
            translate(f"model_text.range_{name}", language, keys=values[name])
            for name in ("missing", "unknown")
            if exc.params.get(name)
        ]
        values["detail"] = _join(parts, language)
    return translate(f"model_error.{exc.code}", language, **values)


def scenario_error_text(
    exc: ScenarioError, F: Fmt, stages: Sequence[Mapping[str, Any]] = ()
) -> str:
    """A ScenarioError as a page shows it, all in ``F``'s language: the field in words (the
    stage alone when its rates add up to more than 100%) and the reason."""
    field = exc.field
    if exc.code in ("rates_exceed_one", "range_rates_exceed_one"):
        field = field.rsplit(".", 1)[0]
    return translate(
        "error.invalid",
        F.lang,
        field=scenario_field_text(field, F.lang, stages),
        reason=scenario_error_reason(exc, F, stages),
    )


def funnel_or_stop() -> Any:
    """This session's cursor on the funnel database; when another process holds the file, the
    page says so (in the session's language) and stops."""
    from db.errors import DatabaseLockedError

    try:
        return state.funnel()
    except DatabaseLockedError as exc:
        st.error(t("data.locked", path=fm.inert(exc.path)))
        st.stop()


def months_between(lo: dt.date, hi: dt.date) -> list[str]:
    """The ``YYYY-MM`` labels of the months from ``lo`` to ``hi``, both included."""
    n = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    return list(month_labels(f"{lo:%Y-%m}", max(0, n)))


def show_warnings(warnings: tuple[str, ...]) -> None:
    F = fmt()
    for w in warnings:
        st.warning(warning_text(w, F))


FRAME_FLAG = "_app_frame"  # set by app.py: the page runs inside the navigation frame
DEEP_LINK = "_deep_link"


def require_frame(page_file: str) -> None:
    """Route a page through app.py when Streamlit ran it on its own.

    Until some session has called ``st.navigation``, Streamlit still treats a ``pages/``
    folder the legacy way: on a freshly started server whose very first request is a deep link
    (``/divisions``, as in a shared link), it runs ``pages/divisions.py`` without app.py, so
    there is no sidebar and no session state. The page then remembers where it was asked to go
    and switches to app.py, which registers the navigation and comes back here.
    """
    if st.session_state.get(FRAME_FLAG):
        return
    from pathlib import Path

    st.session_state[DEEP_LINK] = f"pages/{Path(page_file).name}"
    st.switch_page("app.py")
