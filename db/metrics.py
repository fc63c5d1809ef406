"""AsIs metrics of the funnel, computed in SQL over ``stage_history`` and ``stage_counts``.

Definitions (spec section 7): of the items that entered a stage and were resolved, the share of
each outcome (converted, disqualified, recycled, lost); open items are excluded from the shares
and counted separately. Lags: days from entering a stage to its resolution (mean, median), and
``lag_months``, the mean number of calendar-month boundaries crossed, which is the lag the monthly
model needs to put resolutions in the same months as the data. A stage that only has aggregated
counts (``stage_counts``, e.g. visitors) converts into the next stage's *new* items in the same
month (lag 0).

Every function takes a DuckDB connection or cursor and an optional window of cohort months
(``start``/``end`` as ``"YYYY-MM"``, inclusive), and returns a pandas DataFrame.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import numpy as np
import pandas as pd

from db.errors import DataLayerError

DIMENSIONS = ("source", "segment", "owner")  # what the stage metrics can be split by
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# The visits of the items that were ever recycled, with the stage's position and the item's
# previous outcome and next entry (in the order entered_at, position). Only these items can have
# a visit after a recycled one, so the per-item window sorts a fraction of the history; every
# other visit is a new arrival.
_REVISITS = """
    SELECT h.stage, d.position, h.entered_at, h.resolved_at, h.outcome, h.source, h.segment,
           h.owner,
           lag(h.outcome) OVER w AS prev_outcome,
           lead(h.entered_at) OVER w AS next_entered_at
    FROM stage_history h JOIN stage_design d USING (stage)
    WHERE h.item_id IN (SELECT item_id FROM stage_history WHERE outcome = 'recycled')
    WINDOW w AS (PARTITION BY h.item_id ORDER BY h.entered_at, d.position)
"""


def month_start(value: str | dt.date | None, name: str = "month") -> dt.date | None:
    """``"YYYY-MM"`` (or a date) -> the first day of that month; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    m = MONTH.match(str(value))
    if not m:
        raise DataLayerError(code="bad_month", params={"name": name, "value": value})
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def _window(start: str | dt.date | None, end: str | dt.date | None) -> list[dt.date]:
    s = month_start(start, "start") or dt.date(1900, 1, 1)
    e = month_start(end, "end") or dt.date(2999, 12, 1)
    check_window(s, e)
    return [s, e]


def check_window(s: dt.date, e: dt.date) -> None:
    """A window of months ``s``..``e`` must not end before it starts."""
    if e < s:
        params = {"start": f"{s:%Y-%m}", "end": f"{e:%Y-%m}"}
        raise DataLayerError(code="window_reversed", params=params)


def data_months(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    """First and last month with any arrivals (history or counts), or None when empty."""
    row = con.execute(
        """SELECT min(m), max(m) FROM (
               SELECT date_trunc('month', entered_at)::DATE AS m FROM stage_history
               UNION ALL SELECT month FROM stage_counts)"""
    ).fetchone()
    return None if row[0] is None else (row[0], row[1])


def _stage_sql(by_cohort: bool, dims: tuple[str, ...] = ()) -> str:
    cohort = "date_trunc('month', entered_at)::DATE" if by_cohort else "NULL::DATE"
    group = ", ".join(["stage", "position", "cohort", *dims])
    dim_cols = "".join(f", {d}" for d in dims)
    agg_dims = "".join(f", NULL::VARCHAR AS {d}" for d in dims)
    return f"""
    WITH design AS (SELECT stage, position, position = max(position) OVER () AS terminal
                    FROM stage_design),
    item_stages AS (SELECT DISTINCT stage FROM stage_history),
    hist AS (
        SELECT h.stage, d.position, {cohort} AS cohort{dim_cols},
               count(*) AS entered,
               count(*) FILTER (WHERE outcome <> 'open') AS resolved,
               count(*) FILTER (WHERE outcome = 'converted') AS converted,
               count(*) FILTER (WHERE outcome = 'disqualified') AS disqualified,
               count(*) FILTER (WHERE outcome = 'recycled') AS recycled,
               count(*) FILTER (WHERE outcome = 'lost') AS lost,
               count(*) FILTER (WHERE outcome = 'open') AS open,
               avg(epoch(resolved_at - entered_at) / 86400.0)
                   FILTER (WHERE outcome <> 'open') AS lag_mean_days,
               median(epoch(resolved_at - entered_at) / 86400.0)
                   FILTER (WHERE outcome <> 'open') AS lag_median_days,
               avg(datediff('month', entered_at, resolved_at))
                   FILTER (WHERE outcome <> 'open') AS lag_months
        FROM stage_history h JOIN design d USING (stage)
        WHERE NOT d.terminal AND entered_at >= $start AND entered_at < $end + INTERVAL 1 MONTH
        GROUP BY {group}
    ),
    -- stages known only as monthly counts convert into the next stage's first visits (a
    -- per-item aggregate over the whole history: skipped when there are no counts at all)
    firsts AS (
        SELECT f.stage, f.m, count(*) AS n FROM (
            SELECT item_id, arg_min(stage, entered_at) AS stage,
                   date_trunc('month', min(entered_at))::DATE AS m
            FROM stage_history WHERE (SELECT EXISTS (FROM stage_counts))
            GROUP BY item_id) f
        GROUP BY ALL
    ),
    agg AS (
        SELECT c.stage, d.position, {"c.month" if by_cohort else "NULL::DATE"} AS cohort
               {agg_dims},
               sum(c.arrivals) AS entered, sum(c.arrivals) AS resolved,
               sum(coalesce(f.n, 0)) AS converted, 0 AS disqualified, 0 AS recycled,
               sum(c.arrivals) - sum(coalesce(f.n, 0)) AS lost, 0 AS open,
               0.0 AS lag_mean_days, 0.0 AS lag_median_days, 0.0 AS lag_months
        FROM (SELECT month, stage, sum(arrivals) AS arrivals FROM stage_counts
              WHERE month >= $start AND month <= $end GROUP BY ALL) c
        JOIN design d USING (stage)
        JOIN design nxt ON nxt.position = d.position + 1
        LEFT JOIN firsts f ON f.stage = nxt.stage AND f.m = c.month
        WHERE NOT d.terminal AND c.stage NOT IN (SELECT stage FROM item_stages)
        GROUP BY {"c.stage, d.position, c.month" if by_cohort else "c.stage, d.position"}
    )
    SELECT *,
           converted / nullif(resolved, 0) AS conversion,
           disqualified / nullif(resolved, 0) AS disqualify,
           recycled / nullif(resolved, 0) AS recycle,
           lost / nullif(resolved, 0) AS lost_share
    FROM (FROM hist UNION ALL BY NAME FROM agg)
    ORDER BY position, cohort{dim_cols}
    """


def stage_cohorts(con, start=None, end=None) -> pd.DataFrame:
    """Per stage and cohort month (month entered): counts of each outcome, the four shares of
    resolved items (``conversion``, ``disqualify``, ``recycle``, ``lost_share``) and the lags."""
    s, e = _window(start, end)
    return con.execute(_stage_sql(True), {"start": s, "end": e}).df()


def stage_summary(con, start=None, end=None, by: str | None = None) -> pd.DataFrame:
    """The same as ``stage_cohorts`` pooled over the window, optionally split by ``source``,
    ``segment`` or ``owner`` (a stage known only from counts is pooled over all of them)."""
    s, e = _window(start, end)
    dims = () if by is None else (_dimension(by),)
    return con.execute(_stage_sql(False, dims), {"start": s, "end": e}).df().drop(columns="cohort")


def _dimension(by: str) -> str:
    if by not in DIMENSIONS:
        raise DataLayerError(code="bad_split", params={"by": by})
    return by


def stock(con, start=None, end=None) -> pd.DataFrame:
    """Items sitting in each non-terminal stage at each month end (entered, not yet resolved)."""
    s, e = _window(start, end)
    sql = """
    WITH design AS (SELECT stage, position, position = max(position) OVER () AS terminal
                    FROM stage_design),
    bounds AS (SELECT min(date_trunc('month', entered_at))::DATE AS lo,
                      max(date_trunc('month', entered_at))::DATE AS hi FROM stage_history),
    months AS (SELECT unnest(generate_series(lo, hi, INTERVAL 1 MONTH))::DATE AS month
               FROM bounds),
    ins AS (SELECT stage, date_trunc('month', entered_at)::DATE AS month, count(*) AS n
            FROM stage_history GROUP BY ALL),
    -- an item resolved without a date (a lost lead the CRM left undated) is no stock: it
    -- leaves in the month it entered
    outs AS (SELECT stage, date_trunc('month', coalesce(resolved_at, entered_at))::DATE AS month,
                    count(*) AS n
             FROM stage_history WHERE resolved_at IS NOT NULL OR outcome <> 'open' GROUP BY ALL),
    grid AS (SELECT d.stage, d.position, m.month FROM design d, months m
             WHERE NOT d.terminal AND d.stage IN (SELECT DISTINCT stage FROM stage_history)),
    flows AS (
        SELECT g.stage, g.position, g.month, coalesce(i.n, 0) AS arrivals,
               coalesce(o.n, 0) AS resolved
        FROM grid g LEFT JOIN ins i USING (stage, month) LEFT JOIN outs o USING (stage, month))
    SELECT stage, position, month, arrivals, resolved,
           sum(arrivals - resolved) OVER (PARTITION BY stage ORDER BY month) AS stock
    FROM flows QUALIFY month >= $start AND month <= $end
    ORDER BY position, month
    """
    return con.execute(sql, {"start": s, "end": e}).df()


def arrivals(con, start=None, end=None, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Arrivals per month and stage (new items and reactivated ones re-entering), optionally
    split by ``source`` and/or ``segment``; aggregated-count stages included."""
    s, e = _window(start, end)
    dims = tuple(_dimension(b) for b in by)
    dim_cols = "".join(f", {d}" for d in dims)
    null_dims = "".join(f", NULL::VARCHAR AS {d}" for d in dims if d != "source")
    count_source = ", source" if "source" in dims else ""
    sql = f"""
    WITH v AS ({_REVISITS})
    SELECT stage, position, month{dim_cols}, sum(new) AS new, sum(reentered) AS reentered,
           sum(new + reentered) AS arrivals
    FROM (
        -- every visit counted as new, then the re-entries (only among the recycled items'
        -- visits) moved from new to reentered
        SELECT h.stage, d.position, date_trunc('month', h.entered_at)::DATE AS month{dim_cols},
               count(*) AS new, 0 AS reentered
        FROM stage_history h JOIN stage_design d USING (stage) GROUP BY ALL
        UNION ALL
        SELECT stage, position, date_trunc('month', entered_at)::DATE AS month{dim_cols},
               -count(*) AS new, count(*) AS reentered
        FROM v WHERE prev_outcome = 'recycled' GROUP BY ALL
        UNION ALL BY NAME
        SELECT c.stage, d.position, c.month{count_source}{null_dims},
               sum(c.arrivals) AS new, 0 AS reentered
        FROM stage_counts c JOIN stage_design d USING (stage)
        WHERE c.stage NOT IN (SELECT DISTINCT stage FROM stage_history) GROUP BY ALL)
    WHERE month >= $start AND month <= $end
    GROUP BY ALL ORDER BY position, month{dim_cols}
    """
    return con.execute(sql, {"start": s, "end": e}).df()


def recycle_events(con, as_of: dt.date | None = None) -> pd.DataFrame:
    """Per month: items recycled, reactivated (re-entering any stage later) and the observed pool
    (recycled, not yet reactivated; expiry is not observable and is estimated separately)."""
    sql = f"""
    WITH v AS ({_REVISITS}),
    rec AS (SELECT date_trunc('month', resolved_at)::DATE AS month, count(*) AS n
            FROM v WHERE outcome = 'recycled' GROUP BY ALL),
    back AS (SELECT date_trunc('month', next_entered_at)::DATE AS month, count(*) AS n
             FROM v WHERE outcome = 'recycled' AND next_entered_at IS NOT NULL GROUP BY ALL),
    bounds AS (SELECT min(month) AS lo, max(month) AS hi FROM (FROM rec UNION ALL FROM back)),
    months AS (SELECT unnest(generate_series(lo, hi, INTERVAL 1 MONTH))::DATE AS month
               FROM bounds)
    SELECT m.month, coalesce(rec.n, 0) AS recycled, coalesce(back.n, 0) AS reactivated,
           sum(coalesce(rec.n, 0) - coalesce(back.n, 0)) OVER (ORDER BY m.month) AS pool_observed
    FROM months m LEFT JOIN rec USING (month) LEFT JOIN back USING (month)
    ORDER BY m.month
    """
    return con.execute(sql).df()


def recycle_ages(con, as_of: str | dt.date) -> pd.DataFrame:
    """Per age in months since recycling: items reactivated at that age, and items still waiting
    at the end of month ``as_of`` with that age (right-censored). An item recycled in month T
    has age k in month T + k; a reactivation in the same month counts as age 1."""
    m = month_start(as_of, "as_of")
    sql = f"""
    WITH v AS ({_REVISITS}), r AS (
        SELECT resolved_at, CASE WHEN next_entered_at < $next THEN next_entered_at END AS back
        FROM v WHERE outcome = 'recycled' AND resolved_at < $next)
    SELECT CASE WHEN back IS NULL THEN datediff('month', resolved_at, $month)
                ELSE greatest(1, datediff('month', resolved_at, back)) END AS age,
           count(back) AS reactivated, count(*) FILTER (WHERE back IS NULL) AS waiting
    FROM r GROUP BY ALL ORDER BY age
    """
    nxt = (pd.Timestamp(m) + pd.DateOffset(months=1)).date()
    return con.execute(sql, {"month": m, "next": nxt}).df()


def fit_recycle_rates(ages: pd.DataFrame) -> dict[str, float]:
    """Maximum-likelihood reactivation and expiry rates per month from ``recycle_ages``.

    The model's pool: each month a pool item is reactivated with probability rho, or else ages
    out with probability e; with theta = (1 - rho)(1 - e), an item is reactivated at age k with
    probability rho * theta**(k-1), and is still waiting at age c with probability
    S(c) = 1 - rho (1 - theta**c) / (1 - theta). Expiry is never observed; it shows as
    reactivations thinning out with age faster than rho alone explains.
    """
    if ages.empty or ages["reactivated"].sum() == 0:
        return {"reactivation": 0.0, "expiry": 0.0, "pool": 0.0, "pool_observed": 0.0}
    k = ages["age"].to_numpy(float)
    r = ages["reactivated"].to_numpy(float)
    w = ages["waiting"].to_numpy(float)

    def loglik(rho: np.ndarray, e: np.ndarray) -> np.ndarray:
        theta = (1 - rho) * (1 - e)
        km = np.maximum(k, 1)
        lr = np.log(rho) + (km - 1) * np.log(theta)
        surv = 1 - rho * (1 - theta**k) / (1 - theta)
        return (r * lr).sum(-1) + (w * np.log(np.maximum(surv, 1e-300))).sum(-1)

    lo_r, hi_r, lo_e, hi_e = 1e-4, 0.6, 0.0, 0.6
    for _ in range(4):  # coarse-to-fine grid
        rho = np.linspace(lo_r, hi_r, 121)[:, None, None]
        e = np.linspace(lo_e, hi_e, 121)[None, :, None]
        ll = loglik(rho, e)
        i, j = np.unravel_index(np.argmax(ll), ll.shape)
        br, be = float(rho[i, 0, 0]), float(e[0, j, 0])
        sr, se = (hi_r - lo_r) / 20, (hi_e - lo_e) / 20
        lo_r, hi_r = max(1e-6, br - sr), min(0.999, br + sr)
        lo_e, hi_e = max(0.0, be - se), min(0.999, be + se)
    theta = (1 - br) * (1 - be)
    surv = 1 - br * (1 - theta**k) / (1 - theta)
    pool = float((w * theta**k / np.maximum(surv, 1e-12)).sum())
    return {"reactivation": br, "expiry": be, "pool": pool, "pool_observed": float(w.sum())}


def source_feedback(con, start=None, end=None, by: str = "source") -> pd.DataFrame:
    """Feedback from downstream to upstream: per ``source`` (or segment/owner) of the items whose
    first visit fell in the window, how many were won, the win rate, days from first contact to
    the first win (mean, median), bookings, and marketing spend per win when spend is known."""
    return _feedback(con, start, end, (by,))[by]


def _feedback(con, start, end, by: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """``source_feedback`` for several dimensions from one per-item aggregation of the history
    (the costly part: one group per item), split by grouping sets."""
    s, e = _window(start, end)
    dims = list(dict.fromkeys(_dimension(b) for b in by))
    firsts = "".join(f", arg_min({d}, entered_at) AS {d}" for d in dims)
    which = " ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in dims)
    spend = "sp.spend" if "source" in dims else "NULL::DOUBLE"
    join = "LEFT JOIN spend sp ON __by = 'source' AND sp.source = g.source"
    join = join if "source" in dims else ""
    sql = f"""
    WITH terminal AS (SELECT stage FROM stage_design ORDER BY position DESC LIMIT 1),
    items AS (
        SELECT item_id, min(entered_at) AS first_at{firsts},
               min(entered_at) FILTER (WHERE stage = (FROM terminal)) AS won_at,
               sum(amount) FILTER (WHERE stage = (FROM terminal)) AS bookings
        FROM stage_history GROUP BY item_id),
    spend AS (SELECT source, sum(spend) AS spend FROM marketing_spend
              WHERE month >= $start AND month <= $end GROUP BY ALL),
    g AS (
        SELECT CASE {which} END AS __by, {", ".join(dims)}, count(*) AS items,
               count(won_at) AS won, count(won_at) / count(*) AS win_rate,
               avg(epoch(won_at - first_at) / 86400.0) AS days_to_win_mean,
               median(epoch(won_at - first_at) / 86400.0) AS days_to_win_median,
               coalesce(sum(bookings), 0) AS bookings
        FROM items
        WHERE first_at >= $start AND first_at < $end + INTERVAL 1 MONTH
        GROUP BY GROUPING SETS ({", ".join(f"({d})" for d in dims)}))
    SELECT g.*,
           CASE WHEN __by = 'source' THEN {spend} END AS spend,
           CASE WHEN __by = 'source' THEN {spend} / nullif(won, 0) END AS spend_per_win
    FROM g {join}
    ORDER BY __by, won DESC, {", ".join(dims)}
    """
    df = con.execute(sql, {"start": s, "end": e}).df()
    cols = ["items", "won", "win_rate", "days_to_win_mean", "days_to_win_median", "bookings",
            "spend", "spend_per_win"]  # fmt: skip
    return {d: df.loc[df["__by"] == d, [d, *cols]].reset_index(drop=True) for d in dims}


def subscription_rates(con, start=None, end=None) -> dict[str, float]:
    """Annual renewal (gross revenue retention) and expansion from terms ending in the window.

    renewal = MRR of ending terms followed by another term / MRR of all ending terms;
    expansion = (next MRR - MRR) / MRR over the renewed ones. Also the active base at the end.
    """
    s, e = _window(start, end)
    row = con.execute(
        """
        WITH t AS (
            SELECT customer_id, start_date, end_date, mrr,
                   lead(mrr) OVER (PARTITION BY customer_id ORDER BY start_date) AS next_mrr,
                   lead(start_date) OVER (PARTITION BY customer_id ORDER BY start_date) AS nxt
            FROM subscriptions)
        SELECT sum(mrr), sum(mrr) FILTER (WHERE nxt IS NOT NULL),
               sum(next_mrr) FILTER (WHERE nxt IS NOT NULL), count(*)
        FROM t WHERE end_date IS NOT NULL AND end_date >= $start
                 AND end_date < $end + INTERVAL 1 MONTH
        """,
        {"start": s, "end": e},
    ).fetchone()
    ending, kept, kept_next, n = (float(x or 0) for x in row)
    return {
        "renewal_rate": kept / ending if ending else 1.0,
        "expansion_rate": kept_next / kept - 1 if kept else 0.0,
        "terms_ending": int(n),
    }


def customer_base(con, as_of: dt.date) -> dict[str, float]:
    """Active customers and their MRR on ``as_of`` (a term covering that day)."""
    n, mrr = con.execute(
        """SELECT count(DISTINCT customer_id), coalesce(sum(mrr), 0) FROM subscriptions
           WHERE start_date <= $d AND (end_date IS NULL OR end_date > $d)""",
        {"d": as_of},
    ).fetchone()
    return {"count": int(n), "mrr": float(mrr)}


METRICS = {
    "stage_cohorts": lambda con, s, e: stage_cohorts(con, s, e),
    "stage_summary": lambda con, s, e: stage_summary(con, s, e),
    "stock": lambda con, s, e: stock(con, s, e),
    "arrivals": lambda con, s, e: arrivals(con, s, e, by=("source", "segment")),
    "recycle_pool": lambda con, s, e: recycle_events(con),
    "feedback_by_source": lambda con, s, e: source_feedback(con, s, e, "source"),
    "feedback_by_segment": lambda con, s, e: source_feedback(con, s, e, "segment"),
}
# tables computed together from one pass when all of them are asked for
_SHARED = {
    ("feedback_by_source", "feedback_by_segment"): lambda con, s, e: {
        f"feedback_by_{k}": v for k, v in _feedback(con, s, e, ("source", "segment")).items()
    },
}


def all_metrics(con, start=None, end=None, only: str | None = None) -> dict[str, pd.DataFrame]:
    """Every AsIs table at once (what the dashboard and the benchmark compute), or ``only``
    one of them: stage_cohorts, stage_summary, stock, arrivals (by source and segment),
    recycle_pool, feedback_by_source, feedback_by_segment."""
    names = list(METRICS) if only is None else [only]
    shared: dict[str, pd.DataFrame] = {}
    for group, fn in _SHARED.items():
        if all(n in names for n in group):
            shared.update(fn(con, start, end))
    return {n: shared[n] if n in shared else METRICS[n](con, start, end) for n in names}


# Text a spreadsheet would run as a formula (OWASP ASVS V1.2.10), as in the app's own exports
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")


def write_csv(table: pd.DataFrame, out) -> None:
    """``table`` as CSV for a spreadsheet: a text cell starting with = + - @ tab CR or NUL gets a
    ``'`` before it (numbers stay numbers), and rows end in CRLF, so that a cell holding a CR or
    LF is quoted and cannot start a row of its own."""

    def safe(v: object) -> object:
        return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v

    text = table.select_dtypes(include=["object", "string"]).columns
    safe_table = table.assign(**{c: table[c].map(safe).astype(object) for c in text})
    safe_table.columns = [safe(str(c)) for c in table.columns]
    safe_table.to_csv(out, index=False, lineterminator="\r\n")
