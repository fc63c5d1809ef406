"""Outcome shares and lags per stage with open items censored (spec section 7, v2).

An item's **age** at a date is the number of calendar-month boundaries crossed since it entered
the stage (``datediff('month', entered_at, date)``); the data's end is the latest date in the
history. Of the items that entered a stage in the window:

- a **dated** resolved item ends at its resolution age with its outcome;
- an **undated** resolved item (outcome set, no ``resolved_at``: CRMs often leave lost leads
  undated) has no age: it joins the shares by count and stays out of the lag;
- an **open** item older than ``stale_after`` months at the data's end is **stale** (a deal
  nobody closed): left out of everything and reported, or with ``stale_as_lost`` counted as lost
  at age ``stale_after + 1``;
- any other open item is **censored** at its age at the data's end;
- an item resolved before it entered is left out (the quality report lists it).

Aalen–Johansen over ages a = 0, 1, 2, ...: n(a) = items neither resolved nor censored before
age a; d_k(a) = items with outcome k at age a; h_k(a) = d_k(a) / n(a);
S(a) = Π_{b ≤ a} (1 − Σ_k h_k(b)), S(−1) = 1; F_k = Σ_a S(a−1)·h_k(a).
share_k = (N·F_k / Σ_j F_j + U_k) / (N + U) (N dated resolved items, U undated ones, U_k of them
with outcome k); lag = Σ_a a·Σ_k S(a−1)·h_k(a) / Σ_j F_j. With no open and no undated item these
are the plain shares and the mean age exactly.

``resolution_ages`` is the SQL (the counts per stage, kind, outcome and age);
``aalen_johansen`` the estimator over those counts (numpy); ``stage_estimates`` both, per stage.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

OUTCOMES: tuple[str, ...] = ("converted", "disqualified", "recycled", "lost")
MIN_STALE_AFTER = 3  # months: the least stale_after the default gives
STALE_PERCENTILE = 0.95  # the default is twice this percentile (nearest rank) of dated ages

# Items that entered a non-terminal stage with history in the window, counted per stage, kind
# (dated, undated, open, left_out), outcome and age; open items at their age at the data's end.
_AGES_SQL = """
WITH design AS (SELECT stage, position, position = max(position) OVER () AS terminal
                FROM stage_design),
data_end AS (SELECT greatest(max(entered_at), max(resolved_at)) AS t FROM stage_history),
items AS (
    SELECT h.stage, d.position, h.outcome,
           CASE WHEN h.resolved_at < h.entered_at THEN 'left_out'
                WHEN h.outcome = 'open' THEN 'open'
                WHEN h.resolved_at IS NULL THEN 'undated'
                ELSE 'dated' END AS kind,
           CASE WHEN h.outcome = 'open' THEN datediff('month', h.entered_at, (FROM data_end))
                ELSE datediff('month', h.entered_at, h.resolved_at) END AS age
    FROM stage_history h JOIN design d USING (stage)
    WHERE NOT d.terminal AND h.entered_at >= $start
      AND h.entered_at < $end + INTERVAL 1 MONTH)
SELECT stage, position, kind, outcome, CASE WHEN kind = 'undated' THEN NULL ELSE age END AS age,
       count(*) AS items
FROM items GROUP BY ALL ORDER BY position, kind, outcome, age
"""


def data_end(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The data's end: the latest date in the history (entries and resolutions)."""
    return con.execute(
        "SELECT greatest(max(entered_at), max(resolved_at)) FROM stage_history"
    ).fetchone()[0]


def resolution_ages(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per stage (non-terminal, with history), kind (``dated``, ``undated``, ``open``,
    ``left_out``), outcome and age in months: the number of items that entered the stage in the
    months ``start``..``end``. ``age`` is the resolution age of a dated item, the age at the
    data's end of an open one, and empty for an undated one."""
    return con.execute(_AGES_SQL, {"start": start, "end": end}).df()


def nearest_rank(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """The ``q`` percentile by nearest rank of ``values`` repeated ``counts`` times: the
    value at rank ceil(q·n) of the sorted values (n ≥ 1)."""
    order = np.argsort(values, kind="stable")
    v, c = values[order], np.cumsum(counts[order])
    rank = max(1, math.ceil(q * c[-1] - 1e-12))
    return float(v[np.searchsorted(c, rank)])


def default_stale_after(ages: np.ndarray, counts: np.ndarray) -> int:
    """``stale_after`` when the user sets none: twice the 95th percentile (nearest rank) of the
    dated resolution ages, and at least ``MIN_STALE_AFTER`` months (that when none is dated)."""
    if counts.sum() <= 0:
        return MIN_STALE_AFTER
    return max(MIN_STALE_AFTER, int(round(2 * nearest_rank(ages, counts, STALE_PERCENTILE))))


def aalen_johansen(
    ages: np.ndarray, outcome: np.ndarray, items: np.ndarray, censored_ages: np.ndarray,
    censored_items: np.ndarray,
) -> tuple[np.ndarray, float]:  # fmt: skip
    """The Aalen–Johansen cumulative incidence of each outcome and the mean resolution age.

    ``ages``/``outcome``/``items``: resolved items (outcome an index into ``OUTCOMES``) at each
    resolution age; ``censored_ages``/``censored_items``: items seen unresolved up to that age.
    Returns (F, lag): F[k] = Σ_a S(a−1)·h_k(a) and lag = Σ_a a·Σ_k S(a−1)·h_k(a) / Σ_k F[k]
    (0 when nothing resolved)."""
    ages = np.asarray(ages, dtype=np.int64)
    censored_ages = np.asarray(censored_ages, dtype=np.int64)
    top = int(max(ages.max(initial=0), censored_ages.max(initial=0))) + 1
    d = np.zeros((top, len(OUTCOMES)))
    np.add.at(d, (ages, np.asarray(outcome, dtype=np.int64)), np.asarray(items, dtype=float))
    c = np.zeros(top)
    np.add.at(c, censored_ages, np.asarray(censored_items, dtype=float))
    leaving = d.sum(axis=1) + c  # items leaving the risk set after age a
    n = leaving[::-1].cumsum()[::-1]  # n(a): still there at age a
    h = np.divide(d, n[:, None], out=np.zeros_like(d), where=n[:, None] > 0)
    surv = np.cumprod(1.0 - h.sum(axis=1))
    before = np.concatenate(([1.0], surv[:-1]))  # S(a - 1)
    inc = before[:, None] * h  # S(a-1)·h_k(a)
    F = inc.sum(axis=0)
    total = F.sum()
    lag = float((np.arange(top) * inc.sum(axis=1)).sum() / total) if total > 0 else 0.0
    return F, lag


@dataclass
class StageEstimate:
    """One stage's outcome shares and lag, and what they rest on."""

    stage: str
    shares: dict[str, float]
    lag: float
    entered: int = 0  # items that entered the stage in the window
    used: int = 0  # of them, the items the estimate rests on
    resolved: int = 0  # dated resolved items (N without the stale ones)
    undated: int = 0  # resolved items without a date (U)
    censored: int = 0  # open items, censored at their age at the data's end
    stale: int = 0  # open items older than stale_after at the data's end
    left_out: int = 0  # items resolved before they entered
    stale_after: int | None = None  # months (None: a stage known only from counts)
    warnings: list[str] = field(default_factory=list)  # codes: lag_unknown, lag_from_dated


def stage_estimates(
    con: duckdb.DuckDBPyConnection,
    start: dt.date,
    end: dt.date,
    *,
    stale_after: int | dict[str, int] | None = None,
    stale_as_lost: bool = False,
) -> dict[str, StageEstimate]:
    """Per non-terminal stage with history, the estimate of spec section 7 from the items that
    entered it in ``start``..``end``. ``stale_after``: months, for every stage or per stage
    (a stage not named takes the default). A stage with no resolved item is missing from the
    result (the caller refuses it with the window)."""
    df = resolution_ages(con, start, end)
    out: dict[str, StageEstimate] = {}
    for stage, g in df.groupby("stage", sort=False):
        out[str(stage)] = _estimate(str(stage), g, _stale_after_of(stale_after, str(stage)),
                                    stale_as_lost)  # fmt: skip
    return out


def _stale_after_of(stale_after: int | dict[str, int] | None, stage: str) -> int | None:
    if isinstance(stale_after, dict):
        return stale_after.get(stage)
    return stale_after


def _estimate(stage: str, g: pd.DataFrame, stale_after: int | None, as_lost: bool):
    kind = g["kind"].to_numpy()
    dated, undated, open_ = g[kind == "dated"], g[kind == "undated"], g[kind == "open"]
    d_age = dated["age"].to_numpy(np.int64)
    d_out = dated["outcome"].map(OUTCOMES.index).to_numpy(np.int64)
    d_n = dated["items"].to_numpy(float)
    if stale_after is None:
        stale_after = default_stale_after(d_age, d_n)
    o_age = open_["age"].to_numpy(np.int64)
    o_n = open_["items"].to_numpy(float)
    is_stale = o_age > stale_after
    stale = float(o_n[is_stale].sum())
    cens_age, cens_n = o_age[~is_stale], o_n[~is_stale]
    if as_lost and stale:  # counted as lost at age stale_after + 1
        d_age = np.append(d_age, stale_after + 1)
        d_out = np.append(d_out, OUTCOMES.index("lost"))
        d_n = np.append(d_n, stale)
    u = undated.groupby("outcome")["items"].sum()
    u_k = np.array([float(u.get(k, 0)) for k in OUTCOMES])
    n_dated, n_undated = float(d_n.sum()), float(u_k.sum())
    est = StageEstimate(
        stage=stage, shares={}, lag=0.0,
        entered=int(g["items"].sum()), resolved=int(dated["items"].sum()),
        undated=int(n_undated), censored=int(cens_n.sum()), stale=int(stale),
        left_out=int(g.loc[kind == "left_out", "items"].sum()), stale_after=int(stale_after),
    )  # fmt: skip
    est.used = est.resolved + est.undated + est.censored + (est.stale if as_lost else 0)
    if n_dated + n_undated <= 0:
        return est  # nothing resolved: no estimate
    if n_dated > 0:
        F, lag = aalen_johansen(d_age, d_out, d_n, cens_age, cens_n)
        shares = (n_dated * F / F.sum() + u_k) / (n_dated + n_undated)
        est.lag = lag
        if n_undated:
            est.warnings.append("lag_from_dated")
    else:  # every resolved item undated: shares by count, the lag unknown
        shares = u_k / n_undated
        est.warnings.append("lag_unknown")
    est.shares = dict(zip(OUTCOMES, (float(x) for x in shares), strict=True))
    return est


def stock_at(
    con: duckdb.DuckDBPyConnection,
    month: dt.date,
    stale_after: dict[str, int],
    *,
    stale_as_lost: bool = False,
) -> dict[str, float]:
    """Items in each non-terminal stage at the end of ``month`` (the opening stock of a plan
    starting the month after): entered by then, resolved after it (an undated resolved item is
    not stock), and not stale at the data's end (an open item older than its stage's
    ``stale_after``). With ``stale_as_lost`` a stale item is stock until it is counted lost, at
    age ``stale_after + 1``."""
    stages, limits = list(stale_after), [int(v) for v in stale_after.values()]
    nxt = (pd.Timestamp(month) + pd.DateOffset(months=1)).date()
    rows = con.execute(
        """
        WITH design AS (SELECT stage, position, position = max(position) OVER () AS terminal
                        FROM stage_design),
        data_end AS (SELECT greatest(max(entered_at), max(resolved_at)) AS t FROM stage_history),
        h AS (SELECT h.*, $limits[list_position($stages, h.stage)] AS stale_after
              FROM stage_history h JOIN design d USING (stage) WHERE NOT d.terminal)
        SELECT stage, count(*) FROM h
        WHERE entered_at < $next AND (
            resolved_at >= $next
            OR (outcome = 'open' AND (
                stale_after IS NULL
                OR datediff('month', entered_at, (FROM data_end)) <= stale_after
                OR ($as_lost AND datediff('month', entered_at, $month) <= stale_after))))
        GROUP BY stage
        """,
        {"stages": stages, "limits": limits, "next": nxt, "month": month,
         "as_lost": bool(stale_as_lost)},
    ).fetchall()  # fmt: skip
    return {str(s): float(n) for s, n in rows}
