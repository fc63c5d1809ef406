"""Scenarios side by side, and a diff made readable: rows of numbers from plans, no streamlit.

``key_figures`` and ``division_targets`` return numbers, ``key_figures_table`` and
``division_table`` the same in words and units; ``monthly`` returns the tidy rows of the
overlaid charts (``monthly_frame`` with their labels); ``bridge_table`` the bars of what
changed from one scenario to another; ``readable_diff`` names a diff's parameter paths in the
session's words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from model import Plan, Scenario

from .actuals import bridge_frame, bridge_rows, factor_label
from .i18n import has, t
from .views import lead_stage

FIGURES = (
    "target",
    "required_inflow",
    "required_leads",
    "wins",
    "bookings",
    "revenue",
    "confidence",
    "run_rate_chance",
)


@dataclass(frozen=True)
class Entry:
    """One scenario in a comparison: its label, parsed scenario, plan, and the two
    probabilities of meeting its target (spec section 6): the plan's confidence and the
    run-rate chance at today's inflow."""

    label: str
    scenario: Scenario
    plan: Plan
    confidence: float | None = None
    run_rate_chance: float | None = None


# ----- scenarios in other currencies ---------------------------------------------------------
def currency_warning(entries: list[Entry], lang: str) -> str | None:
    """What the comparison says when its scenarios are in different currencies (their amounts
    are each shown in its own, never subtracted nor bridged); None when they share one."""
    from .format import inert
    from .i18n import translate

    codes = list(dict.fromkeys(e.scenario.currency for e in entries))
    if len(codes) < 2:
        return None
    return translate("currency.compare_differs", lang, codes=inert(", ".join(codes)))


def in_own(F: Any, e: Entry) -> Any:
    """``F`` formatting ``e``'s amounts in its own currency."""
    return in_currency(F, e.scenario.currency)


def in_currency(F: Any, code: Any) -> Any:
    """``F`` formatting amounts in ``code`` (a diff's currency; ``F``'s own when None)."""
    if F is None or not isinstance(code, str) or F.currency == code:
        return F
    return replace(F, currency=code)


def key_figures(entries: list[Entry]) -> pd.DataFrame:
    """Rows: the figures of ``FIGURES``; columns: the entries' labels. Target over the horizon
    (NaN without one), the first stage's new inflow per month, arrivals into the lead stage per
    month, wins, bookings and revenue over the horizon, the plan's confidence and the run-rate
    chance (NaN where there is none)."""
    cols = {}
    for e in entries:
        target = e.scenario.target
        lead = lead_stage(e.scenario)
        cols[e.label] = [
            float(target.horizon_total) if target is not None else float("nan"),
            e.plan.required_inflow_per_month,
            float(e.plan.stage_series(lead, "arrivals").mean()),
            e.plan.totals["wins"],
            e.plan.totals["bookings"],
            e.plan.totals["revenue"],
            float("nan") if e.confidence is None else float(e.confidence),
            float("nan") if e.run_rate_chance is None else float(e.run_rate_chance),
        ]
    return pd.DataFrame(cols, index=list(FIGURES))


def differences(figures: pd.DataFrame) -> pd.DataFrame:
    """Each column after the first minus the first (same rows)."""
    first = figures.columns[0]
    return pd.DataFrame({c: figures[c] - figures[first] for c in figures.columns[1:]})


def figure_text(fig: str, x: float, F: Any, signed: bool = False, metric: str = "") -> str:
    """A key figure (or its difference, ``signed``) in units: the probabilities in percent (a
    difference in points), amounts of money, counts (a target in wins is a count); NaN as —."""
    if x != x:  # NaN
        return "—"
    if fig in ("confidence", "run_rate_chance"):
        return F.points(x) if signed else F.pct(x, digits=0)
    if _is_money(fig, metric):
        return F.money(x, signed)
    return F.count(x, signed)


def _is_money(fig: str, metric: str) -> bool:
    """Whether a key figure is an amount: bookings, revenue, a target unless in wins."""
    return fig in ("bookings", "revenue") or (fig == "target" and metric != "wins")


def figure_names(scenario: Scenario) -> dict[str, str]:
    """The key figures' names, the stages named as in ``scenario`` (the first compared)."""
    first, lead = scenario.stage_keys[0], lead_stage(scenario)
    return {
        "target": t("scn.fig.target"),
        "required_inflow": t("overview.required_inflow", stage=_stage_name(first, scenario)),
        "required_leads": t("overview.required_leads", stage=_stage_name(lead, scenario)),
        "wins": t("metric.wins"),
        "bookings": t("metric.bookings"),
        "revenue": t("metric.revenue"),
        "confidence": t("overview.confidence"),
        "run_rate_chance": t("overview.run_rate_chance"),
    }


def key_figures_table(entries: list[Entry], F: Any) -> pd.DataFrame:
    """The key figures in units, a column per entry, then each entry's difference from the
    first (``Δ B``); rows named as in the first entry's scenario."""
    figures = key_figures(entries)
    diffs = differences(figures)
    first = entries[0].scenario
    metric = first.target.metric if first.target else ""
    names = figure_names(first)
    shown = pd.DataFrame(
        {
            e.label: [
                figure_text(f, figures.loc[f, e.label], in_own(F, e), metric=metric)
                for f in figures.index
            ]
            for e in entries
        },
        index=[names[f] for f in figures.index],
    )
    for e, c in zip(entries[1:], diffs.columns, strict=True):
        same = e.scenario.currency == first.currency  # no difference of yen and dollars
        shown[t("scn.delta", label=c)] = [
            "—"
            if not same and _is_money(f, metric)
            else figure_text(f, diffs.loc[f, c], F, True, metric)
            for f in diffs.index
        ]
    return shown


def division_targets(entries: list[Entry]) -> pd.DataFrame:
    """Rows (division, stage key) in funnel order; columns: the entries' labels; values: the
    arrivals each division must deliver into its stage per month (mean over the horizon)."""
    order: list[tuple[str, str]] = []
    values: dict[str, dict[tuple[str, str], float]] = {}
    for e in entries:
        values[e.label] = {}
        H = len(e.plan.months)
        for r in e.plan.responsibility():
            k = (r["division"], r["stage"])
            if k not in order:
                order.append(k)
            values[e.label][k] = r["total"] / H
    index = pd.MultiIndex.from_tuples(order, names=["division", "stage"])
    return pd.DataFrame(
        {label: [v.get(k, float("nan")) for k in order] for label, v in values.items()},
        index=index,
    )


def division_table(entries: list[Entry], F: Any) -> pd.DataFrame:
    """``division_targets`` in words: rows ``Marketing · Leads`` (a stage the first scenario
    lacks by its key), counts per month, — where a scenario has no such target."""
    div = division_targets(entries)
    first = entries[0].scenario
    return pd.DataFrame(
        {c: [F.count(x) if x == x else "—" for x in div[c]] for c in div.columns},
        index=[
            f"{t(f'division.{d}')} · {_stage_name(s, first) if s in first.stage_keys else s}"
            for d, s in div.index
        ],
    )


def monthly(entries: list[Entry], measure: str) -> pd.DataFrame:
    """Tidy rows (month, series, order, value) of ``revenue``, ``bookings`` or ``leads`` (the
    lead stage's arrivals) per entry, months in calendar order."""
    rows = []
    for order, e in enumerate(entries):
        if measure == "leads":
            series = e.plan.stage_series(lead_stage(e.scenario), "arrivals")
        else:
            series = getattr(e.plan, measure)
        for m, v in zip(e.plan.months, series, strict=True):
            rows.append({"month": m, "series": e.label, "order": order, "value": float(v)})
    df = pd.DataFrame(rows, columns=["month", "series", "order", "value"])
    return df.sort_values(["month", "order"], kind="stable").reset_index(drop=True)


def monthly_frame(entries: list[Entry], measure: str, F: Any, money: bool) -> pd.DataFrame:
    """``monthly`` with each value in words (``money`` or a count) and short month names, as
    the overlaid line chart takes them."""
    df = monthly(entries, measure)
    own = {e.label: in_own(F, e) for e in entries}  # each series in its scenario's currency
    df["value_text"] = [own[s].money(v) if money else F.count(v)
                        for s, v in zip(df["series"], df["value"], strict=True)]  # fmt: skip
    df["month"] = [F.month_short(m) for m in df["month"]]
    return df


_STAGE_PATH = re.compile(r"^stages\[(?P<stage>[^\]]+)\]\.(?P<field>\w+)(?P<rest>\..+)?$")
_PARAM_NAMES = {
    "deal.size": "param.size",
    "deal.revenue": "param.revenue_kind",
    "deal.onboarding_months": "param.onboarding_months",
    "customers.renewal_rate": "param.renewal_rate",
    "customers.expansion_rate": "param.expansion_rate",
    "customers.opening_count": "param.opening_count",
    "customers.opening_mrr": "param.opening_mrr",
    "recycle.reactivation": "param.reactivation",
    "recycle.expiry": "param.expiry",
    "recycle.volume": "param.volume",
    "recycle.opening": "param.pool_opening",
    "inflow": "param.inflow",
}
_ENDS = {"low": "div.end.low", "base": "div.end.base", "high": "div.end.high"}


def _stage_name(key: str, scenario: Scenario | None = None) -> str:
    """A stage in the session's words (its catalog name, else its label in ``scenario``)."""
    if has(f"stage.{key}"):
        return t(f"stage.{key}")
    return scenario.stage(key).display_label if scenario is not None else key


def describe_path(path: str) -> str:
    """``stages[lead].conversion.low`` -> ``Leads · Conversion · Low``; unknown paths as they
    are."""
    m = _STAGE_PATH.match(path)
    end = ""
    if m:
        field = m.group("field")
        rest = (m.group("rest") or "").lstrip(".")
        if rest in _ENDS:
            end = f" · {t(_ENDS[rest])}"
        elif rest:
            return path
        what = t(f"param.{field}") if has(f"param.{field}") else field
        return f"{_stage_name(m.group('stage'))} · {what}{end}"
    head, _, last = path.rpartition(".")
    if last in _ENDS and head in _PARAM_NAMES:
        return f"{t(_PARAM_NAMES[head])} · {t(_ENDS[last])}"
    if path in _PARAM_NAMES:
        return t(_PARAM_NAMES[path])
    if path.startswith("target."):
        field = path.split(".", 1)[1]
        names = {"total": "target.kind.total", "monthly": "target.kind.monthly",
                 "metric": "plan.target_metric"}  # fmt: skip
        return f"{t('plan.target_kind')} · {t(names[field]) if field in names else field}"
    if path.startswith("opening."):
        return f"{t('param.opening')} · {_stage_name(path.split('.', 1)[1])}"
    return path


# the scenario's parameters that are rates (a share, shown in percent)
RATE_FIELDS = frozenset({"conversion", "disqualify", "recycle", "reactivation", "expiry",
                         "renewal_rate", "expansion_rate"})  # fmt: skip
_MONEY = {"deal.size", "customers.opening_mrr"}
_COUNTS = {"inflow", "recycle.opening", "recycle.volume", "customers.opening_count"}


def unit_of(path: str, metric: str | None = None) -> str:
    """How a parameter's value reads: ``rate`` (percent), ``money``, ``count``, ``months`` or
    ``text``; ``metric`` is the target's (a target in wins is a count)."""
    m = _STAGE_PATH.match(path)
    if m:
        field = m.group("field")
        return "rate" if field in RATE_FIELDS else "months" if field == "lag" else "text"
    head = path
    if path.rpartition(".")[2] in _ENDS:
        head = path.rpartition(".")[0]
    if head.rpartition(".")[2] in RATE_FIELDS:
        return "rate"
    if head in _MONEY:
        return "money"
    if head in _COUNTS or head.startswith("opening."):
        return "count"
    if head in ("target.total", "target.monthly"):
        return "count" if metric == "wins" else "money"
    if head == "deal.onboarding_months":
        return "months"
    return "text"


def show_value(v: Any, unit: str = "text", F: Any = None) -> str:
    """A diff value in words and units (``26.50%``, ``¥2.12M``, ``1.5 months``, ``4,528``); a
    monthly list as its values; absent as —. Without a formatter: numbers as they are."""
    if v is None:
        return "—"
    if isinstance(v, list):
        return ", ".join(show_value(x, unit, F) for x in v)
    if isinstance(v, bool) or not isinstance(v, int | float):
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    if F is not None and unit == "rate":
        return F.pct(v, digits=2)
    if F is not None and unit == "money":
        return F.money(v)
    if F is not None and unit == "count":
        return F.count(v)
    if F is not None and unit == "months":
        return F.months(v)
    return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"


def _rank(path: str) -> tuple[int, str]:
    """What changed first: the target, then the inflow, the stages in funnel order (their
    place in the scenario), the deal, the customers, the recycle pool, the rest."""
    for i, head in enumerate(("target", "inflow", "stages", "opening", "deal", "customers",
                              "recycle")):  # fmt: skip
        if path == head or path.startswith((head + ".", head + "[")):
            return i, ""
    return 99, path


def readable_diff(rows: list[dict[str, Any]], F: Any = None, metric: str | None = None):
    """A store diff (path, a, b) as a table: parameter (in words), old, new (in units), and the
    JSON path last; the target first, then the funnel from the top."""
    rows = sorted(enumerate(rows), key=lambda ir: (_rank(ir[1]["path"]), ir[0]))
    rows = [r for _, r in rows]
    units = [unit_of(r["path"], metric) for r in rows]
    code = next((r for r in rows if r["path"] == "currency"), {})  # amounts in each one's own
    old, new = in_currency(F, code.get("a")), in_currency(F, code.get("b"))
    return pd.DataFrame(
        {
            "parameter": [describe_path(r["path"]) for r in rows],
            "old": [show_value(r["a"], u, old) for r, u in zip(rows, units, strict=True)],
            "new": [show_value(r["b"], u, new) for r, u in zip(rows, units, strict=True)],
            "path": [r["path"] for r in rows],
        },
        columns=["parameter", "old", "new", "path"],
    )


_NOT_INPUTS = ("name", "notes", "schema")  # what a scenario says about itself, not a lever


def input_table(first: str, diffs: dict[str, list[dict[str, Any]]], F: Any = None,
                metric: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The inputs in which compared scenarios differ from the first: a row per parameter (in
    words, what changed first at the top), a column per scenario (``first`` and the keys of
    ``diffs``, each a store diff of the first against it) with its value in units."""
    firsts: dict[str, Any] = {}
    theirs: dict[str, dict[str, Any]] = {label: {} for label in diffs}
    order: list[str] = []
    for label, rows in diffs.items():
        for r in rows:
            path = r["path"]
            if path.split(".")[0].split("[")[0] in _NOT_INPUTS:
                continue
            if path not in firsts:
                firsts[path] = r["a"]
                order.append(path)
            theirs[label][path] = r["b"]
    paths = sorted(order, key=lambda p: (_rank(p), order.index(p)))
    own = in_currency(F, firsts.get("currency"))  # each column's amounts in its currency
    table = {first: [show_value(firsts[p], unit_of(p, metric), own) for p in paths]}
    for label in diffs:
        theirs_f = in_currency(F, theirs[label].get("currency", firsts.get("currency")))
        table[label] = [
            show_value(theirs[label].get(p, firsts[p]), unit_of(p, metric), theirs_f) for p in paths
        ]
    return pd.DataFrame(table, index=[describe_path(p) for p in paths])


# ----- what changed between two scenarios: spec section 9's bridge from A to B -----------------
def scenario_bridge(a: Scenario, b: Scenario, b_plan: Plan) -> tuple[Any, float] | None:
    """Spec section 9's exact Shapley bridge applied to scenario ``a`` → ``b`` over the whole
    horizon: ``b``'s inflow (its planned one), rates, lead times and deal size as the "actual"
    values against ``a``'s. Returns the bridge and ``b``'s bookings (the last bar; what the
    factors leave, the recycle pool and opening stock among it, is the "other" bar), or None
    when the two cannot be bridged (other stages, more than 10, or another horizon)."""
    from model import ScenarioError
    from model.bridge import actual_scenario, bridge
    from model.scenario import base

    if a.stage_keys != b.stage_keys or a.months != b.months:
        return None
    params = ("conversion", "disqualify", "recycle", "lag")
    stages = {s.key: {p: float(base(getattr(s, p))) for p in params} for s in b.stages[:-1]}
    try:
        actual = actual_scenario(a, list(b_plan.inflow), stages, float(base(b.deal.size)))
        return bridge(a, actual, a.months), float(b_plan.totals["bookings"])
    except ScenarioError:  # e.g. more than 10 stages: no bridge, the tables still compare
        return None


def bridge_table(a: Entry, b: Entry, F: Any) -> pd.DataFrame | None:
    """The waterfall's bars from ``a`` to ``b`` (``scenario_bridge``), each named (a factor with
    the division that owns it) and its value in money; None when the two cannot be bridged
    (or are in different currencies: :func:`currency_warning`)."""
    if a.scenario.currency != b.scenario.currency:  # bars of yen and dollars: none
        return None
    made = scenario_bridge(a.scenario, b.scenario, b.plan)
    if made is None:
        return None
    br, b_bookings = made
    bars = bridge_rows(a.scenario, br, b_bookings)
    ends = {"plan": a.label, "actual": b.label, "residual": t("scn.bridge.other")}
    labels = [factor_label(a.scenario, r.key, r.division, ends) for r in bars]
    texts = [F.money(r.value, signed=r.kind != "total") for r in bars]
    return bridge_frame(bars, labels, texts)
