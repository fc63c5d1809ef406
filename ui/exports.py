"""Downloads of a plan: an Excel workbook with live formulas, CSV tables, chart images.

No streamlit here: functions of a scenario, its plan and a language, unit-tested.

The workbook has one sheet per table. *Assumptions* holds every input of the scenario as a plain
cell (the ``base`` of a range). *Reverse* recomputes the plan's required monthly arrivals with
Excel formulas from *Assumptions*, so editing a rate there recomputes them, and puts the model's
exact figures beside them:

- required wins W = target ÷ deal size (bookings target; a wins target is W itself; a revenue
  target depends on timing and has no closed form: #N/A), per month w = W ÷ H;
- without recycle, walking up the funnel: arrivals(last) = w, arrivals(s) = arrivals(s+1) ÷
  conversion(s); the first stage's arrivals are the required inflow;
- with recycle, in steady state: the pool keeps f = ρ ÷ (ρ + e − ρe) of what enters it (ρ the
  monthly reactivation rate, e the expiry; volume mode reactivates V a month instead and f = 0),
  and reactivated items re-enter stage k. Stages from k down are unchanged; above k, arrivals(s)
  = I × Π_{j<s} conversion(j) with the inflow
  I = max(0, (arrivals(k) − f·Σ_{s≥k} recycle(s)·arrivals(s) − V) ÷
  (Π_{j<k} conversion(j) + f·Σ_{s<k} recycle(s)·Π_{i<s} conversion(i))).

These are steady-state relations: they ignore lags (months before the first win), the opening
pipeline and pool, the pool filling up, the volume cap and disqualified or lost items' timing.
The model's exact month-by-month solve (spec section 4) accounts for all of them; for a total
target in rate mode with zero lags, no recycle and no opening stock the two agree exactly.

*Monthly plan*, *Division targets* and *Revenue* are the model's forward flow (spec section 3)
as formulas over *Assumptions* and the Monthly plan's inflow row (:class:`LiveSheets`), so a rate,
lead time, opening stock or revenue input changed there moves every month exactly as the model
moves for that inflow; the cached values are the model's. The inflow row is a formula where the
scenario states one inflow; where the model solved it for a target (or the scenario lists it by
month) it is a yellow input, and a note under the table says so. *Capacity* takes its workload
from those sheets too.

Text cells starting with ``=``, ``+``, ``-``, ``@``, tab, CR or NUL are prefixed with ``'`` in
every xlsx and CSV cell (OWASP ASVS V1.2.10); numbers stay numbers.
"""

from __future__ import annotations

import functools
import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model import Plan, Scenario, base

from .i18n import has, translate

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
CJK_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
CJK_FONT = "Noto Sans CJK JP"
SHEETS = ("assumptions", "reverse", "monthly_plan", "division_targets", "revenue")
CAPACITY_SHEETS = ("capacity", "economics", "capacity_summary")
"""The tables a scenario with section 8 (``capacity`` or ``costs``) adds (the workbook: one
Capacity sheet)."""


# ----- formula injection ------------------------------------------------------------------------
def safe_text(value: Any) -> Any:
    """A text cell neutralised for spreadsheets: ``'`` before a leading = + - @ tab CR NUL.
    Anything that is not a string (numbers, None) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell, column name and index label passed through safe_text."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_text).astype(object)
    out.columns = [safe_text(str(c)) for c in out.columns]
    out.index = [safe_text(i) for i in out.index]
    return out


# ----- labels -----------------------------------------------------------------------------------
def _t(key: str, lang: str, **kw: Any) -> str:
    return translate(key, lang, **kw)


def stage_label(scenario: Scenario, key: str, lang: str) -> str:
    if has(f"stage.{key}"):
        return _t(f"stage.{key}", lang)
    return scenario.stage(key).display_label


# ----- the tables -------------------------------------------------------------------------------
STAGE_MEASURES = ("arrivals", "resolved", "stock", "converted", "disqualified", "recycled", "lost")
"""A non-terminal stage's columns on the Monthly plan (the terminal stage: arrivals)."""


def monthly_columns(scenario: Scenario) -> list[tuple[Any, ...]]:
    """The Monthly plan's series after the month, in order: ``("inflow",)``, ``("stage", s,
    measure)`` for each stage, ``("pool", "balance")`` and ``("pool", "reactivated")``."""
    last = len(scenario.stages) - 1
    out: list[tuple[Any, ...]] = [("inflow",)]
    for s in range(last + 1):
        out += [("stage", s, m) for m in (("arrivals",) if s == last else STAGE_MEASURES)]
    return out + [("pool", "balance"), ("pool", "reactivated")]


def _monthly_header(scenario: Scenario, what: tuple[Any, ...], lang: str) -> str:
    if what[0] == "inflow":
        return _t("param.inflow", lang)
    if what[0] == "pool":
        return _t("export.col.pool_balance" if what[1] == "balance" else "export.col.reactivated",
                  lang)  # fmt: skip
    name = stage_label(scenario, scenario.stage_keys[what[1]], lang)
    return f"{name} · {_t(f'export.measure.{what[2]}', lang)}"


def _monthly_values(plan: Plan, what: tuple[Any, ...]) -> np.ndarray:
    if what[0] == "inflow":
        return plan.inflow
    if what[0] == "pool":
        return plan.pool_balance if what[1] == "balance" else plan.reactivated
    _, s, m = what
    if m == "arrivals":
        return plan.arrivals[s]
    if m == "resolved":  # everything that leaves the stage in the month
        return plan.converted[s] + plan.disqualified[s] + plan.recycled[s] + plan.lost[s]
    return getattr(plan, m)[s]


def monthly_plan_table(scenario: Scenario, plan: Plan, lang: str) -> pd.DataFrame:
    """One row per month: the inflow, each stage's arrivals, resolved (leaving the stage),
    stock, converted, disqualified, recycled and lost (the terminal stage: arrivals), the
    recycle pool's balance and reactivations."""
    cols: dict[str, Any] = {_t("export.col.month", lang): list(plan.months)}
    for what in monthly_columns(scenario):
        cols[_monthly_header(scenario, what, lang)] = list(_monthly_values(plan, what))
    return pd.DataFrame(cols)


REVENUE_COLUMNS = ("wins", "bookings", "mrr", "revenue", "customers", "new_customers")


def revenue_table(plan: Plan, lang: str) -> pd.DataFrame:
    """One row per month: wins, bookings, MRR, revenue, customers, new customers (those whose
    billing starts: the wins of ``onboarding_months`` before for a subscription)."""
    from model.customers import customer_flows

    new = customer_flows(plan.scenario, plan).new_customers
    return pd.DataFrame(
        {
            _t("export.col.month", lang): list(plan.months),
            _t("metric.wins", lang): plan.wins,
            _t("metric.bookings", lang): plan.bookings,
            _t("export.col.mrr", lang): plan.mrr,
            _t("metric.revenue", lang): plan.revenue,
            _t("export.col.customers", lang): plan.customers,
            _t("export.col.new_customers", lang): new,
        }
    )


def division_targets_table(scenario: Scenario, plan: Plan, lang: str) -> pd.DataFrame:
    """One row per stage with an owner: the division, the stage, its required arrivals per month
    (mean), over the plan, and month by month (spec section 5's responsibility)."""
    rows = []
    for r in plan.responsibility():
        row = {
            _t("export.col.division", lang): _t(f"division.{r['division']}", lang),
            _t("export.col.stage", lang): stage_label(scenario, r["stage"], lang),
            _t("export.col.per_month", lang): r["total"] / len(plan.months),
            _t("export.col.total", lang): r["total"],
        }
        row.update(dict(zip(plan.months, r["monthly"], strict=True)))
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Assumption:
    """One input row of the Assumptions sheet."""

    key: str  # stable id: "deal.size", "stages.lead.conversion", ...
    label: str
    value: float | str | None
    kind: str  # "rate", "count", "money", "months", "text"


def assumptions(scenario: Scenario, data: dict[str, Any], lang: str) -> list[Assumption]:
    """Every input of the scenario at its base value, in the workbook's order."""
    rows: list[Assumption] = []
    add = lambda k, label, v, kind: rows.append(Assumption(k, label, v, kind))  # noqa: E731

    def add_param(key: str, label_key: str, value: Any, kind: str) -> None:
        """A parameter at its base value (the middle of a range), labelled from the catalog."""
        add(key, _t(label_key, lang), float(base(value)), kind)

    target = scenario.target
    add("name", _t("export.a.name", lang), str(data.get("name") or ""), "text")
    add("months", _t("export.a.months", lang), float(scenario.months), "count")
    add("start", _t("export.a.start", lang), str(data.get("start", "")), "text")
    add("currency", _t("export.a.currency", lang), str(data.get("currency", "JPY")), "text")
    metric = target.metric if target is not None else "none"
    add("target.metric", _t("export.a.target_metric", lang), metric, "text")
    add(
        "target.total",
        _t("export.a.target_total", lang),
        float(target.horizon_total) if target is not None else None,
        "count" if metric == "wins" else "money",
    )
    inflow = data.get("inflow", 0)
    stated = float(np.mean(inflow)) if isinstance(inflow, list) and inflow else inflow
    add_param("inflow", "export.a.inflow", stated or 0, "count")
    deal = scenario.deal
    add_param("deal.size", "param.size", deal.size, "money")
    add("deal.revenue", _t("param.revenue_kind", lang), deal.revenue, "text")
    add(
        "deal.onboarding_months",
        _t("param.onboarding_months", lang),
        float(deal.onboarding_months),
        "months",
    )
    cust = scenario.customers
    add_param("customers.renewal_rate", "param.renewal_rate", cust.renewal_rate, "rate")
    add_param("customers.expansion_rate", "param.expansion_rate", cust.expansion_rate, "rate")
    add_param("customers.opening_count", "param.opening_count", cust.opening_count, "count")
    add_param("customers.opening_mrr", "param.opening_mrr", cust.opening_mrr, "money")
    rec = data.get("recycle") or {}
    volume = rec.get("volume")
    mode = "volume" if volume is not None else "rate"
    add("recycle.mode", _t("export.a.recycle_mode", lang), mode, "text")
    reentry = scenario.recycle.reentry
    add("recycle.reentry", _t("export.a.reentry", lang), reentry, "text")
    add_param("recycle.reactivation", "param.reactivation", rec.get("reactivation", 0.0), "rate")
    add_param("recycle.expiry", "param.expiry", rec.get("expiry", 0.0), "rate")
    vol = 0.0
    if volume is not None:
        vol = float(np.mean(volume)) if isinstance(volume, list) else float(base(volume))
    add("recycle.volume", _t("param.volume", lang), vol, "count")
    add_param("recycle.opening", "param.pool_opening", rec.get("opening", 0.0), "count")
    opening = data.get("opening") or {}
    for st in scenario.stages[:-1]:
        name = stage_label(scenario, st.key, lang)
        for field, value, kind in (
            ("conversion", st.conversion, "rate"),
            ("disqualify", st.disqualify, "rate"),
            ("recycle", st.recycle, "rate"),
            ("lag", st.lag, "months"),
            ("opening", opening.get(st.key, 0.0), "count"),
        ):
            label = f"{name} · {_t(f'param.{field}', lang)}"
            add(f"stages.{st.key}.{field}", label, float(base(value)), kind)
    return rows


def assumptions_table(scenario: Scenario, data: dict[str, Any], lang: str) -> pd.DataFrame:
    rows = assumptions(scenario, data, lang)
    return pd.DataFrame(
        {
            _t("export.col.parameter", lang): [r.label for r in rows],
            _t("export.col.key", lang): [r.key for r in rows],
            _t("export.col.value", lang): [r.value for r in rows],
        }
    )


# ----- the steady-state reverse calculation (the formulas' values, computed in Python) ----------
@dataclass(frozen=True)
class SteadyState:
    """Per month: required wins, arrivals per stage without and with recycle, the inflow."""

    wins: float
    simple: tuple[float, ...]  # arrivals per stage, no recycle
    recycled: tuple[float, ...]  # arrivals per stage, recycle in steady state
    inflow: float  # new arrivals into the first stage, with recycle


def pool_return_share(reactivation: float, expiry: float) -> float:
    """f = ρ / (ρ + e − ρe): the share of recycled items that the pool sends back in steady
    state (P = (P − ρP)(1 − e) + X  ⇒  ρP = f·X)."""
    den = reactivation + expiry - reactivation * expiry
    return reactivation / den if den > 0 else 0.0


def steady_state(rows: list[Assumption], stage_keys: tuple[str, ...]) -> SteadyState:
    """The Reverse sheet's formulas evaluated from the Assumptions rows (see the module doc)."""
    a = {r.key: r.value for r in rows}
    H = float(a["months"])
    metric = a["target.metric"]
    total = a["target.total"]
    if metric == "bookings" and total is not None and a["deal.size"]:
        W = float(total) / float(a["deal.size"])
    elif metric == "wins" and total is not None:
        W = float(total)
    else:
        W = math.nan
    w = W / H
    S = len(stage_keys)
    conv = [float(a[f"stages.{k}.conversion"]) for k in stage_keys[:-1]]
    rc = [float(a[f"stages.{k}.recycle"]) for k in stage_keys[:-1]]
    simple = [0.0] * S
    simple[-1] = w
    for s in range(S - 2, -1, -1):
        simple[s] = simple[s + 1] / conv[s] if conv[s] else math.inf
    volume_mode = a["recycle.mode"] == "volume"
    f = (
        0.0
        if volume_mode
        else pool_return_share(float(a["recycle.reactivation"]), float(a["recycle.expiry"]))
    )
    V = float(a["recycle.volume"]) if volume_mode else 0.0
    k = stage_keys.index(str(a["recycle.reentry"]))
    coef = [1.0] * S  # Π_{j<s} conversion(j)
    for s in range(1, S):
        coef[s] = coef[s - 1] * conv[s - 1]
    below = sum(rc[s] * simple[s] for s in range(k, S - 1))
    above = sum(rc[s] * coef[s] for s in range(0, k))
    den = coef[k] + f * above
    inflow = max(0.0, (simple[k] - f * below - V) / den) if den else math.inf
    recycled = [inflow * coef[s] if s < k else simple[s] for s in range(S)]
    if k == 0:
        recycled[0] = simple[0]
    return SteadyState(w, tuple(simple), tuple(recycled), inflow)


# ----- the workbook -----------------------------------------------------------------------------
def _col(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(row: int, col: int, absolute: bool = True) -> str:
    d = "$" if absolute else ""
    return f"{d}{_col(col)}{d}{row + 1}"


def _clean_number(x: float) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def asis_frame(scenario: Scenario, baseline: dict[str, Any] | None, data: dict[str, Any],
               lang: str) -> pd.DataFrame | None:  # fmt: skip
    """AsIs beside ToBe (issue 14), for the workbook and the CSV: per division and stage each
    rate in percent and each lead time in months, the baseline's (AsIs, from data) and the
    plan's (ToBe), the change, the historical range and whether ToBe lies in it, the items the
    baseline used. None when the baseline was not built from data."""
    from .asis import asis_beside_tobe

    _, rows = asis_beside_tobe(baseline or {}, data)
    if not rows:
        return None

    def shown(field: str, x: float | None) -> float | None:
        return None if x is None else x if field == "lag" else 100 * x

    col = {k: _t(f"div.asis.{k}", lang) for k in ("stage", "param", "asis", "tobe", "change",
                                                  "change_pct", "inside", "items")}  # fmt: skip
    unit = {"lag": _t("export.asis.months", lang)}
    return pd.DataFrame(
        {
            _t("export.col.division", lang): [_t(f"division.{r.division}", lang) for r in rows],
            col["stage"]: [stage_label(scenario, r.stage, lang) for r in rows],
            col["param"]: [_t(f"param.{r.field}", lang) for r in rows],
            _t("export.asis.unit", lang): [unit.get(r.field, "%") for r in rows],
            col["asis"]: [shown(r.field, r.asis) for r in rows],
            col["tobe"]: [shown(r.field, r.tobe) for r in rows],
            col["change"]: [shown(r.field, r.change) for r in rows],
            col["change_pct"]: [
                None if r.change_pct is None else 100 * r.change_pct for r in rows
            ],  # fmt: skip
            _t("export.asis.low", lang): [shown(r.field, r.low) for r in rows],
            _t("export.asis.high", lang): [shown(r.field, r.high) for r in rows],
            col["inside"]: [
                "" if r.inside is None else _t(f"div.asis.{'yes' if r.inside else 'no'}", lang)
                for r in rows
            ],  # fmt: skip
            col["items"]: [r.items for r in rows],
        }
    )


# ----- the live sheets (issue 12): spec section 3's forward flow as formulas over Assumptions --
def _text_literal(value: str) -> str:
    """A text as an Excel string literal, as the Assumptions sheet writes it (safe_text)."""
    return '"' + str(safe_text(value)).replace('"', '""') + '"'


LEAD_ROWS = (
    ("lag", "param.lag"),
    ("whole", "export.monthly.whole_months"),
    ("later", "export.monthly.later_share"),
    ("spread", "export.monthly.opening_months"),
    ("opening", "param.opening"),
)
"""The Monthly plan's rows under the months, per stage under its resolved column: the lead time
L and opening stock O (from Assumptions), f = INT(L), q = L − f, n = MAX(1, ROUNDUP(L, 0))."""


class LiveSheets:
    """The formulas of the Monthly plan, Division targets and Revenue sheets.

    Month t of a sheet is row t + 2. Per stage s (rates c, d, rc from Assumptions; lead time L,
    f, q, n and opening stock O from the rows under the months, :data:`LEAD_ROWS`):

    - resolved(t) = (1 − q)·arrivals(t − f) + q·arrivals(t − f − 1) + [t < n]·O/n (INDEX over
      the stage's arrivals so far, so a changed lag moves the months too);
    - converted = c·resolved, disqualified = d·resolved, recycled = rc·resolved, lost = the rest;
      stock(t) = stock(t − 1) + arrivals(t) − resolved(t), stock(−1) = O;
    - arrivals(s + 1) = converted(s), plus the reactivations R(t) at the re-entry stage;
    - R(t) = reactivation × P(t − 1), or MIN(volume, P(t − 1)) in volume mode;
      P(t) = (P(t − 1) − R(t))·(1 − expiry) + Σ recycled(t), P(−1) = the pool's opening balance.

    Revenue: wins from the Monthly plan, bookings = wins × deal size; new customers = wins(t − k)
    for a subscription (k onboarding months), wins(t) for one-time deals; with q = renewal^(1/12)
    and γ = q·(1 + expansion)^(1/12): customers(t) = q·customers(t − 1) + new(t) (from the opening
    count), MRR(t) = γ·MRR(t − 1) + new(t)·size/12 (from the opening MRR; 0 for one-time deals),
    revenue = MRR (subscription) or bookings. Division targets: each owned stage's arrivals,
    their sum and mean. The inflow is the one cell Excel does not compute when the model solved
    it for a target (spec section 4) or the scenario lists it by month: then it is an input.
    """

    def __init__(self, scenario: Scenario, ref: dict[str, str], names: dict[str, str]) -> None:
        self.scenario, self.ref = scenario, ref
        self.whats = monthly_columns(scenario)
        self.col = {w: _col(c) for c, w in enumerate(self.whats, start=1)}
        self.rev_col = {n: _col(c) for c, n in enumerate(REVENUE_COLUMNS, start=1)}
        self.sheet = {k: "'" + v.replace("'", "''") + "'" for k, v in names.items()}
        self.inflow_live = scenario.target is None and not isinstance(scenario.inflow, tuple)
        self.owned = [s for s, st in enumerate(scenario.stages) if st.owner]
        self.lead_title = scenario.months + 2  # 0-based rows: a blank row, then these
        self.lead_row = {k: self.lead_title + 1 + i for i, (k, _) in enumerate(LEAD_ROWS)}
        self.notes_row = self.lead_title + len(LEAD_ROWS) + 2

    def lead(self, s: int, name: str) -> str:
        """Stage s's lead-time cell ``name`` (:data:`LEAD_ROWS`), under its resolved column."""
        return f"{self.col[('stage', s, 'resolved')]}${self.lead_row[name] + 1}"

    def lead_cells(self) -> list[tuple[int, int, str, float]]:
        """(row, column, formula, value) of every stage's lead-time cells."""
        out = []
        for s, st in enumerate(self.scenario.stages[:-1]):
            lag, opening = float(base(st.lag)), float(base(st.opening))
            key = self.scenario.stage_keys[s]
            c = self.whats.index(("stage", s, "resolved")) + 1
            L, f = self.lead(s, "lag"), math.floor(lag)
            cells = {
                "lag": (f"={self.ref[f'stages.{key}.lag']}", lag),
                "whole": (f"=INT({L})", f),
                "later": (f"={L}-{self.lead(s, 'whole')}", lag - f),
                "spread": (f"=MAX(1,ROUNDUP({L},0))", max(1, math.ceil(lag))),
                "opening": (f"={self.ref[f'stages.{key}.opening']}", opening),
            }
            out += [(self.lead_row[k], c, f, float(v)) for k, (f, v) in cells.items()]
        return out

    def at(self, what: tuple[Any, ...], t: int, outside: bool = False) -> str:
        """The Monthly plan's cell of a series in month t (``outside`` it: with the sheet)."""
        cell = f"{self.col[what]}{t + 2}"
        return f"{self.sheet['monthly_plan']}!{cell}" if outside else cell

    def revenue_at(self, name: str, t: int, outside: bool = False) -> str:
        """The Revenue sheet's cell of a series in month t (``outside`` it: with the sheet)."""
        cell = f"{self.rev_col[name]}{t + 2}"
        return f"{self.sheet['revenue']}!{cell}" if outside else cell

    def is_reentry(self, key: str) -> str:
        """Whether the Assumptions' re-entry stage is ``key`` (EXACT: stage keys may differ in
        case only)."""
        return f"EXACT({self.ref['recycle.reentry']},{_text_literal(key)})"

    def notes(self, lang: str) -> list[str]:
        notes = [_t("export.monthly.note", lang)]
        if not self.inflow_live:
            solved = self.scenario.target is not None
            notes.append(_t(f"export.monthly.note_{'solved' if solved else 'listed'}", lang))
        return notes

    # -- Monthly plan
    def monthly(self, t: int, c: int) -> str | None:
        if c == 0:
            return None
        what, ref = self.whats[c - 1], self.ref
        prev_pool = ref["recycle.opening"] if t == 0 else self.at(("pool", "balance"), t - 1)
        if what[0] == "inflow":
            return f"={ref['inflow']}" if self.inflow_live else None
        if what == ("pool", "reactivated"):
            volume = self.scenario.recycle.volume
            vol = f"{float(volume[t])!r}" if isinstance(volume, tuple) else ref["recycle.volume"]
            return (f'=IF({ref["recycle.mode"]}="volume",MIN({vol},{prev_pool}),'
                    f'{ref["recycle.reactivation"]}*{prev_pool})')  # fmt: skip
        S = len(self.scenario.stages)
        if what == ("pool", "balance"):
            recycled = "".join(f"+{self.at(('stage', s, 'recycled'), t)}" for s in range(S - 1))
            return (f"=({prev_pool}-{self.at(('pool', 'reactivated'), t)})"
                    f"*(1-{ref['recycle.expiry']}){recycled}")  # fmt: skip
        _, s, m = what
        key = self.scenario.stage_keys[s]
        p = {f: ref[f"stages.{key}.{f}"] for f in ("conversion", "disqualify", "recycle")
             } if s < S - 1 else {}  # fmt: skip
        own = lambda measure, month=t: self.at(("stage", s, measure), month)  # noqa: E731
        if m == "arrivals":
            came = self.at(("inflow",), t) if s == 0 else self.at(("stage", s - 1, "converted"), t)
            if s == S - 1:
                return f"={came}"
            return f"={came}+IF({self.is_reentry(key)},{self.at(('pool', 'reactivated'), t)},0)"
        if m == "resolved":
            f, q, n, o = (self.lead(s, k) for k in ("whole", "later", "spread", "opening"))
            a = self.col[what[:2] + ("arrivals",)]
            span = f"{a}$2:{a}{t + 2}"
            return (f"=(1-{q})*IF({t}>={f},INDEX({span},{t + 1}-{f}),0)"
                    f"+{q}*IF({t}>{f},INDEX({span},{t}-{f}),0)+IF({t}<{n},{o}/{n},0)")  # fmt: skip
        if m == "stock":
            before = self.lead(s, "opening") if t == 0 else own("stock", t - 1)
            return f"={before}+{own('arrivals')}-{own('resolved')}"
        share = {"converted": p["conversion"], "disqualified": p["disqualify"],
                 "recycled": p["recycle"],
                 "lost": f"(1-{p['conversion']}-{p['disqualify']}-{p['recycle']})"}[m]  # fmt: skip
        return f"={share}*{own('resolved')}"

    # -- Division targets: a row per owned stage
    def division(self, i: int, c: int) -> str | None:
        if c < 2:
            return None
        H, r = self.scenario.months, i + 2
        months = f"{_col(4)}{r}:{_col(3 + H)}{r}"
        if c == 2:
            return f"=AVERAGE({months})"
        if c == 3:
            return f"=SUM({months})"
        return f"={self.at(('stage', self.owned[i], 'arrivals'), c - 4, True)}"

    # -- Revenue
    def revenue(self, t: int, c: int) -> str | None:
        if c == 0:
            return None
        ref, name = self.ref, REVENUE_COLUMNS[c - 1]
        at = lambda n, month=t: self.revenue_at(n, month)  # noqa: E731
        sub, size = f'{ref["deal.revenue"]}="subscription"', ref["deal.size"]
        q = f"{ref['customers.renewal_rate']}^(1/12)"
        if name == "wins":
            return f"={self.at(('stage', len(self.scenario.stages) - 1, 'arrivals'), t, True)}"
        if name == "bookings":
            return f"={at('wins')}*{size}"
        if name == "new_customers":
            k, w = ref["deal.onboarding_months"], self.rev_col["wins"]
            shifted = f"IF({t}>={k},INDEX({w}$2:{w}{t + 2},{t + 1}-{k}),0)"
            return f"=IF({sub},{shifted},{at('wins')})"
        if name == "mrr":
            gamma = f"{q}*(1+{ref['customers.expansion_rate']})^(1/12)"
            before = ref["customers.opening_mrr"] if t == 0 else f"{gamma}*{at('mrr', t - 1)}"
            return f"=IF({sub},{before}+{at('new_customers')}*{size}/12,0)"
        if name == "revenue":
            return f"=IF({sub},{at('mrr')},{at('bookings')})"
        before = ref["customers.opening_count"] if t == 0 else f"{q}*{at('customers', t - 1)}"
        return f"={before}+{at('new_customers')}"


@functools.cache
def _workbook_class() -> Any:
    """xlsxwriter's Workbook whose sheets write a formula as given. xlsxwriter rewrites every
    formula through some thirty regular expressions (Excel 365's functions, e.g. FILTER, get a
    _xlfn. prefix), which made three quarters of the build once the plan's sheets became formulas;
    ours use none of those functions (IF, INDEX, INT, MAX, MIN, ROUNDUP, SUM, AVERAGE, SUMPRODUCT,
    IFERROR, AND, NA, EXACT)."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    class PlainFormulas(Worksheet):
        def _prepare_formula(self, formula: str, *args: Any, **kwargs: Any) -> str:
            return formula.removeprefix("=")

    class Workbook(xlsxwriter.Workbook):
        worksheet_class = PlainFormulas

    return Workbook


def workbook_bytes(
    scenario: Scenario,
    plan: Plan,
    data: dict[str, Any],
    lang: str,
    baseline: dict[str, Any] | None = None,
) -> bytes:
    """The xlsx workbook (see the module docstring); with ``baseline`` (the scenario as built
    from data), an AsIs-beside-ToBe sheet."""
    buf = io.BytesIO()
    wb = _workbook_class()(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#dde6f0", "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    fmts = {
        "rate": wb.add_format({"num_format": "0.0%", "bg_color": "#fff2cc"}),
        "count": wb.add_format({"num_format": "#,##0.0", "bg_color": "#fff2cc"}),
        "money": wb.add_format({"num_format": "#,##0", "bg_color": "#fff2cc"}),
        "months": wb.add_format({"num_format": "0.00", "bg_color": "#fff2cc"}),
        "text": wb.add_format({"bg_color": "#fff2cc"}),
    }
    num = wb.add_format({"num_format": "#,##0.0"})
    money_f = wb.add_format({"num_format": "#,##0"})
    rate_f = wb.add_format({"num_format": "0.0%"})
    lead_f = wb.add_format({"num_format": "0.00"})

    def text(ws, r, c, value, fmt=None):
        ws.write_string(r, c, safe_text(str(value)), fmt)

    # -- Assumptions
    rows = assumptions(scenario, data, lang)
    wa = wb.add_worksheet(_t("export.sheet.assumptions", lang)[:31])
    a_name = wa.get_name()
    ref: dict[str, str] = {}
    text(wa, 0, 0, _t("export.col.parameter", lang), head)
    text(wa, 0, 1, _t("export.col.key", lang), head)
    text(wa, 0, 2, _t("export.col.value", lang), head)
    for i, r in enumerate(rows, start=1):
        text(wa, i, 0, r.label)
        text(wa, i, 1, r.key)
        if r.kind == "text":
            text(wa, i, 2, "" if r.value is None else r.value, fmts["text"])
        elif r.value is None:
            wa.write_blank(i, 2, None, fmts[r.kind])
        else:
            wa.write_number(i, 2, float(r.value), fmts[r.kind])
        ref[r.key] = f"'{a_name}'!{_cell(i, 2)}"
    text(wa, len(rows) + 2, 0, _t("export.assumptions_note_live", lang), wrap)
    wa.set_column(0, 0, 40)
    wa.set_column(1, 1, 32)
    wa.set_column(2, 2, 18)
    wa.freeze_panes(1, 0)

    # -- Reverse: live formulas beside the model's exact figures
    keys = scenario.stage_keys
    S = len(keys)
    ss = steady_state(rows, keys)
    wr = wb.add_worksheet(_t("export.sheet.reverse", lang)[:31])
    text(wr, 0, 0, _t("export.reverse.title", lang), bold)
    wr.set_row(1, 150)
    wr.merge_range(1, 0, 1, 7, safe_text(_t("export.reverse.note", lang)), wrap)
    H = ref["months"]
    r0 = 3
    labels = [
        ("wins_total", _t("export.reverse.wins_total", lang)),
        ("wins_month", _t("export.reverse.wins_month", lang)),
        ("f", _t("export.reverse.pool_share", lang)),
        ("V", _t("export.reverse.volume", lang)),
        ("inflow", _t("export.reverse.inflow", lang)),
    ]
    pos = {k: _cell(r0 + i, 1) for i, (k, _) in enumerate(labels)}
    for i, (_, lab) in enumerate(labels):
        text(wr, r0 + i, 0, lab)
    wins_total = _clean_number(ss.wins * float(plan.scenario.months))
    wr.write_formula(
        pos["wins_total"],
        f'=IF({ref["target.metric"]}="bookings",{ref["target.total"]}/{ref["deal.size"]},'
        f'IF({ref["target.metric"]}="wins",{ref["target.total"]},NA()))',
        num,
        wins_total if wins_total is not None else "#N/A",
    )
    wr.write_formula(
        pos["wins_month"],
        f"={pos['wins_total']}/{H}",
        num,
        _clean_number(ss.wins) if _clean_number(ss.wins) is not None else "#N/A",
    )
    rho, e = ref["recycle.reactivation"], ref["recycle.expiry"]
    a_rows = {r.key: r.value for r in rows}
    f_val = (
        0.0
        if a_rows["recycle.mode"] == "volume"
        else pool_return_share(
            float(a_rows["recycle.reactivation"]), float(a_rows["recycle.expiry"])
        )
    )
    wr.write_formula(
        pos["f"],
        f'=IF({ref["recycle.mode"]}="volume",0,IF({rho}+{e}-{rho}*{e}>0,'
        f"{rho}/({rho}+{e}-{rho}*{e}),0))",
        wb.add_format({"num_format": "0.000"}),
        f_val,
    )
    v_val = float(a_rows["recycle.volume"]) if a_rows["recycle.mode"] == "volume" else 0.0
    wr.write_formula(
        pos["V"], f'=IF({ref["recycle.mode"]}="volume",{ref["recycle.volume"]},0)', num, v_val
    )

    # the stage table
    t0 = r0 + len(labels) + 2
    heads = [
        _t("export.col.stage", lang),
        _t("export.col.key", lang),
        _t("export.reverse.conversion", lang),
        _t("export.reverse.recycle", lang),
        _t("export.reverse.coef", lang),
        _t("export.reverse.simple", lang),
        _t("export.reverse.with_recycle", lang),
        _t("export.reverse.model", lang),
        _t("export.reverse.gap", lang),
    ]
    for c, h in enumerate(heads):
        text(wr, t0, c, h, head)
    wr.set_row(t0, 48)
    first = t0 + 1
    k = keys.index(scenario.recycle.reentry)
    C = lambda s, c: _cell(first + s, c)  # noqa: E731
    for s, key in enumerate(keys):
        r = first + s
        text(wr, r, 0, stage_label(scenario, key, lang))
        text(wr, r, 1, key)
        if s < S - 1:  # the stage's rates, linked to Assumptions
            for c, field in ((2, "conversion"), (3, "recycle")):
                a_key = f"stages.{key}.{field}"
                wr.write_formula(r, c, f"={ref[a_key]}", rate_f, float(a_rows[a_key]))
        coef_val = float(np.prod([a_rows[f"stages.{x}.conversion"] for x in keys[:s]]))
        wr.write_formula(
            r,
            4,
            "=1" if s == 0 else f"={C(s - 1, 4)}*{C(s - 1, 2)}",
            wb.add_format({"num_format": "0.000000"}),
            coef_val,
        )
        if s == S - 1:
            simple_f = f"={pos['wins_month']}"
        else:
            simple_f = f"=IF({C(s, 2)}>0,{C(s + 1, 5)}/{C(s, 2)},NA())"
        wr.write_formula(r, 5, simple_f, num, _clean_number(ss.simple[s]) or 0.0)
        if s < k:
            with_f = f"={pos['inflow']}*{C(s, 4)}"
        else:
            with_f = f"={C(s, 5)}"
        wr.write_formula(r, 6, with_f, num, _clean_number(ss.recycled[s]) or 0.0)
        model_mean, steady = float(plan.arrivals[s].mean()), ss.recycled[s]
        wr.write_number(r, 7, model_mean, num)
        gap = model_mean / steady - 1 if steady and math.isfinite(steady) else "#N/A"
        wr.write_formula(r, 8, f"=IFERROR({C(s, 7)}/{C(s, 6)}-1,NA())", rate_f, gap)
    last_nt = first + S - 2  # the last non-terminal stage's row
    below = (
        f"SUMPRODUCT({_cell(first + k, 3)}:{_cell(last_nt, 3)},"
        f"{_cell(first + k, 6)}:{_cell(last_nt, 6)})"
        if k <= S - 2
        else "0"
    )
    above = (
        f"SUMPRODUCT({_cell(first, 3)}:{_cell(first + k - 1, 3)},"
        f"{_cell(first, 4)}:{_cell(first + k - 1, 4)})"
        if k > 0
        else "0"
    )
    wr.write_formula(
        pos["inflow"],
        f"=MAX(0,({C(k, 5)}-{pos['f']}*{below}-{pos['V']})/({C(k, 4)}+{pos['f']}*{above}))",
        num,
        _clean_number(ss.inflow) or 0.0,
    )
    # the model's new inflow beside the formula's
    text(wr, r0 + 4, 2, _t("export.reverse.model_inflow", lang))
    wr.write_number(r0 + 4, 3, float(plan.inflow.mean()), num)
    wr.set_column(0, 0, 44)
    wr.set_column(1, 1, 14)
    wr.set_column(2, 8, 16)

    # -- Monthly plan, division targets, revenue (formulas over Assumptions); AsIs beside ToBe
    asis = asis_frame(scenario, baseline, data, lang)
    live = LiveSheets(scenario, ref, {s: _t(f"export.sheet.{s}", lang)[:31] for s in SHEETS})
    for sheet, df, money_cols, formula in (
        ("monthly_plan", monthly_plan_table(scenario, plan, lang), (), live.monthly),
        ("division_targets", division_targets_table(scenario, plan, lang), (), live.division),
        ("revenue", revenue_table(plan, lang), (2, 3, 4), live.revenue),
        *((("asis", asis, (), None),) if asis is not None else ()),
    ):
        ws = wb.add_worksheet(_t(f"export.sheet.{sheet}", lang)[:31])
        for c, name in enumerate(df.columns):
            text(ws, 0, c, name, head)
        for r, values in enumerate(df.itertuples(index=False), start=1):
            for c, v in enumerate(values):
                f = formula(r - 1, c) if formula is not None else None
                if isinstance(v, str):
                    text(ws, r, c, v)
                elif v is None or (isinstance(v, float) and not math.isfinite(v)):
                    ws.write_blank(r, c, None)
                elif f is not None:
                    ws.write_formula(r, c, f, money_f if c in money_cols else num, float(v))
                else:  # a value on a live sheet is an input (the inflow the model solved)
                    ws.write_number(r, c, float(v), num if formula is None else fmts["count"])
        if sheet == "monthly_plan":
            text(ws, live.lead_title, 0, _t("export.monthly.lead_times", lang), bold)
            for key, label in LEAD_ROWS:
                text(ws, live.lead_row[key], 0, _t(label, lang))
            for r, c, f, v in live.lead_cells():
                ws.write_formula(r, c, f, lead_f, v)
            for i, note in enumerate(live.notes(lang)):
                text(ws, live.notes_row + i, 0, note)
        ws.set_row(0, 36)
        ws.set_column(0, max(0, len(df.columns) - 1), 16)
        ws.freeze_panes(1, 1)
    if has_section8(scenario):
        capacity_sheet(wb, scenario, plan, lang, ref, live)
    wb.close()
    return buf.getvalue()


# ----- capacity, hiring and cost (spec section 8) -------------------------------------------------
CAPACITY_FIELDS = ("workload", "required", "joiners", "requisitions", "heads", "effective",
                   "shortfall", "utilisation", "cost")  # fmt: skip


def has_section8(scenario: Scenario) -> bool:
    """Whether the scenario has section 8's ``capacity`` or ``costs``."""
    return scenario.capacity is not None or scenario.costs is not None


def _section8(scenario: Scenario, plan: Plan) -> Any:
    from model.capacity import capacity_plan

    return capacity_plan(plan)


def _capacity_divisions(scenario: Scenario) -> list[tuple[str, Any]]:
    from model.scenario import DIVISIONS

    return sorted(scenario.capacity or (), key=lambda dc: DIVISIONS.index(dc[0]))


def capacity_tables(scenario: Scenario, plan: Plan, lang: str) -> dict[str, pd.DataFrame]:
    """Section 8 as tables: ``capacity`` (a row per division and month: workload, heads needed,
    joiners, requisitions, heads on the payroll, productive heads, shortfall, utilisation, cost),
    ``economics`` (a row per month: inflow, wins, acquisition cost) and ``capacity_summary``
    (CAC, payback, the ceiling; a row each)."""
    cp = _section8(scenario, plan)
    rows = []
    for d, _ in _capacity_divisions(scenario):
        s = cp.staffing[d]
        for t_, month in enumerate(plan.months):
            row = {
                _t("export.col.division", lang): _t(f"division.{d}", lang),
                _t("export.col.month", lang): month,
            }
            for f in CAPACITY_FIELDS:
                v = float(getattr(s, f)[0][t_])
                row[_t(f"capacity.row.{f}", lang)] = v if math.isfinite(v) else None
            rows.append(row)
    columns = [_t("export.col.division", lang), _t("export.col.month", lang)] + [
        _t(f"capacity.row.{f}", lang) for f in CAPACITY_FIELDS
    ]
    economics = pd.DataFrame(
        {
            _t("export.col.month", lang): list(plan.months),
            _t("param.inflow", lang): plan.inflow,
            _t("metric.wins", lang): plan.wins,
            _t("capacity.export.acquisition_cost", lang): cp.acquisition_cost,
        }
    )
    c = cp.ceiling
    summary = [
        ("cac", cp.cac),
        ("payback_months", cp.payback_months),
        ("ceiling.inflow", c.inflow if c is not None else None),
        ("ceiling.bookings", c.bookings if c is not None else None),
        ("ceiling.division", _t(f"division.{c.division}", lang) if c and c.division else None),
        ("ceiling.month", plan.months[c.month] if c is not None and c.month is not None else None),
    ]
    return {
        "capacity": pd.DataFrame(rows, columns=columns),
        "economics": economics,
        "capacity_summary": pd.DataFrame(
            {
                _t("export.col.key", lang): [k for k, _ in summary],
                _t("export.col.parameter", lang): [
                    _t(f"capacity.export.{k}", lang) for k, _ in summary
                ],
                _t("export.col.value", lang): [v for _, v in summary],
            }
        ),
    }


# the Capacity sheet's input columns: field, catalog key, number format
_TEAM_INPUTS = (
    ("per_head", "capacity.per_head", "#,##0.0"),
    ("heads", "capacity.heads", "#,##0.0"),
    ("ramp_months", "capacity.ramp_months", "0"),
    ("hiring_months", "capacity.hiring_months", "0"),
    ("attrition", "capacity.attrition", "0.0%"),
    ("cost_per_head", "capacity.export.cost_per_head", "#,##0"),
)
# a division block's columns: what, catalog key, kind ("model": the model's figure; else a
# formula of the inputs)
_BLOCK = (
    ("workload", "capacity.row.workload", "model"),
    ("required", "capacity.export.required_formula", "formula"),
    ("required_model", "capacity.export.required_model", "model"),
    ("team", "capacity.export.team", "formula"),
    ("carries", "capacity.export.carries", "formula"),
    ("utilisation_today", "capacity.export.utilisation_today", "formula"),
    ("joiners", "capacity.row.joiners", "model"),
    ("requisitions", "capacity.row.requisitions", "model"),
    ("heads", "capacity.row.heads", "model"),
    ("effective", "capacity.row.effective", "model"),
    ("cost", "capacity.row.cost", "formula"),
)


def _workload_cell(scenario: Scenario, team: Any, live: LiveSheets, t: int) -> str:
    """Section 8's W(t) on the live sheets: customers(t) (Revenue) for customer work, else the
    arrivals into the stage the team works or its end-of-month stock (Monthly plan)."""
    from model.capacity import CUSTOMERS_WORK

    if team.works == CUSTOMERS_WORK:
        return live.revenue_at("customers", t, True)
    s = scenario.stage_keys.index(team.works)
    return live.at(("stage", s, "stock" if team.basis == "stock" else "arrivals"), t, True)


def _spend_formula(scenario: Scenario, per_arrival: Any, cell: dict[Any, str],
                   live: LiveSheets, t: int) -> str:  # fmt: skip
    """Σ_s per_arrival_s × new_s(t): a stage's arrivals, less the reactivations at the re-entry
    stage (a re-nurtured item is not bought again)."""
    terms = []
    for key, _ in per_arrival:
        s = scenario.stage_keys.index(key)
        arrivals = live.at(("stage", s, "arrivals"), t, True)
        back = live.at(("pool", "reactivated"), t, True)
        new = f"{arrivals}-IF({live.is_reentry(key)},{back},0)"
        terms.append(f"{cell[('costs', f'per_arrival.{key}')]}*({new})")
    return "=" + ("+".join(terms) or "0")


def capacity_sheet(
    wb: Any, scenario: Scenario, plan: Plan, lang: str, ref: dict[str, str], live: LiveSheets
):
    """The Capacity sheet: each division's team as input cells (yellow) and, month by month,
    as live formulas: the workload (from the Monthly plan or the Revenue sheet, so it follows
    Assumptions), the heads needed = workload ÷ per head, today's team and the workload it
    carries (heads × per head), today's team's utilisation, and the cost = heads on the payroll
    × cost per head; beside them the model's heads needed, joiners, requisitions and heads. Then
    the acquisition cost (spend per new arrival × inflow + spend per stage arrival × its new
    arrivals + fixed spend + the teams' cost but customer success's; the inflow, arrivals and
    wins from the Monthly plan), CAC = acquisition cost ÷ wins and its payback = CAC ÷ (deal
    size ÷ 12) as formulas. ``ref``: the Assumptions cells by key; ``live``: the live sheets."""
    from model.capacity import CUSTOMER_SUCCESS, team_capacity

    cp = _section8(scenario, plan)
    H = len(plan.months)
    ws = wb.add_worksheet(_t("capacity.export.sheet", lang)[:31])
    head = wb.add_format({"bold": True, "bg_color": "#dde6f0", "text_wrap": True, "valign": "top"})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    fmt = {k: wb.add_format({"num_format": k}) for k in ("#,##0.0", "#,##0", "0.0%", "0.00")}
    inp = {k: wb.add_format({"num_format": k, "bg_color": "#fff2cc"}) for k in
           ("#,##0.0", "#,##0", "0", "0.0%", "#,##0.00")}  # fmt: skip

    def text(r: int, c: int, value: Any, f: Any = None) -> None:
        ws.write_string(r, c, safe_text(str(value)), f)

    def number(r: int, c: int, value: float | None, f: Any = None) -> None:
        v = _clean_number(value) if value is not None else None
        if v is None:
            ws.write_blank(r, c, None, f)
        else:
            ws.write_number(r, c, v, f)

    text(0, 0, _t("capacity.export.title", lang), bold)
    ws.set_row(1, 60)
    ws.merge_range(1, 0, 1, 10, safe_text(_t("capacity.export.note_live", lang)), wrap)
    # -- the teams (inputs)
    r0 = 3
    text(r0, 0, _t("export.col.division", lang), head)
    text(r0, 1, _t("capacity.works", lang), head)
    text(r0, 2, _t("capacity.basis", lang), head)
    for c, (_, key, _) in enumerate(_TEAM_INPUTS, start=3):
        text(r0, c, _t(key, lang), head)
    ws.set_row(r0, 36)
    cell: dict[tuple[str, str], str] = {}
    divisions = _capacity_divisions(scenario)
    for i, (d, team) in enumerate(divisions):
        r = r0 + 1 + i
        text(r, 0, _t(f"division.{d}", lang))
        text(r, 1, team.works)
        text(r, 2, team.basis if team.works != "customers" else "")
        for c, (field, _, nf) in enumerate(_TEAM_INPUTS, start=3):
            value = getattr(team, field)
            if field == "heads" and isinstance(value, tuple):
                value = value[0]  # a planned list: its months are in the block below
            number(r, c, float(base(value)), inp[nf])
            cell[(d, field)] = _cell(r, c)
    # -- a block per division
    r = r0 + len(divisions) + 2
    team_cost_cells: list[tuple[str, int]] = []  # (column letter, first row) of each block's cost
    for d, team in divisions:
        s = cp.staffing[d]
        text(r, 0, _t(f"division.{d}", lang), bold)
        r += 1
        text(r, 0, _t("export.col.month", lang), head)
        for c, (_, key, _) in enumerate(_BLOCK, start=1):
            text(r, c, _t(key, lang), head)
        ws.set_row(r, 48)
        first = r + 1
        teams_today = team_capacity(team.heads, H)
        per_head = float(base(team.per_head))
        for t_, month in enumerate(plan.months):
            rr = first + t_
            text(rr, 0, month)
            col = {name: _cell(rr, c, absolute=False) for c, (name, _, _) in enumerate(_BLOCK, 1)}
            w = float(s.workload[0][t_])
            ws.write_formula(rr, 1, f"={_workload_cell(scenario, team, live, t_)}",
                             fmt["#,##0.0"], w)  # fmt: skip
            ws.write_formula(
                rr, 2, f"={col['workload']}/{cell[(d, 'per_head')]}", fmt["#,##0.0"], w / per_head
            )
            number(rr, 3, float(s.required[0][t_]), fmt["#,##0.0"])
            if isinstance(team.heads, tuple):  # planned month by month: an input per month
                number(rr, 4, float(teams_today[t_]), inp["#,##0.0"])
            else:
                ws.write_formula(
                    rr, 4, f"={cell[(d, 'heads')]}", fmt["#,##0.0"], float(teams_today[t_])
                )
            carries = float(teams_today[t_]) * per_head
            ws.write_formula(
                rr, 5, f"={col['team']}*{cell[(d, 'per_head')]}", fmt["#,##0.0"], carries
            )
            ws.write_formula(
                rr,
                6,
                f"=IF({col['carries']}>0,{col['workload']}/{col['carries']},NA())",
                fmt["0.0%"],
                w / carries if carries > 0 else "#N/A",
            )
            for c, field in ((7, "joiners"), (8, "requisitions"), (9, "heads"), (10, "effective")):
                number(rr, c, float(getattr(s, field)[0][t_]), fmt["#,##0.0"])
            ws.write_formula(
                rr,
                11,
                f"={col['heads']}*{cell[(d, 'cost_per_head')]}",
                fmt["#,##0"],
                float(s.cost[0][t_]),
            )
        if d != CUSTOMER_SUCCESS:
            team_cost_cells.append((_col(11), first))
        r = first + H + 1
    # -- the acquisition cost, CAC and payback
    costs = scenario.costs
    per_inflow = costs.per_inflow if costs is not None else 0.0
    fixed = costs.fixed_monthly if costs is not None else 0.0
    text(r, 0, _t("capacity.export.economics", lang), bold)
    r += 1
    per_arrival = costs.per_arrival if costs is not None else ()
    inputs = (
        ("per_inflow", _t("capacity.export.per_inflow", lang), per_inflow),
        ("fixed_monthly", _t("capacity.export.fixed_monthly", lang), fixed),
        *(
            (f"per_arrival.{key}", f"{_t('capacity.export.per_arrival', lang)} · "
             f"{stage_label(scenario, key, lang)}", price)
            for key, price in per_arrival
        ),
    )  # fmt: skip
    for i, (key, label, value) in enumerate(inputs):
        text(r + i, 0, label)
        number(r + i, 1, float(value), inp["#,##0.00"])
        cell[("costs", key)] = _cell(r + i, 1)
    r += len(inputs) + 1
    cols = ("export.col.month", "param.inflow", "metric.wins", "capacity.export.per_arrival",
            "capacity.export.acquisition_cost")  # fmt: skip
    for c, key in enumerate(cols):
        text(r, c, _t(key, lang), head)
    ws.set_row(r, 36)
    first = r + 1
    spend = np.zeros(H)  # Σ_s per_arrival_s × new_s(t)
    for key, price in per_arrival:
        s = scenario.stage_keys.index(key)
        back = plan.reactivated if s == scenario.reentry_index else 0.0
        spend += price * (plan.arrivals[s] - back)
    for t_, month in enumerate(plan.months):
        rr = first + t_
        acq = float(cp.acquisition_cost[t_])
        inflow = float(plan.inflow[t_])
        text(rr, 0, month)
        ws.write_formula(rr, 1, f"={live.at(('inflow',), t_, True)}", fmt["#,##0.0"], inflow)
        wins = live.at(("stage", len(scenario.stages) - 1, "arrivals"), t_, True)
        ws.write_formula(rr, 2, f"={wins}", fmt["#,##0.0"], float(plan.wins[t_]))
        ws.write_formula(rr, 3, _spend_formula(scenario, per_arrival, cell, live, t_),
                         fmt["#,##0"], float(spend[t_]))  # fmt: skip
        team_part = "".join(f"+{c}{rr - first + f0 + 1}" for c, f0 in team_cost_cells)
        ws.write_formula(
            rr,
            4,
            f"={cell[('costs', 'per_inflow')]}*{_cell(rr, 1, False)}+{_cell(rr, 3, False)}"
            f"+{cell[('costs', 'fixed_monthly')]}{team_part}",
            fmt["#,##0"],
            acq,
        )
    last = first + H - 1
    r = last + 2
    text(r, 0, _t("capacity.cac", lang))
    ws.write_formula(
        r,
        1,
        f"=IF(SUM({_cell(first, 2)}:{_cell(last, 2)})>0,"
        f"SUM({_cell(first, 4)}:{_cell(last, 4)})/SUM({_cell(first, 2)}:{_cell(last, 2)}),NA())",
        fmt["#,##0"],
        cp.cac if cp.cac is not None else "#N/A",
    )
    text(r + 1, 0, _t("capacity.payback", lang))
    ws.write_formula(
        r + 1,
        1,
        f'=IF(AND({ref["deal.revenue"]}="subscription",{ref["deal.size"]}>0),'
        f"{_cell(r, 1)}/({ref['deal.size']}/12),NA())",
        fmt["0.00"],
        cp.payback_months if cp.payback_months is not None else "#N/A",
    )
    c = cp.ceiling
    if c is not None:
        text(r + 3, 0, _t("capacity.export.ceiling.bookings", lang))
        number(r + 3, 1, c.bookings, fmt["#,##0"])
        text(r + 4, 0, _t("capacity.export.ceiling.inflow", lang))
        number(r + 4, 1, c.inflow, fmt["#,##0.0"])
        if c.division is not None and c.month is not None:
            text(r + 5, 0, _t("capacity.export.ceiling.division", lang))
            text(r + 5, 1, _t(f"division.{c.division}", lang))
            text(r + 6, 0, _t("capacity.export.ceiling.month", lang))
            text(r + 6, 1, plan.months[c.month])
    ws.set_column(0, 0, 26)
    ws.set_column(1, 11, 15)
    return ws


# ----- CSV --------------------------------------------------------------------------------------
def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8 with a BOM, so Excel reads Japanese), text cells neutralised. Rows
    end in CRLF, so that a cell holding a lone CR is quoted too (with LF endings it was not, and
    the text after the CR started a row of its own, past the neutralisation)."""
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def tables(
    scenario: Scenario,
    plan: Plan,
    data: dict[str, Any],
    lang: str,
    baseline: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every table of the workbook as a DataFrame, by sheet id (Reverse as values)."""
    asis = asis_frame(scenario, baseline, data, lang)
    rows = assumptions(scenario, data, lang)
    ss = steady_state(rows, scenario.stage_keys)
    reverse = pd.DataFrame(
        {
            _t("export.col.stage", lang): [
                stage_label(scenario, k, lang) for k in scenario.stage_keys
            ],
            _t("export.reverse.simple", lang): ss.simple,
            _t("export.reverse.with_recycle", lang): ss.recycled,
            _t("export.reverse.model", lang): [float(a.mean()) for a in plan.arrivals],
        }
    )
    return {
        "assumptions": assumptions_table(scenario, data, lang),
        "reverse": reverse,
        "monthly_plan": monthly_plan_table(scenario, plan, lang),
        "division_targets": division_targets_table(scenario, plan, lang),
        "revenue": revenue_table(plan, lang),
        **(capacity_tables(scenario, plan, lang) if has_section8(scenario) else {}),
        **({"asis": asis} if asis is not None else {}),
    }


def csv_zip(frames: dict[str, pd.DataFrame], stem: str = "plan") -> bytes:
    """One CSV per table in a zip (``<stem>-<table>.csv``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, df in frames.items():
            z.writestr(f"{stem}-{name}.csv", csv_bytes(df))
    return buf.getvalue()


def file_stem(name: str | None) -> str:
    """A safe file name stem from a scenario name (letters, digits, - and _; CJK kept)."""
    stem = "".join(c if (c.isalnum() or c in "-_") else "-" for c in (name or "plan"))
    stem = "-".join(p for p in stem.split("-") if p)[:60]
    return stem or "plan"


# ----- charts as images -------------------------------------------------------------------------
_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    import vl_convert as vlc

    if CJK_FONT_DIR.is_dir():
        vlc.register_font_directory(str(CJK_FONT_DIR))
    _fonts_registered = True


def _spec(chart: Any, title: str | None) -> dict[str, Any]:
    spec = chart.to_dict() if hasattr(chart, "to_dict") else dict(chart)
    if title:
        spec["title"] = title
    cfg = spec.setdefault("config", {})
    cfg["font"] = CJK_FONT  # Japanese labels need a CJK font (registered above)
    spec.setdefault("width", 640)
    spec["background"] = "white"
    return spec


def chart_png(chart: Any, title: str | None = None, scale: float = 2.0) -> bytes:
    """An Altair chart as PNG (vl-convert, CJK font registered)."""
    import vl_convert as vlc

    _register_fonts()
    return vlc.vegalite_to_png(_spec(chart, title), scale=scale)


def chart_svg(chart: Any, title: str | None = None) -> str:
    import vl_convert as vlc

    _register_fonts()
    return vlc.vegalite_to_svg(_spec(chart, title))
