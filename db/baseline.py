"""The AsIs baseline (spec section 7): a scenario built from a window of history, and a backtest
that runs it forward with the actual inflow and compares with the actual monthly arrivals."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from db import metrics, outcomes
from db.errors import BaselineWarning, DataLayerError
from db.schema import stage_keys
from model.limits import MAX_MONTHS as MAX_HORIZON  # months a baseline may plan

DEFAULT_LABELS = {
    "visitor": "Visitors",
    "lead": "Leads",
    "mql": "MQLs",
    "sql": "SQLs",
    "opportunity": "Opportunities",
    "won": "Won",
}
DEFAULT_OWNERS = {
    "visitor": "marketing",
    "lead": "marketing",
    "mql": "marketing",
    "sql": "inside_sales",
    "opportunity": "inside_sales",
    "won": "field_sales",
}


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(y, m + 1, 1)


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def default_window(con: duckdb.DuckDBPyConnection, months: int = 12) -> tuple[dt.date, dt.date]:
    """The window of history a baseline is built from when none is chosen: the first days of
    its first and last month, the last ``months`` months up to the last month with arrivals
    into the first stage (history or counts; the last month of any data when the first stage
    has none), clipped at the first month of data. The Data and Sources pages open on it.

    Raises ``DataLayerError`` when the database holds no funnel data."""
    span = metrics.data_months(con)
    if span is None:
        raise DataLayerError(code="no_funnel_data")
    first = stage_keys(con)[0]
    (hi,) = con.execute(
        """SELECT max(m) FROM (
               SELECT date_trunc('month', entered_at)::DATE AS m FROM stage_history WHERE stage = ?
               UNION ALL SELECT month FROM stage_counts WHERE stage = ?)""",
        [first, first],
    ).fetchone()
    lo, last = span
    hi = hi or last
    return max(lo, _add_months(hi, -(months - 1))), hi


def _state_at(
    con, month_end: dt.date, stale_after: dict[str, int], stale_as_lost: bool
) -> dict[str, Any]:
    """Opening stock per stage (stale items left out), the recycle pool and the customer base
    at the end of a month."""
    stock = outcomes.stock_at(con, month_end, stale_after, stale_as_lost=stale_as_lost)
    opening = {k: v for k, v in stock.items() if v > 0}
    fit = metrics.fit_recycle_rates(metrics.recycle_ages(con, month_end))
    base = metrics.customer_base(con, _add_months(month_end, 1) - dt.timedelta(days=1))
    return {"opening": opening, "pool": fit["pool"], "base": base}


def build_baseline(
    con: duckdb.DuckDBPyConnection,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    *,
    horizon: int = 12,
    plan_start: str | dt.date | None = None,
    target_uplift: float | None = None,
    name: str | None = None,
    owners: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    ranges: bool = False,
    stale_after: int | dict[str, int] | None = None,
    stale_as_lost: bool = False,
    with_backtest: bool = True,
    currency: str = "JPY",
) -> dict[str, Any]:
    """A spec-section-2 scenario dict from the history in the window ``start``..``end``, its
    amounts in ``currency`` (the currency the data's amounts are in: the sample's are yen).

    Outcome shares and lags from the items that entered a stage in the window, open items
    censored, stale ones set aside (or with ``stale_as_lost`` counted lost at age
    ``stale_after + 1``) and undated resolved ones kept out of the lag (``db.outcomes``, spec
    section 7); ``stale_after`` in months, for every stage or per stage (default: twice the 95th
    percentile of the stage's dated resolution ages, at least 3). Reactivation and expiry fitted
    on recycle ages up to the window end; inflow = mean monthly arrivals into the first stage;
    deal size = mean booking per win; renewal and expansion from subscription terms ending in
    the window. The plan starts at ``plan_start`` (default: the month after the window) with the
    opening stock (stale items left out), pool and customer base as of the month before it. With
    ``target_uplift`` (0.2 = 20%) it carries a bookings target that much above the window's
    bookings run-rate (rounded to 100 million yen). With ``ranges`` the conversion rates and the
    deal size become ``{low, base, high}`` ranges spanning the 10th to 90th percentile of their
    monthly values in the window (always containing the pooled base value).

    The scenario's ``notes`` (a field the model ignores) say what the figures rest on: per stage
    the items used, censored, stale and undated and the stale limit, the warnings, and (with
    ``with_backtest``) the backtest's total and worst-month error per stage with a verdict.
    """
    if start is None or end is None:
        lo, hi = default_window(con)
        start = start or lo
        end = end or hi
    s = metrics.month_start(start, "start")
    e = metrics.month_start(end, "end")
    metrics.check_window(s, e)
    if not 1 <= horizon <= MAX_HORIZON:
        raise DataLayerError(code="bad_horizon", params={"max": MAX_HORIZON, "horizon": horizon})
    p0 = metrics.month_start(plan_start, "plan_start") or _add_months(e, 1)
    window_months = _months_between(s, e) + 1

    keys = stage_keys(con)
    _check_stale_after(stale_after, keys)
    estimates = _estimates(con, s, e, keys, stale_after, stale_as_lost)
    owners = {**DEFAULT_OWNERS, **(owners or {})}
    labels = {**DEFAULT_LABELS, **(labels or {})}
    cohorts = metrics.stage_cohorts(con, s, e) if ranges else None
    stages = []
    for i, k in enumerate(keys):
        st: dict[str, Any] = {"key": k, "label": labels.get(k, k.replace("_", " ").capitalize())}
        if owners.get(k):
            st["owner"] = owners[k]
        if i < len(keys) - 1:
            est = estimates[k]
            c, d, r = (round(est.shares[x], 6) for x in ("converted", "disqualified", "recycled"))
            st.update(conversion=c, disqualify=d, recycle=r, lag=round(est.lag, 4))
            if cohorts is not None:
                monthly = cohorts.loc[(cohorts["stage"] == k) & (cohorts["resolved"] > 0)]
                st["conversion"] = _range(c, monthly["conversion"], 6, upper=1.0 - d - r)
        stages.append(st)

    limits = {k: v.stale_after for k, v in estimates.items() if v.stale_after is not None}
    state = _state_at(con, _add_months(p0, -1), limits, stale_as_lost)
    fit = metrics.fit_recycle_rates(metrics.recycle_ages(con, e))
    arr = metrics.arrivals(con, s, e)
    first = arr[arr["stage"] == keys[0]]
    inflow = float(first["arrivals"].sum()) / window_months
    reentry_stage = _reentry_stage(con, keys)

    won = con.execute(
        """SELECT count(*), avg(amount), sum(amount) FROM stage_history
           WHERE stage = ? AND entered_at >= ? AND entered_at < ?""",
        [keys[-1], s, _add_months(e, 1)],
    ).fetchone()
    wins, size, _bookings = int(won[0]), float(won[1] or 0), float(won[2] or 0)
    size_param: Any = round(size, -3) if size >= 10_000 else round(size, 2)
    if ranges and wins:
        monthly_size = con.execute(
            """SELECT avg(amount) FROM stage_history WHERE stage = ? AND entered_at >= ?
               AND entered_at < ? AND amount IS NOT NULL
               GROUP BY date_trunc('month', entered_at)""",
            [keys[-1], s, _add_months(e, 1)],
        ).df()
        size_param = _range(size_param, monthly_size.iloc[:, 0], -3 if size >= 10_000 else 2)
    subs = metrics.subscription_rates(con, _add_months(e, -11), e)
    has_subs = con.execute("SELECT EXISTS (FROM subscriptions)").fetchone()[0]
    scenario: dict[str, Any] = {
        "schema": 1,
        "name": name or f"AsIs baseline {s:%Y-%m}..{e:%Y-%m}",
        "start": f"{p0:%Y-%m}",
        "months": horizon,
        "currency": currency,
        "stages": stages,
        "opening": {k: round(state["opening"][k], 1) for k in keys[:-1] if k in state["opening"]},
        "recycle": {
            "reentry": reentry_stage,
            "reactivation": round(fit["reactivation"], 5),
            "expiry": round(fit["expiry"], 5),
            "opening": round(state["pool"], 1),
        },
        "deal": {
            "size": size_param,
            "revenue": "subscription" if has_subs else "one_time",
            "onboarding_months": _onboarding_months(con, keys[-1]) if has_subs else 0,
        },
        "customers": {
            "opening_count": state["base"]["count"],
            "opening_mrr": round(state["base"]["mrr"]),
            "renewal_rate": round(min(1.0, subs["renewal_rate"]), 4),
            "expansion_rate": round(max(0.0, subs["expansion_rate"]), 4),
        },
        "inflow": round(inflow, 1),
    }
    if target_uplift is not None:
        months_rr = min(12, window_months)
        recent = con.execute(
            "SELECT coalesce(sum(amount), 0) FROM stage_history WHERE stage = ? "
            "AND entered_at >= ? AND entered_at < ?",
            [keys[-1], _add_months(e, 1 - months_rr), _add_months(e, 1)],
        ).fetchone()[0]
        run_rate = float(recent) / months_rr * horizon
        total = run_rate * (1 + target_uplift)
        step = -8 if total >= 1e9 else -6
        scenario["target"] = {"metric": "bookings", "total": float(round(total, step))}
    costs, costs_note = acquisition_costs(con, s, e, keys[0], arr)
    if costs is not None:
        scenario["costs"] = costs
    notes = _notes(con, s, e, keys, estimates, stale_as_lost)
    if with_backtest:
        bt = backtest(con, s, e, stale_after=limits or None, stale_as_lost=stale_as_lost)
        notes["backtest"] = backtest_verdict(bt, keys[0])
    scenario["notes"] = {"baseline": notes, "costs": costs_note}
    return scenario


def acquisition_costs(
    con: duckdb.DuckDBPyConnection, s: dt.date, e: dt.date, first: str, arrivals: pd.DataFrame
) -> tuple[dict[str, float] | None, dict[str, Any]]:
    """Spec section 8's ``costs`` from the data, and the note that says what it rests on.

    per_inflow = Σ spend / Σ new arrivals into the first stage, both over the months of the
    window ``s``..``e`` that have marketing spend (a row in ``marketing_spend``, of any source;
    a month without one is unknown, not free). New arrivals leave out the reactivated items
    re-entering (a re-nurtured lead is not bought again). ``arrivals`` is
    ``metrics.arrivals`` of the window. No spend in the window, or no new arrival in its
    months: no ``costs`` (None), and the note says why."""
    window = [f"{s:%Y-%m}", f"{e:%Y-%m}"]
    spend = con.execute(
        """SELECT date_trunc('month', month)::DATE AS m, sum(spend) AS spend,
                  list(DISTINCT source ORDER BY source) AS sources
           FROM marketing_spend WHERE month >= ? AND month < ? GROUP BY m ORDER BY m""",
        [s, _add_months(e, 1)],
    ).fetchall()
    if not spend:
        reason = "no marketing spend in the window's months: costs left out"
        return None, {"per_inflow": None, "window": window, "reason": reason}
    months = [m for m, _, _ in spend]
    used = arrivals["month"].isin(pd.to_datetime(months))
    new = float(arrivals.loc[used & (arrivals["stage"] == first), "new"].sum())
    total = float(sum(x for _, x, _ in spend))
    all_months = [_add_months(s, i) for i in range(_months_between(s, e) + 1)]
    note: dict[str, Any] = {
        "per_inflow": f"marketing spend / new arrivals into {first}, over the window's months "
        "with spend",
        "window": window,
        "used_months": [f"{m:%Y-%m}" for m in months],
        "months_without_spend": [f"{m:%Y-%m}" for m in all_months if m not in months],
        "months": len(months),
        "sources": sorted({src for _, _, sources in spend for src in sources}),
        "spend": total,
        "arrivals": new,
    }
    if new <= 0:
        note["per_inflow"] = None
        note["reason"] = f"no new arrivals into {first} in the months with spend: costs left out"
        return None, note
    return {"per_inflow": round(total / new, 2)}, note


def _check_stale_after(stale_after: int | dict[str, int] | None, keys: list[str]) -> None:
    """``stale_after``: whole months, 0 or more, for every stage or for stages with outcomes."""
    if stale_after is None:
        return
    items = stale_after.items() if isinstance(stale_after, dict) else [("*", stale_after)]
    for stage, n in items:
        ok_n = isinstance(n, int) and not isinstance(n, bool) and n >= 0
        if not ok_n or (stage != "*" and stage not in keys[:-1]):
            raise DataLayerError(
                code="bad_stale_after", params={"stage": stage, "stages": keys[:-1], "value": n}
            )


def _estimates(
    con,
    s: dt.date,
    e: dt.date,
    keys: list[str],
    stale_after: int | dict[str, int] | None,
    stale_as_lost: bool,
) -> dict[str, outcomes.StageEstimate]:
    """The estimate of each non-terminal stage (``db.outcomes``); a stage known only from
    monthly counts converts into the next stage's first visits in the same month (shares by
    count, lag 0). Refuses a stage with no resolved item in the window, naming it."""
    est = outcomes.stage_estimates(con, s, e, stale_after=stale_after, stale_as_lost=stale_as_lost)
    summary: pd.DataFrame | None = None
    for k in keys[:-1]:
        if k not in est:
            if summary is None:
                summary = metrics.stage_summary(con, s, e).set_index("stage")
            if k in summary.index and summary.loc[k, "resolved"]:
                row = summary.loc[k]
                shares = {o: float(row[c]) for o, c in zip(outcomes.OUTCOMES, ("conversion",
                          "disqualify", "recycle", "lost_share"), strict=True)}  # fmt: skip
                n = int(row["resolved"])
                est[k] = outcomes.StageEstimate(k, shares, 0.0, entered=int(row["entered"]),
                                                used=n, resolved=n)  # fmt: skip
        if k not in est or not est[k].shares:
            raise DataLayerError(
                code="no_resolved_items",
                params={"stage": k, "start": f"{s:%Y-%m}", "end": f"{e:%Y-%m}"},
            )
    return est


def _notes(
    con, s: dt.date, e: dt.date, keys: list[str], estimates: dict[str, outcomes.StageEstimate],
    stale_as_lost: bool,
) -> dict[str, Any]:  # fmt: skip
    """What the baseline rests on, for the ``notes`` of its scenario (the model ignores it)."""
    end = outcomes.data_end(con)
    stages = {}
    warnings = []
    for k in keys[:-1]:
        est = estimates[k]
        stages[k] = {
            "entered": est.entered, "used": est.used, "resolved": est.resolved,
            "undated": est.undated, "censored": est.censored, "stale": est.stale,
            "left_out": est.left_out, "stale_after": est.stale_after,
        }  # fmt: skip
        for code in est.warnings:
            w = BaselineWarning(code, {"stage": k, "undated": est.undated})
            warnings.append({"code": w.code, "params": w.params, "text": str(w)})
    return {
        "method": "AsIs baseline, spec v2 section 7: Aalen-Johansen shares and lags, open items "
        "censored, stale open items " + ("counted lost" if stale_as_lost else "set aside"),
        "window": [f"{s:%Y-%m}", f"{e:%Y-%m}"],
        "data_end": f"{end:%Y-%m-%d}" if end else None,
        "stale_as_lost": bool(stale_as_lost),
        "stages": stages,
        "warnings": warnings,
    }


def _range(base: float, monthly: pd.Series, digits: int, upper: float = math.inf) -> Any:
    """``{low, base, high}`` from the 10th..90th percentile of monthly values around ``base``."""
    vals = pd.to_numeric(monthly, errors="coerce").dropna()
    if len(vals) < 3:
        return base
    low = min(base, round(float(vals.quantile(0.1)), digits))
    high = min(max(base, round(float(vals.quantile(0.9)), digits)), upper)
    if not low < base < high:
        return base
    return {"low": low, "base": base, "high": high}


def _reentry_stage(con, keys: list[str]) -> str:
    """The stage reactivated items re-enter most often (default: the second stage)."""
    row = con.execute(
        """WITH v AS (SELECT stage, lag(outcome) OVER (PARTITION BY item_id
                      ORDER BY entered_at) AS prev FROM stage_history)
           SELECT stage, count(*) AS n FROM v WHERE prev = 'recycled'
           GROUP BY stage ORDER BY n DESC LIMIT 1"""
    ).fetchone()
    if row and row[0] in keys[:-1]:
        return row[0]
    return keys[1] if len(keys) > 2 else keys[0]


def _onboarding_months(con, terminal: str) -> int:
    """Mean whole months from a win to its subscription's first billed month."""
    (v,) = con.execute(
        """SELECT avg(datediff('month', w.entered_at, s.first_start)) FROM
             (SELECT item_id, min(entered_at) AS entered_at FROM stage_history
              WHERE stage = ? GROUP BY item_id) w
           JOIN (SELECT item_id, min(start_date) AS first_start FROM subscriptions
                 WHERE item_id IS NOT NULL GROUP BY item_id) s USING (item_id)""",
        [terminal],
    ).fetchone()
    return 0 if v is None or math.isnan(v) else max(0, round(v))


def backtest(
    con: duckdb.DuckDBPyConnection,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    *,
    stale_after: int | dict[str, int] | None = None,
    stale_as_lost: bool = False,
) -> pd.DataFrame:
    """Run the window's baseline forward from the window's start with the actual inflow.

    Returns one row per month and stage: ``actual`` and ``planned`` arrivals and
    ``error`` = planned / actual - 1. Uses ``model.parse_scenario`` and ``model.run_plan``;
    the baseline is built with the same ``stale_after`` and ``stale_as_lost``.
    """
    from model import ScenarioError, parse_scenario, run_plan

    if start is None or end is None:
        lo, hi = default_window(con)
        start, end = start or lo, end or hi
    s = metrics.month_start(start, "start")
    e = metrics.month_start(end, "end")
    n = _months_between(s, e) + 1
    scenario = build_baseline(
        con, s, e, horizon=n, plan_start=s, stale_after=stale_after,
        stale_as_lost=stale_as_lost, with_backtest=False,
    )  # fmt: skip
    scenario.pop("notes", None)
    keys = [st["key"] for st in scenario["stages"]]
    arr = metrics.arrivals(con, s, e)
    actual = (
        arr.pivot_table(index="month", columns="stage", values="arrivals", aggfunc="sum")
        .reindex(pd.to_datetime([_add_months(s, i) for i in range(n)]))
        .fillna(0.0)
    )
    scenario["inflow"] = [float(x) for x in actual[keys[0]]] if keys[0] in actual else [0.0] * n
    try:
        plan = run_plan(parse_scenario(scenario)).to_dict()
    except ScenarioError as exc:  # a baseline the model refuses: say why, in the page's words
        params = {"field": exc.field, "reason": exc.reason}
        raise DataLayerError(code="scenario_invalid", params=params) from exc
    rows = []
    for k in keys:
        planned = plan["stages"][k]["arrivals"]
        for i, month in enumerate(plan["months"]):
            a = float(actual[k].iloc[i]) if k in actual else 0.0
            rows.append((month, k, a, float(planned[i])))
    df = pd.DataFrame(rows, columns=["month", "stage", "actual", "planned"])
    df["error"] = df["planned"] / df["actual"].where(df["actual"] > 0) - 1
    return df


# How far the backtest may miss before the baseline is not trusted, in sampling errors: a month's
# arrivals vary by about sqrt(actual) (Poisson), a stage's total over the window likewise. A
# month is judged more loosely than the total since the worst of many months is looked at.
Z_TOTAL = 3.0
Z_MONTH = 4.0


def backtest_verdict(bt: pd.DataFrame, first_stage: str | None = None) -> dict[str, Any]:
    """Per stage of a ``backtest``: the total error (planned / actual − 1 over the window), the
    worst month (the largest |error| among months with arrivals) and whether the stage is
    trusted: its total within ``Z_TOTAL`` sampling errors (sqrt of the actual total) and every
    month within ``Z_MONTH`` (sqrt of the month's actual, at least 1). ``reasons`` say why not
    (``total_off``, ``month_off``, with the error and the bound as shares of the actual). The
    first stage is the actual inflow itself (``input``). The verdict is ``trusted`` when every
    stage is, else ``not_trusted``."""
    stages: dict[str, Any] = {}
    for k, g in bt.groupby("stage", sort=False):
        a, p = g["actual"].to_numpy(float), g["planned"].to_numpy(float)
        months = [str(m) for m in g["month"]]
        total_a, total_p = float(a.sum()), float(p.sum())
        rel = np.divide(p - a, a, out=np.full_like(a, np.nan), where=a > 0)
        worst = int(np.nanargmax(np.abs(rel))) if np.isfinite(rel).any() else None
        reasons = []
        bound = Z_TOTAL * math.sqrt(max(total_a, 1.0))
        if abs(total_p - total_a) > bound:
            reasons.append({"code": "total_off", "params": {
                "error": _r(total_p / total_a - 1) if total_a > 0 else None,
                "bound": _r(bound / max(total_a, 1.0))}})  # fmt: skip
        z = np.abs(p - a) / (Z_MONTH * np.sqrt(np.maximum(a, 1.0)))
        if len(z) and z.max() > 1:
            i = int(np.argmax(z))
            reasons.append({"code": "month_off", "params": {
                "month": months[i], "error": _r(rel[i]) if a[i] > 0 else None,
                "actual": _r(a[i]), "planned": _r(p[i]),
                "bound": _r(Z_MONTH * math.sqrt(max(a[i], 1.0)) / max(a[i], 1.0))}})  # fmt: skip
        stages[str(k)] = {
            "actual": _r(total_a), "planned": _r(total_p),
            "total_error": _r(total_p / total_a - 1) if total_a > 0 else None,
            "worst_month": months[worst] if worst is not None else None,
            "worst_error": _r(rel[worst]) if worst is not None else None,
            "input": k == first_stage, "trusted": not reasons, "reasons": reasons,
        }  # fmt: skip
    trusted = all(v["trusted"] for v in stages.values())
    return {"verdict": "trusted" if trusted else "not_trusted", "stages": stages}


def _r(x: float) -> float:
    return round(float(x), 4)
