"""The actuals of a plan of record (spec v2 section 9, ``db.actuals``): the inflow, each stage's
rates and lags by the section 7 estimator, the deal size, wins and bookings per month and the
state at the end of the last closed month, read from the data as it stood then.

A hand-made funnel of six leads over three months gives every figure by hand; the sample
company's plan of record is checked against a rebuild and against its data."""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import pytest

from db import actuals as A
from db.errors import DataLayerError
from db.schema import create_schema, set_stage_design
from model import parse_scenario
from model.bridge import bridge, reforecast

STAGES = ["lead", "opportunity", "won"]
D = dt.datetime

# item, stage, entered, resolved, outcome, amount. Data ends 2025-03-31.
#   L1: lead Jan 5 → opportunity Jan 20 → won Feb 10 (¥1,000,000)
#   L2: lead Jan 10, lost Feb 3;  L3: lead Feb 1, disqualified Feb 15
#   L4: lead Feb 20, converted Mar 5 → opportunity Mar 5, open
#   L5: lead Mar 2, open;  L6: lead Jan 15, recycled Jan 25, back as a lead Mar 10, open
ROWS = [
    ("L1", "lead", D(2025, 1, 5), D(2025, 1, 20), "converted", None),
    ("L1", "opportunity", D(2025, 1, 20), D(2025, 2, 10), "converted", None),
    ("L1", "won", D(2025, 2, 10), None, "open", 1_000_000.0),
    ("L2", "lead", D(2025, 1, 10), D(2025, 2, 3), "lost", None),
    ("L3", "lead", D(2025, 2, 1), D(2025, 2, 15), "disqualified", None),
    ("L4", "lead", D(2025, 2, 20), D(2025, 3, 5), "converted", None),
    ("L4", "opportunity", D(2025, 3, 5), None, "open", None),
    ("L5", "lead", D(2025, 3, 2), None, "open", None),
    ("L6", "lead", D(2025, 1, 15), D(2025, 1, 25), "recycled", None),
    ("L6", "lead", D(2025, 3, 10), None, "open", None),
]
# C0 a customer from before (churned Feb 15), C1 the win of L1 (billed from March)
SUBSCRIPTIONS = [
    ("C0", None, dt.date(2024, 6, 1), dt.date(2025, 2, 15), 50_000.0),
    ("C1", "L1", dt.date(2025, 3, 1), None, 83_000.0),
]
PLAN = {
    "schema": 1, "name": "plan of record", "start": "2025-01", "months": 6,
    "stages": [
        {"key": "lead", "owner": "marketing", "conversion": 0.3, "disqualify": 0.2,
         "recycle": 0.1, "lag": 0.5},
        {"key": "opportunity", "owner": "inside_sales", "conversion": 0.5, "lag": 1.0},
        {"key": "won", "owner": "field_sales"},
    ],
    "opening": {"lead": 1}, "deal": {"size": 900_000, "revenue": "subscription"},
    "inflow": 3,
}  # fmt: skip


def _funnel(rows=ROWS, subscriptions=SUBSCRIPTIONS) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_schema(con)
    set_stage_design(con, STAGES)
    con.executemany(
        "INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome, amount) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [list(r) for r in rows],
    )
    con.executemany(
        "INSERT INTO subscriptions (customer_id, item_id, start_date, end_date, mrr) "
        "VALUES (?, ?, ?, ?, ?)",
        [list(r) for r in subscriptions],
    )
    return con


@pytest.fixture
def funnel():
    con = _funnel()
    yield con
    con.close()


def test_three_closed_months_by_hand(funnel):
    a = A.actuals(funnel, PLAN, 3)
    assert a.month_labels == ("2025-01", "2025-02", "2025-03")
    assert a.inflow == (3.0, 2.0, 1.0)  # L6's return in March is an arrival, not inflow
    assert a.arrivals == {"lead": (3.0, 2.0, 2.0), "opportunity": (1.0, 0.0, 1.0),
                          "won": (0.0, 1.0, 0.0)}  # fmt: skip
    assert a.wins == (0.0, 1.0, 0.0) and a.bookings == (0.0, 1_000_000.0, 0.0)
    assert a.deal_size == 1_000_000.0
    assert a.totals() == {"wins": 1.0, "bookings": 1_000_000.0, "revenue": 133_000.0}
    assert a.revenue == (50_000.0, 0.0, 83_000.0)  # MRR at each month's end
    assert a.customers == (1.0, 0.0, 1.0)
    assert a.stock == {"lead": 2.0, "opportunity": 1.0}  # L5, L6 again; L4's opportunity
    assert (a.customers_end, a.mrr_end) == (1.0, 83_000.0)
    assert a.basis == {"lead": "history", "opportunity": "history"}
    # opportunities: L1's (won at age 1) and L4's (open at age 0: censored) -> all converted
    assert a.stages["opportunity"] == {"conversion": 1.0, "disqualify": 0.0, "recycle": 0.0,
                                       "lag": 1.0}  # fmt: skip


def test_the_data_is_read_as_it_stood_at_the_end_of_the_last_closed_month(funnel):
    """Two closed months: L4's conversion in March is not known yet (it is open at age 0,
    censored), L5 and L6's return have not happened, and the lead shares are Aalen–Johansen's:
    at age 0 five leads, of which L1 converted, L6 recycled, L3 disqualified and L4 censored;
    at age 1 L2 alone, lost."""
    a = A.actuals(funnel, PLAN, 2)
    assert a.inflow == (3.0, 2.0) and a.arrivals["lead"] == (3.0, 2.0)
    assert a.arrivals["opportunity"] == (1.0, 0.0)
    lead = a.stages["lead"]
    for name, value in {"conversion": 0.2, "disqualify": 0.2, "recycle": 0.2, "lag": 0.4}.items():
        assert math.isclose(lead[name], value, abs_tol=1e-6), (name, lead)
    assert a.evidence["lead"]["censored"] == 1
    assert a.stock == {"lead": 1.0}  # L4, still a lead at the end of February
    assert (a.customers_end, a.mrr_end) == (0.0, 0.0)  # C0 churned, C1 not yet billed


def test_fewer_closed_months_equal_the_data_cut_at_that_month(funnel):
    """actuals over k months of the whole history = actuals over the history as it was at the
    end of month k−1 (written out by hand): nothing later leaks in."""
    cut = [
        ("L1", "lead", D(2025, 1, 5), D(2025, 1, 20), "converted", None),
        ("L1", "opportunity", D(2025, 1, 20), D(2025, 2, 10), "converted", None),
        ("L1", "won", D(2025, 2, 10), None, "open", 1_000_000.0),
        ("L2", "lead", D(2025, 1, 10), D(2025, 2, 3), "lost", None),
        ("L3", "lead", D(2025, 2, 1), D(2025, 2, 15), "disqualified", None),
        ("L4", "lead", D(2025, 2, 20), None, "open", None),
        ("L6", "lead", D(2025, 1, 15), D(2025, 1, 25), "recycled", None),
    ]
    then = _funnel(cut, SUBSCRIPTIONS[:1])
    try:
        assert A.actuals(funnel, PLAN, 2).to_dict() == A.actuals(then, PLAN, 2).to_dict()
    finally:
        then.close()


def test_actuals_feed_the_bridge_and_the_reforecast(funnel):
    plan = parse_scenario(PLAN)
    a = A.actuals(funnel, PLAN, 3)
    actual = a.scenario(plan)
    assert list(actual.inflow_base()) == [3.0, 2.0, 1.0]
    assert float(actual.deal.size) == 1_000_000.0
    b = bridge(plan, actual, 3)
    assert math.isclose(sum(b.effects), b.model - b.plan, rel_tol=1e-12, abs_tol=1e-6)
    state = a.state()
    assert (state.months, state.wins, state.bookings) == (3, 1.0, 1_000_000.0)
    assert dict(state.stock) == {"lead": 2.0, "opportunity": 1.0}
    rf = reforecast(plan, state)
    assert rf.rest.months[0] == "2025-04" and len(rf.rest.months) == 3
    assert rf.outlook["bookings"] == 1_000_000.0 + rf.rest.totals["bookings"]


def test_months_with_data(funnel):
    assert A.months_with_data(funnel, "2025-01", 6) == 3
    assert A.months_with_data(funnel, "2025-02", 12) == 2
    assert A.months_with_data(funnel, "2025-01", 2) == 2
    assert A.months_with_data(funnel, "2025-04", 12) == 0  # the data ends before the plan
    assert A.months_with_data(funnel, "2024-12", 12) == 0  # no actuals for its first month


def test_what_is_refused(funnel):
    with pytest.raises(ValueError, match="months closed"):
        A.actuals(funnel, PLAN, 0)
    with pytest.raises(ValueError, match="months closed"):
        A.actuals(funnel, PLAN, 7)
    other = {**PLAN, "stages": [{"key": "lead"}, {"key": "won"}]}
    with pytest.raises(ValueError, match="stages"):
        A.actuals(funnel, other, 1)
    with pytest.raises(DataLayerError) as err:  # March's leads (L5, L6 again) are all open
        A.actuals(funnel, {**PLAN, "start": "2025-03"}, 1)
    assert err.value.code == "no_resolved_items"
    assert (err.value.params["stage"], err.value.params["start"]) == ("lead", "2025-03")


# ----- the sample company ----------------------------------------------------------------------
def test_the_shipped_plan_of_record_is_rebuilt_from_the_sample(sample_con):
    """data/sample_plan_of_record.json is what the data gives (python -m data.plan_of_record):
    the FY2025 plan from the year before, with its stretch target."""
    shipped = A.sample_plan_of_record()
    assert A.build_sample_plan_of_record(sample_con) == shipped
    assert (shipped["start"], shipped["months"]) == ("2025-04", 12)
    assert shipped["notes"]["baseline"]["window"] == ["2024-04", "2025-03"]
    assert shipped["target"] == {"metric": "bookings", "total": 6_900_000_000.0}
    parse_scenario(shipped)
    assert A.months_with_data(sample_con, shipped["start"], shipped["months"]) == 12


def test_the_sample_year_of_actuals(sample_con):
    """The whole FY2025: visitors are monthly counts (rates by count, say so), wins and
    bookings are the won rows of the year, the state at its end is the one the FY2026 baseline
    opens with."""
    from db.sample import sample_scenario

    a = A.actuals(sample_con, A.sample_plan_of_record(), 12)
    visitors = sample_con.execute(
        "SELECT sum(arrivals) FROM stage_counts WHERE stage = 'visitor' "
        "AND month >= DATE '2025-04-01' AND month < DATE '2026-04-01' GROUP BY month ORDER BY month"
    ).fetchall()
    assert list(a.inflow) == [float(v) for (v,) in visitors]
    won = sample_con.execute(
        "SELECT count(*), sum(amount) FROM stage_history WHERE stage = 'won' "
        "AND entered_at >= DATE '2025-04-01' AND entered_at < DATE '2026-04-01'"
    ).fetchone()
    assert sum(a.wins) == won[0] and math.isclose(sum(a.bookings), won[1], rel_tol=1e-12)
    assert math.isclose(a.deal_size, won[1] / won[0], rel_tol=1e-12)
    fy26 = sample_scenario()
    assert a.stock == fy26["opening"]
    assert math.isclose(a.pool, fy26["recycle"]["opening"], abs_tol=0.05)
    assert a.customers_end == fy26["customers"]["opening_count"]
    assert round(a.mrr_end) == fy26["customers"]["opening_mrr"]
    assert a.estimated == {"rates:visitor": "counts", "pool": "fitted_expiry"}
    assert a.basis["visitor"] == "counts" and a.basis["opportunity"] == "history"


def test_wins_without_amounts_are_counted_and_say_so():
    rows = [r if r[1] != "won" else (*r[:5], None) for r in ROWS]
    con = _funnel(rows)
    try:
        a = A.actuals(con, PLAN, 3)
    finally:
        con.close()
    assert a.wins == (0.0, 1.0, 0.0) and a.bookings == (0.0, 0.0, 0.0)
    assert a.deal_size == 0.0 and a.estimated["deal_size"] == "no_amounts"
