"""Numbers that lie: what in a funnel history makes the AsIs baseline wrong although every row is
valid (issue 14; the guide's warning that each division defines its stages its own way).

Five checks, each a list of *hits* (one dict per stage, owner or jump found), with how many
items, which months and owners, and what it does to the baseline:

- ``stage_drift``: a stage's conversion or lag jumps between months beyond its sampling error
  (a definition changed). Each month's cohort is measured at a fixed horizon ``H`` (the 80th
  percentile of the stage's resolution age in days; only cohorts at least ``H`` old), so recent
  months are not biased towards quick outcomes. For every month ``m`` the three months before
  are compared with ``m`` and the two after: conversion by a two-proportion z-test, the mean lag
  of the converted by a Welch z-test (normal approximation); the p-values of every stage, month
  and metric are corrected together by Benjamini–Hochberg, and a jump is reported at its
  strongest month when its corrected p-value is under ``ALPHA`` and it is large enough to matter
  (``MIN_JUMP`` points of conversion, ``MIN_LAG_JUMP`` of the lag).
- ``owner_outlier``: an owner whose conversion (at the same horizon) differs from the rest of
  the stage's owners: an exact two-sided binomial test of the owner's wins against the rest's
  rate (the median of the other owners' rates), Holm-corrected over every owner and stage.
- ``instant_closes``: owners who resolve (win or lose) many items within a day of their entry,
  more often than the rest (the same binomial test and Holm correction): opportunities logged
  after the deal was done inflate the stage's conversion and shorten its lag.
- ``quick_losses``: items lost or disqualified on the day they entered (at least
  ``QUICK_SHARE`` of a stage's entries): they are entries nobody worked, and lower its
  conversion.
- ``never_touched``: open items that never moved from the stage they entered, older than twice
  the stage's 95th-percentile resolution age (at least ``TOUCH_MIN_DAYS``) and younger than the
  stale limit of ``stale_open``: the funnel data records stage movements only, so an item that
  has not moved in that long had no activity the CRM exported. They inflate the open stock.

The statistics are the small ones, with math and numpy (no scipy): the normal tail by
``math.erfc``, the binomial by log-gamma.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import duckdb
import numpy as np

ALPHA = 0.01  # the corrected p-value under which a difference is beyond sampling error
MIN_ITEMS = 30  # items on each side of a comparison before it is tested
MIN_JUMP = 0.05  # a change of conversion that matters (5 points)
MIN_LAG_JUMP = 0.25  # a relative change of the mean lag that matters (25%)
WINDOW_MONTHS = 3  # months on each side of a drift comparison
HORIZON_QUANTILE = 0.95  # the fixed horizon: this quantile of the resolution ages in days
QUICK_SHARE = 0.02  # quick losses worth a finding: this share of a stage's entries...
MIN_HITS = 5  # ...and at least this many items (instant closes and never-touched too)
TOUCH_MIN_DAYS = 14
TOUCH_SHARE = 0.02  # never-touched items worth a finding: this share of a stage's open items
EXAMPLES = 5  # months and owners named per hit

LIES: dict[str, str] = {
    "stage_drift": "stages whose conversion or lag jumps between months beyond sampling error",
    "owner_outlier": "owners whose conversion differs from the rest beyond sampling error",
    "instant_closes": "owners who close many items within a day of creating them",
    "quick_losses": "stages with items lost on the day they entered",
    "never_touched": "stages with open items that never moved",
}


# ----- small statistics -------------------------------------------------------------------------
def normal_two_sided(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z: erfc(|z| / sqrt 2)."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> float:
    """z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)) with the pooled p = (k1 + k2) / (n1 + n2);
    0 when the pooled share is 0 or 1 (no variation to test)."""
    p = (k1 + k2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return 0.0 if se == 0 else (k2 / n2 - k1 / n1) / se


def welch_z(m1: float, v1: float, n1: int, m2: float, v2: float, n2: int) -> float:
    """z = (m2 - m1) / sqrt(v1/n1 + v2/n2): two means with their sample variances (normal
    approximation, fine for the 30 or more items each side that are tested)."""
    se = math.sqrt(v1 / n1 + v2 / n2)
    return 0.0 if se == 0 else (m2 - m1) / se


def binomial_two_sided(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial p-value: the probability under Binomial(n, p) of every count at
    most as likely as ``k``. The pmf in logs, ln C(n, i) + i ln p + (n - i) ln(1 - p), with
    ln C(n, i) the running sum of ln((n - j + 1) / j) (the log-gamma difference, vectorised)."""
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    j = np.arange(1, n + 1, dtype=float)
    log_comb = np.concatenate([[0.0], np.cumsum(np.log(n - j + 1) - np.log(j))])
    i = np.arange(n + 1, dtype=float)
    log_pmf = log_comb + i * math.log(p) + (n - i) * math.log1p(-p)
    return float(min(1.0, np.exp(log_pmf[log_pmf <= log_pmf[k] + 1e-7]).sum()))


def holm(pvalues: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (family-wise error): the i-th smallest times (m - i),
    kept non-decreasing, at most 1."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    out = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        out[i] = running
    return out


def benjamini_hochberg(pvalues: list[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (false discovery rate): the i-th smallest times m / i,
    kept non-increasing from the largest down, at most 1."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i], reverse=True)
    out = [1.0] * m
    running = 1.0
    for rank, i in enumerate(order):
        running = min(running, pvalues[i] * m / (m - rank))
        out[i] = running
    return out


# ----- the data ---------------------------------------------------------------------------------
def _stages(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The stages items resolve in: every stage of the design but the last (won)."""
    design = [
        r[0] for r in con.execute("SELECT stage FROM stage_design ORDER BY position").fetchall()
    ]
    return design[:-1]


def _days(a: str, b: str) -> str:
    return f"(epoch({b}) - epoch({a})) / 86400.0"


def _quantile_days(con, stage: str, q: float) -> float | None:
    row = con.execute(
        f"SELECT quantile_cont({_days('entered_at', 'resolved_at')}, ?) FROM stage_history "
        "WHERE stage = ? AND resolved_at >= entered_at AND outcome <> 'open'",
        [q, stage],
    ).fetchone()
    return None if row[0] is None else float(row[0])


def _cohorts(con, stage: str, horizon: float, as_of: dt.datetime):
    """Per owner and entry month, the items old enough to be measured at ``horizon`` days: how
    many, how many converted within it, and the sum and sum of squares of their lag in days."""
    lag = _days("entered_at", "resolved_at")
    within = f"outcome = 'converted' AND resolved_at IS NOT NULL AND {lag} <= $h"
    return con.execute(
        f"""SELECT owner, strftime(entered_at, '%Y-%m') AS month, count(*) AS n,
                   count(*) FILTER (WHERE {within}) AS k,
                   coalesce(sum({lag}) FILTER (WHERE {within}), 0) AS s,
                   coalesce(sum({lag} * {lag}) FILTER (WHERE {within}), 0) AS ss
            FROM stage_history
            WHERE stage = $stage
              AND entered_at <= $as_of - to_microseconds(CAST($h * 86400e6 AS BIGINT))
            GROUP BY ALL""",
        {"stage": stage, "h": horizon, "as_of": as_of},
    ).df()


def _conversion(
    con, stage: str, exclude: str = "FALSE", params: dict | None = None
) -> float | None:
    """The stage's conversion among its resolved items (the AsIs metrics' share), leaving out the
    rows ``exclude`` (SQL over stage_history, its values bound from ``params``) holds."""
    row = con.execute(
        "SELECT count(*) FILTER (WHERE outcome = 'converted'), count(*) FROM stage_history "
        f"WHERE stage = $stage AND outcome <> 'open' AND NOT ({exclude})",
        {"stage": stage, **(params or {})},
    ).fetchone()
    return None if not row[1] else row[0] / row[1]


def _top(con, stage: str, where: str, column: str, params: dict | None = None) -> list[dict]:
    """The months or owners most of the rows ``where`` fall in: [{name, items}, ...]."""
    expr = "strftime(entered_at, '%Y-%m')" if column == "month" else "coalesce(owner, '')"
    rows = con.execute(
        f"SELECT {expr} AS name, count(*) AS n FROM stage_history "
        f"WHERE stage = $stage AND ({where}) GROUP BY ALL ORDER BY n DESC, name LIMIT {EXAMPLES}",
        {"stage": stage, **(params or {})},
    ).fetchall()
    return [{"name": name, "items": int(n)} for name, n in rows if name]


# ----- the checks -------------------------------------------------------------------------------
def _window(frame, months: list[str]) -> tuple[int, int, float, float]:
    part = frame[frame["month"].isin(months)]
    n, k = int(part["n"].sum()), int(part["k"].sum())
    s, ss = float(part["s"].sum()), float(part["ss"].sum())
    mean = s / k if k else 0.0
    var = (ss - k * mean * mean) / (k - 1) if k > 1 else 0.0
    return n, k, mean, max(var, 0.0)


def stage_drift(con, as_of: dt.datetime) -> list[dict[str, Any]]:
    tests = []
    for stage in _stages(con):
        horizon = _quantile_days(con, stage, HORIZON_QUANTILE)
        if horizon is None:
            continue
        horizon = max(horizon, 1.0)
        frame = (
            _cohorts(con, stage, horizon, as_of)
            .groupby("month", as_index=False)[["n", "k", "s", "ss"]]
            .sum()
        )
        months = sorted(frame["month"])
        for i in range(WINDOW_MONTHS, len(months) - WINDOW_MONTHS + 2):
            before, after = months[i - WINDOW_MONTHS : i], months[i : i + WINDOW_MONTHS]
            n1, k1, m1, v1 = _window(frame, before)
            n2, k2, m2, v2 = _window(frame, after)
            if min(n1, n2) < MIN_ITEMS:
                continue
            base = {"stage": stage, "month": months[i], "items_before": n1, "items_after": n2,
                    "horizon_days": round(horizon, 1)}  # fmt: skip
            z = two_proportion_z(k1, n1, k2, n2)
            tests.append({**base, "metric": "conversion", "before": k1 / n1, "after": k2 / n2,
                          "z": z, "p": normal_two_sided(z),
                          "big": abs(k2 / n2 - k1 / n1) >= MIN_JUMP})  # fmt: skip
            if min(k1, k2) >= MIN_ITEMS:
                z = welch_z(m1, v1, k1, m2, v2, k2)
                tests.append({**base, "metric": "lag_days", "before": m1, "after": m2, "z": z,
                              "p": normal_two_sided(z),
                              "big": abs(m2 - m1) >= MIN_LAG_JUMP * max(m1, 1e-9)})  # fmt: skip
    for t, adj in zip(tests, benjamini_hochberg([t["p"] for t in tests]), strict=True):
        t["p_adjusted"] = adj
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for t in tests:
        if t["p_adjusted"] < ALPHA and t["big"]:
            key = (t["stage"], t["metric"])
            if key not in best or abs(t["z"]) > abs(best[key]["z"]):
                best[key] = t
    hits = []
    for t in best.values():
        pooled = _conversion(con, t["stage"])
        hits.append({k: v for k, v in t.items() if k != "big"} | {"pooled_conversion": pooled})
    return sorted(hits, key=lambda h: (h["stage"], h["metric"]))


def _owner_tests(con, stage: str, counts) -> list[dict[str, Any]]:
    """Each owner with ``MIN_ITEMS`` items or more against the rest of the stage's owners: the
    binomial test of the owner's ``k`` of ``n`` at the rest's rate, the median of the other
    owners' rates (the typical colleague: one far owner does not pull the rest off with them,
    as a pooled rest rate would)."""
    by = counts.groupby("owner", as_index=False)[["n", "k"]].sum()
    by = by[by["n"] >= MIN_ITEMS]
    if len(by) < 2:
        return []
    rates = dict(zip(by["owner"], by["k"] / by["n"], strict=True))
    out = []
    for owner, n, k in by[["owner", "n", "k"]].itertuples(index=False):
        n, k = int(n), int(k)
        rest = float(np.median([r for o, r in rates.items() if o != owner]))
        out.append({"stage": stage, "owner": owner, "items": n, "count": k, "rate": k / n,
                    "rest": rest, "p": binomial_two_sided(k, n, rest)})  # fmt: skip
    return out


def _holm_hits(tests: list[dict[str, Any]], keep) -> list[dict[str, Any]]:
    for t, adj in zip(tests, holm([t["p"] for t in tests]), strict=True):
        t["p_adjusted"] = adj
    return [t for t in tests if t["p_adjusted"] < ALPHA and keep(t)]


def owner_outlier(con, as_of: dt.datetime) -> list[dict[str, Any]]:
    tests = []
    for stage in _stages(con):
        horizon = _quantile_days(con, stage, HORIZON_QUANTILE)
        if horizon is None:
            continue
        counts = _cohorts(con, stage, max(horizon, 1.0), as_of).dropna(subset=["owner"])
        tests += _owner_tests(con, stage, counts)
    hits = _holm_hits(tests, lambda t: abs(t["rate"] - t["rest"]) >= MIN_JUMP)
    for h in hits:
        _effect(con, h, "owner = $owner", {"owner": h["owner"]})
    return hits


def _effect(con, hit: dict[str, Any], where: str, params: dict | None = None) -> None:
    """What the rows ``where`` do to the baseline: the months they fall in, and the stage's
    conversion with them (as the baseline reads it) and without them."""
    hit["months"] = _top(con, hit["stage"], where, "month", params)
    hit["pooled_conversion"] = _conversion(con, hit["stage"])
    hit["conversion_without"] = _conversion(con, hit["stage"], where, params)


_INSTANT = (  # resolved, won or lost, within a day of entering
    "outcome IN ('converted', 'lost') AND resolved_at IS NOT NULL "
    f"AND {_days('entered_at', 'resolved_at')} < 1"
)


def instant_closes(con, as_of: dt.datetime) -> list[dict[str, Any]]:
    tests = []
    for stage in _stages(con):
        counts = con.execute(
            f"SELECT owner, count(*) AS n, count(*) FILTER (WHERE {_INSTANT}) AS k "
            "FROM stage_history WHERE stage = ? AND outcome <> 'open' AND owner IS NOT NULL "
            "GROUP BY owner",
            [stage],
        ).df()
        tests += _owner_tests(con, stage, counts)
    hits = _holm_hits(tests, lambda t: t["count"] >= MIN_HITS and t["rate"] >= t["rest"] + MIN_JUMP)
    for h in hits:
        _effect(con, h, f"owner = $owner AND {_INSTANT}", {"owner": h["owner"]})
    return hits


_QUICK_LOSS = (
    "outcome IN ('lost', 'disqualified') AND resolved_at IS NOT NULL "
    "AND CAST(resolved_at AS DATE) = CAST(entered_at AS DATE)"
)


def quick_losses(con, as_of: dt.datetime) -> list[dict[str, Any]]:
    hits = []
    for stage in _stages(con):
        n, k = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {_QUICK_LOSS}) FROM stage_history "
            "WHERE stage = ?",
            [stage],
        ).fetchone()
        if k < MIN_HITS or k < QUICK_SHARE * n:
            continue
        hit = {"stage": stage, "count": int(k), "items": int(n), "rate": k / n,
               "owners": _top(con, stage, _QUICK_LOSS, "owner")}  # fmt: skip
        _effect(con, hit, _QUICK_LOSS)
        hits.append(hit)
    return hits


def never_touched(con, as_of: dt.datetime, open_days: int) -> list[dict[str, Any]]:
    hits = []
    for stage in _stages(con):
        p95 = _quantile_days(con, stage, 0.95)
        if p95 is None:
            continue
        limit = max(TOUCH_MIN_DAYS, 2 * p95)
        if limit >= open_days:
            continue  # every such item is already an old open item (stale_open)
        age = _days("entered_at", "CAST($as_of AS TIMESTAMP)")
        where = (
            f"outcome = 'open' AND {age} > {limit!r} AND {age} <= {float(open_days)!r} AND item_id "
            "IN (SELECT item_id FROM stage_history GROUP BY item_id HAVING count(*) = 1)"
        )
        n_open, k = con.execute(
            f"SELECT count(*) FILTER (WHERE outcome = 'open'), count(*) FILTER (WHERE {where}) "
            "FROM stage_history WHERE stage = $stage",
            {"stage": stage, "as_of": as_of},
        ).fetchone()
        if k < MIN_HITS or k < TOUCH_SHARE * n_open:
            continue
        at = {"as_of": as_of}
        hits.append({"stage": stage, "count": int(k), "open": int(n_open), "rate": k / n_open,
                     "limit_days": round(limit, 1), "months": _top(con, stage, where, "month", at),
                     "owners": _top(con, stage, where, "owner", at)})  # fmt: skip
    return hits


def find_lies(
    con: duckdb.DuckDBPyConnection, *, as_of: dt.datetime, open_days: int = 180
) -> dict[str, list[dict[str, Any]]]:
    """Every check of ``LIES``: its hits (an empty list when it found nothing)."""
    return {
        "stage_drift": stage_drift(con, as_of),
        "owner_outlier": owner_outlier(con, as_of),
        "instant_closes": instant_closes(con, as_of),
        "quick_losses": quick_losses(con, as_of),
        "never_touched": never_touched(con, as_of, open_days),
    }
