"""The data-quality report: what in the imported history would mislead the AsIs metrics.

Checks: items that skip stages, dates out of order, duplicate rows, stages whose arrivals rise
down the funnel, open items older than a limit, stage values nobody mapped, dates outside a
plausible window (before 1990, or more than a year after today: a year typed 2099 or 0001).

Then the numbers that lie (tests against sampling error, issue 14): a stage whose
conversion or lag jumps between months (a definition changed), owners far from their team,
owners who close many items within a day of creating them, items lost the day they arrived, and
open items that never moved. Each of those findings carries ``params``: how many items, which
months and owners, and what it does to the baseline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from db.imports.load import EARLIEST_DATE, LATEST_DAYS_AHEAD
from db.lies import LIES, find_lies

# the dates the import warns of (``implausible_dates``), as SQL over a column
_IMPLAUSIBLE = (
    f"({{c}} < DATE '{EARLIEST_DATE.isoformat()}' "
    f"OR {{c}} > current_date + INTERVAL {LATEST_DAYS_AHEAD} DAY)"
)


@dataclass(frozen=True)
class Finding:
    """One check: how many rows or items it found, a sentence, and up to 20 examples."""

    check: str
    count: int
    message: str
    examples: pd.DataFrame
    params: dict = field(default_factory=dict)  # the numbers that lie: ``hits``, one per finding


_ORDERED = """
    SELECT h.item_id, h.stage, h.entered_at, h.resolved_at, h.outcome, d.position,
           lag(d.position) OVER w AS prev_position, lag(h.stage) OVER w AS prev_stage,
           lag(h.outcome) OVER w AS prev_outcome, lag(h.entered_at) OVER w AS prev_entered
    FROM stage_history h JOIN stage_design d USING (stage)
    WINDOW w AS (PARTITION BY h.item_id ORDER BY h.entered_at, d.position)
"""

CHECKS: dict[str, tuple[str, str]] = {
    "skipped_stages": (
        f"""WITH o AS ({_ORDERED})
        SELECT item_id, prev_stage AS from_stage, stage AS to_stage, entered_at FROM o
        WHERE prev_position IS NOT NULL AND position > prev_position + 1
        UNION ALL
        SELECT item_id, NULL, stage, entered_at FROM o
        WHERE prev_position IS NULL AND position > (
            SELECT min(position) FROM stage_design
            WHERE stage IN (SELECT DISTINCT stage FROM stage_history))""",
        "items that skip a stage (entered a later stage without passing the one before)",
    ),
    "dates_out_of_order": (
        f"""WITH o AS ({_ORDERED})
        SELECT item_id, stage, entered_at, resolved_at, 'resolved before entered' AS problem
        FROM stage_history WHERE resolved_at < entered_at
        UNION ALL
        SELECT item_id, stage, entered_at, prev_entered, 'entered before the stage above'
        FROM o WHERE position > prev_position AND entered_at < prev_entered""",
        "rows whose dates are out of order",
    ),
    "duplicates": (
        """SELECT item_id, stage, entered_at, count(*) AS rows FROM stage_history
        GROUP BY ALL HAVING count(*) > 1""",
        "duplicate rows (same item, stage and entry time)",
    ),
    "rising_counts": (
        """WITH a AS (
            SELECT stage, count(*) AS n FROM stage_history GROUP BY stage
            UNION ALL SELECT stage, sum(arrivals) FROM stage_counts
            WHERE stage NOT IN (SELECT DISTINCT stage FROM stage_history) GROUP BY stage),
        s AS (SELECT d.position, d.stage, sum(a.n) AS arrivals FROM stage_design d
              JOIN a USING (stage) GROUP BY ALL)
        SELECT prev.stage AS upper_stage, prev.arrivals AS upper_arrivals,
               s.stage AS lower_stage, s.arrivals AS lower_arrivals
        FROM s JOIN s prev ON prev.position = s.position - 1
        WHERE s.arrivals > prev.arrivals""",
        "stages with more arrivals than the stage above them",
    ),
    "stale_open": (
        """SELECT item_id, stage, entered_at,
                  datediff('day', entered_at, $as_of) AS days_open
        FROM stage_history WHERE outcome = 'open'
          AND entered_at < $as_of - to_days(CAST($days AS INTEGER))""",
        "open items older than the limit (likely lost without being closed)",
    ),
    "unmapped_stages": (
        """SELECT stage, any_value(raw_stage) AS raw_value, count(*) AS rows, 'stage_history' AS tab
        FROM stage_history WHERE stage NOT IN (SELECT stage FROM stage_design) GROUP BY stage
        UNION ALL
        SELECT stage, stage, count(*), 'stage_counts' FROM stage_counts
        WHERE stage NOT IN (SELECT stage FROM stage_design) GROUP BY stage""",
        "stage values nobody mapped to a stage of the design",
    ),
    "implausible_dates": (
        f"""SELECT item_id, stage, 'entered_at' AS "column", entered_at AS value
        FROM stage_history WHERE {_IMPLAUSIBLE.format(c="entered_at")}
        UNION ALL
        SELECT item_id, stage, 'resolved_at', resolved_at FROM stage_history
        WHERE {_IMPLAUSIBLE.format(c="resolved_at")}
        UNION ALL
        SELECT NULL, stage, 'month', month FROM stage_counts
        WHERE {_IMPLAUSIBLE.format(c="month")}""",
        "dates before 1990 or more than a year ahead (a mistyped year)",
    ),
}


def quality_report(
    con: duckdb.DuckDBPyConnection, *, open_days: int = 180, as_of: dt.datetime | None = None
) -> list[Finding]:
    """Run every check; ``as_of`` (default: the latest date in the history) and ``open_days``
    set the age limit of open items."""
    if as_of is None:  # a date years ahead (a mistyped year) would make every open item stale
        entered, resolved = (_IMPLAUSIBLE.format(c=c) for c in ("entered_at", "resolved_at"))
        as_of = con.execute(
            f"SELECT greatest(max(entered_at) FILTER (WHERE NOT {entered}), "
            f"max(resolved_at) FILTER (WHERE NOT {resolved})) FROM stage_history"
        ).fetchone()[0] or dt.datetime(2000, 1, 1)
    out = []
    for check, (sql, what) in CHECKS.items():
        params = {"as_of": as_of, "days": int(open_days)} if check == "stale_open" else {}
        counted = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
        examples = con.execute(f"SELECT * FROM ({sql}) LIMIT 20", params).df()
        if check == "rising_counts":
            count = int(counted)
        elif check in ("skipped_stages", "stale_open"):
            count = int(
                con.execute(f"SELECT count(DISTINCT item_id) FROM ({sql})", params).fetchone()[0]
            )
        else:
            count = int(counted)
        msg = f"{count} {what}" if count else f"no {what}"
        if check == "stale_open":
            msg += f" (limit {open_days} days before {as_of:%Y-%m-%d})"
        out.append(Finding(check, count, msg, examples))
    for check, hits in find_lies(con, as_of=as_of, open_days=int(open_days)).items():
        what = LIES[check]
        msg = f"{len(hits)} {what}" if hits else f"no {what}"
        examples = pd.DataFrame([_flat(h) for h in hits])
        out.append(Finding(check, len(hits), msg, examples, {"hits": hits}))
    return out


def _flat(hit: dict) -> dict:
    """A hit as a table row: its lists of months or owners as ``name (items), ...``, p-values in
    two significant figures (``3.1e-90``), other fractions to four decimals."""

    def cell(k: str, v):
        if isinstance(v, list):
            return ", ".join(f"{m['name']} ({m['items']})" for m in v)
        if isinstance(v, float):
            return f"{v:.2g}" if k in ("p", "p_adjusted") else round(v, 4)
        return v

    return {k: cell(k, v) for k, v in hit.items()}


def quality_frame(findings: list[Finding]) -> pd.DataFrame:
    """The report as a table: check, count, message."""
    return pd.DataFrame([(f.check, f.count, f.message) for f in findings],
                        columns=["check", "count", "message"])  # fmt: skip
