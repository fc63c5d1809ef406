"""What actually happened in a plan of record's first k months (spec v2 section 9), from the
funnel data: what ``model.bridge`` compares the plan with.

For a plan of record (a scenario dict with ``start`` and ``months``) and k closed months
(months 0..k−1 from its start), :func:`actuals` reads:

- the actual **inflow**: new arrivals into the first stage per month (k numbers; an item
  reactivated from the recycle pool is an arrival, not inflow);
- each non-terminal stage's actual **rates and lag** over the window, by the section 7 estimator
  (``db.baseline.build_baseline`` over months 0..k−1: Aalen–Johansen with open items censored,
  stale ones set aside; a stage known only from monthly counts gets counts-based shares and
  lag 0);
- the **deal size**: the mean booking per win of the window;
- per month: arrivals into every stage, wins, bookings, revenue (MRR for subscriptions) and
  customers;
- the **state at the end of month k−1**: open stock per stage (stale items left out), the recycle
  pool, customers and MRR.

The data is read **as it stood at the end of month k−1** (:func:`as_of`): an item that entered
later is not there, one resolved later is still open. So picking fewer closed months than the
data has shows what was known then, not what later months told about those cohorts.

``Actuals.estimated`` says which parts are estimates rather than counts: the recycle pool (its
expiry is never observed: it is fitted), the rates of a stage known only from monthly counts,
customers and MRR without subscription data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from db import metrics
from db.errors import DataLayerError
from db.schema import FUNNEL_TABLES, create_schema, stage_keys

RATES = ("conversion", "disqualify", "recycle", "lag")


def add_months(d: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months after ``d``'s."""
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(y, m + 1, 1)


def month_labels(start: str, months: int) -> list[str]:
    """``YYYY-MM`` of the ``months`` months from ``start``."""
    s = metrics.month_start(start, "start")
    return [f"{add_months(s, i):%Y-%m}" for i in range(months)]


def months_with_data(con: duckdb.DuckDBPyConnection, start: str, months: int) -> int:
    """How many of a plan's months (from ``start``, ``months`` of them) have data: the months up
    to the last month with any arrivals, 0 when the data ends before the plan starts or begins
    after it (no actuals for its first month)."""
    span = metrics.data_months(con)
    if span is None:
        return 0
    lo, hi = span
    s = metrics.month_start(start, "start")
    if lo > s:
        return 0
    n = (hi.year - s.year) * 12 + hi.month - s.month + 1
    return max(0, min(int(months), n))


# ----- the data as it stood at a month's end ------------------------------------------------------
_AS_OF = {
    "stage_history": """
        SELECT item_id, stage, entered_at,
               CASE WHEN resolved_at < $cut THEN resolved_at END AS resolved_at,
               CASE WHEN resolved_at >= $cut THEN 'open' ELSE outcome END AS outcome,
               source, segment, owner, amount, raw_stage, import_id
        FROM stage_history WHERE entered_at < $cut""",
    "stage_counts": "FROM stage_counts WHERE month < $cut",
    "subscriptions": """
        SELECT customer_id, item_id, start_date,
               CASE WHEN end_date < $cut THEN end_date END AS end_date, mrr, segment, import_id
        FROM subscriptions WHERE start_date < $cut""",
    "marketing_spend": "FROM marketing_spend WHERE month < $cut",
}


def as_of(con: duckdb.DuckDBPyConnection, cutoff: dt.date) -> duckdb.DuckDBPyConnection:
    """A new in-memory database holding the funnel data as it stood just before ``cutoff`` (the
    first day of the month after the last closed one): rows that started later dropped, a
    resolution or a term's end on or after it undone (the item still open, the term running).
    The stage design is copied. The caller closes it."""
    snap = duckdb.connect(":memory:")
    try:
        create_schema(snap)
        snap.execute("DELETE FROM stage_design")
        design = con.execute("SELECT position, stage, label FROM stage_design").fetchall()
        snap.executemany("INSERT INTO stage_design VALUES (?, ?, ?)", design)
        for table in FUNNEL_TABLES:
            frame = con.execute(_AS_OF[table], {"cut": cutoff}).df()  # noqa: F841 (read by SQL)
            snap.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
    except BaseException:
        snap.close()
        raise
    return snap


def data_end_month(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The last month with any arrivals."""
    span = metrics.data_months(con)
    return None if span is None else span[1]


# ----- the result ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Actuals:
    """What happened in months 0..k−1 of a plan of record (plain numbers; see the module doc).

    ``stages``: per non-terminal stage key its conversion, disqualify, recycle and lag over the
    window; ``basis`` per stage ``"history"`` (per-item history, section 7) or ``"counts"``
    (monthly counts only: shares by count, lag 0); ``evidence`` per stage the items used,
    censored, stale and undated. ``arrivals`` per stage key (the terminal one included) a list
    of k monthly arrivals. ``stock`` the open items per non-terminal stage at the end of month
    k−1. ``estimated`` maps what is estimated rather than counted to why (codes: ``pool``:
    ``fitted_expiry``; ``rates:<stage>``: ``counts``; ``customers``/``mrr``:
    ``no_subscriptions``)."""

    start: str
    months: int
    month_labels: tuple[str, ...]
    inflow: tuple[float, ...]
    stages: dict[str, dict[str, float]]
    basis: dict[str, str]
    evidence: dict[str, dict[str, int]]
    deal_size: float
    arrivals: dict[str, tuple[float, ...]]
    wins: tuple[float, ...]
    bookings: tuple[float, ...]
    revenue: tuple[float, ...]
    customers: tuple[float, ...]
    stock: dict[str, float]
    pool: float
    customers_end: float
    mrr_end: float
    revenue_model: str
    estimated: dict[str, str] = field(default_factory=dict)

    def totals(self) -> dict[str, float]:
        """Wins, bookings and revenue over months 0..k−1."""
        return {
            "wins": float(sum(self.wins)),
            "bookings": float(sum(self.bookings)),
            "revenue": float(sum(self.revenue)),
        }

    def state(self) -> Any:
        """The actual state at the end of month k−1 (``model.bridge.ActualState``)."""
        from model.bridge import ActualState

        return ActualState(
            months=self.months,
            stock=dict(self.stock),
            pool=self.pool,
            customers=self.customers_end,
            mrr=self.mrr_end,
            **self.totals(),
        )

    def scenario(self, plan: Any) -> Any:
        """The actual scenario of a parsed plan (``model.bridge.actual_scenario``): the actual
        inflow, rates, lags and deal size."""
        from model.bridge import actual_scenario

        return actual_scenario(plan, list(self.inflow), self.stages, self.deal_size)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (lists for tuples)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            v = getattr(self, name)
            if isinstance(v, tuple):
                v = list(v)
            elif isinstance(v, dict):
                v = {k: list(x) if isinstance(x, tuple) else x for k, x in v.items()}
            out[name] = v
        return out


def actuals(con: duckdb.DuckDBPyConnection, plan: dict[str, Any], months: int) -> Actuals:
    """What happened in the first ``months`` (k) months of the plan of record ``plan`` (a
    scenario dict: its ``start``, ``months`` and stage keys), read from the data as it stood at
    the end of month k−1.

    Raises ``DataLayerError``: ``bad_month`` for a plan without a valid start,
    ``no_funnel_data`` without data, ``no_resolved_items`` (naming the stage and window) when a
    stage has no resolved item in the window; ``ValueError`` when k is not 1..H or the plan's
    stages are not the data's."""
    from db.baseline import build_baseline  # the section 7 estimator, over the window

    start = metrics.month_start(plan.get("start"), "start")
    if start is None:
        raise DataLayerError(code="bad_month", params={"name": "start", "value": None})
    horizon = int(plan.get("months", 12))
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= horizon:
        raise ValueError(f"months closed must be 1..{horizon}, got {months!r}")
    keys = [s["key"] for s in plan.get("stages", [])]
    if keys != stage_keys(con):
        raise ValueError(f"the plan's stages {keys} are not the data's {stage_keys(con)}")
    if metrics.data_months(con) is None:
        raise DataLayerError(code="no_funnel_data")
    end = add_months(start, months - 1)
    cutoff = add_months(end, 1)
    last = data_end_month(con)
    snap = as_of(con, cutoff) if last is not None and last >= cutoff else None
    db = snap if snap is not None else con
    try:
        base = build_baseline(db, start, end, horizon=1, plan_start=cutoff, with_backtest=False)
        return _read(db, base, keys, start, months)
    finally:
        if snap is not None:
            snap.close()


def _read(con, base: dict[str, Any], keys: list[str], start: dt.date, k: int) -> Actuals:
    labels = tuple(f"{add_months(start, i):%Y-%m}" for i in range(k))
    end = add_months(start, k - 1)
    notes = base["notes"]["baseline"]["stages"]
    stages, basis, evidence, estimated = {}, {}, {}, {}
    for st in base["stages"][:-1]:
        key = st["key"]
        stages[key] = {name: float(st[name]) for name in RATES}
        counted = notes[key].get("stale_after") is None  # known only from monthly counts
        basis[key] = "counts" if counted else "history"
        if counted:
            estimated[f"rates:{key}"] = "counts"
        evidence[key] = {n: int(notes[key][n] or 0) for n in
                         ("entered", "used", "censored", "stale", "undated")}  # fmt: skip
    arr = metrics.arrivals(con, start, end)
    arrivals = {key: _monthly(arr, key, "arrivals", labels) for key in keys}
    inflow = _monthly(arr, keys[0], "new", labels)  # reactivated items are not new inflow
    wins = arrivals[keys[-1]]  # won rows, or a monthly count of wins
    won = con.execute(
        """SELECT strftime(date_trunc('month', entered_at), '%Y-%m'), coalesce(sum(amount), 0)
           FROM stage_history WHERE stage = ? AND entered_at >= ? AND entered_at < ?
           GROUP BY ALL""",
        [keys[-1], start, add_months(end, 1)],
    ).fetchall()
    by_month = {m: float(v) for m, v in won}
    bookings = tuple(by_month.get(m, 0.0) for m in labels)
    (size,) = con.execute(
        "SELECT avg(amount) FROM stage_history WHERE stage = ? AND entered_at >= ? "
        "AND entered_at < ?",
        [keys[-1], start, add_months(end, 1)],
    ).fetchone()
    if size is None and sum(wins) > 0:  # wins without amounts: no bookings to compare
        estimated["deal_size"] = "no_amounts"
    subscription = base["deal"]["revenue"] == "subscription"
    base_by_month = [
        metrics.customer_base(con, add_months(start, i + 1) - dt.timedelta(days=1))
        for i in range(k)
    ]
    if subscription:
        revenue = tuple(float(b["mrr"]) for b in base_by_month)
        customers = tuple(float(b["count"]) for b in base_by_month)
    else:  # one-time deals: revenue is bookings; customers counted from subscriptions if any
        revenue = bookings
        customers = tuple(float(b["count"]) for b in base_by_month)
        if not con.execute("SELECT EXISTS (FROM subscriptions)").fetchone()[0]:
            estimated["customers"] = "no_subscriptions"
            estimated["mrr"] = "no_subscriptions"
    pool = float(base["recycle"]["opening"])
    if pool > 0:
        estimated["pool"] = "fitted_expiry"
    return Actuals(
        start=labels[0],
        months=k,
        month_labels=labels,
        inflow=inflow,
        stages=stages,
        basis=basis,
        evidence=evidence,
        deal_size=float(size or 0.0),
        arrivals=arrivals,
        wins=wins,
        bookings=bookings,
        revenue=revenue,
        customers=customers,
        stock={k_: float(v) for k_, v in base["opening"].items()},
        pool=pool,
        customers_end=float(base["customers"]["opening_count"]),
        mrr_end=float(base["customers"]["opening_mrr"]),
        revenue_model=base["deal"]["revenue"],
        estimated=estimated,
    )


def _monthly(arr: pd.DataFrame, stage: str, column: str, labels: tuple[str, ...]) -> tuple:
    """One stage's ``column`` of ``metrics.arrivals`` per month of ``labels`` (0 where none)."""
    g = arr[arr["stage"] == stage].groupby("month")[column].sum()
    return tuple(float(g.get(pd.Timestamp(m + "-01"), 0.0)) for m in labels)


# ----- the sample company's plan of record --------------------------------------------------------
SAMPLE_PLAN_OF_RECORD = Path(__file__).resolve().parents[1] / "data" / "sample_plan_of_record.json"
SAMPLE_RECORD_WINDOW = ("2024-04", "2025-03")  # the year of data before the plan
SAMPLE_RECORD_START = "2025-04"
SAMPLE_RECORD_NAME = "FY2025 plan of record (sample company)"
# The board's stretch target for FY2025: 70% above FY2024's bookings (the company had been
# growing fast); the year then fell a little short of it, which is what the page tracks.
SAMPLE_RECORD_GROWTH = 0.7


def build_plan_of_record(
    con: duckdb.DuckDBPyConnection,
    window: tuple[str, str],
    start: str,
    name: str,
    growth: float,
) -> dict[str, Any]:
    """A fiscal-year plan of record as it was made before the year: the AsIs baseline (section
    7) of the ``window`` before ``start`` (12 months from ``start``, with ranges on the
    conversion rates and the deal size) and a bookings target ``growth`` above that window's
    bookings, from the data as it stood at the plan's start (:func:`as_of`)."""
    from db.baseline import build_baseline

    snap = as_of(con, metrics.month_start(start, "start"))
    try:
        return build_baseline(snap, *window, horizon=12, plan_start=start,
                              target_uplift=growth, name=name, ranges=True)  # fmt: skip
    finally:
        snap.close()


def build_sample_plan_of_record(con: duckdb.DuckDBPyConnection | None = None) -> dict[str, Any]:
    """The sample company's FY2025 plan of record (April 2025, 12 months): built from April
    2024..March 2025 with a bookings target ``SAMPLE_RECORD_GROWTH`` above that year's, as its
    planners would have at the start of the year. The data then holds all twelve months of that
    year's actuals."""
    from db.sample import open_sample_database

    own = con is None
    con = open_sample_database() if con is None else con
    try:
        scenario = build_plan_of_record(con, SAMPLE_RECORD_WINDOW, SAMPLE_RECORD_START,
                                        SAMPLE_RECORD_NAME, SAMPLE_RECORD_GROWTH)  # fmt: skip
        scenario["notes"]["plan_of_record"] = {
            "made": f"{SAMPLE_RECORD_START}: from the data before the year",
            "window": list(SAMPLE_RECORD_WINDOW),
            "target": f"bookings {SAMPLE_RECORD_GROWTH:.0%} above the window's",
        }
        return scenario
    finally:
        if own:
            con.close()


def sample_plan_of_record() -> dict[str, Any]:
    """The shipped plan of record of the sample company (``data/sample_plan_of_record.json``,
    written by ``python -m data.plan_of_record``)."""
    return json.loads(SAMPLE_PLAN_OF_RECORD.read_text(encoding="utf-8"))
