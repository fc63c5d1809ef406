"""AsIs metrics recover the sample generator's true parameters; the baseline backtest holds."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

import tests.db.helpers as h
from db import metrics
from db.baseline import backtest, backtest_verdict, build_baseline, default_window
from db.errors import DataLayerError
from db.imports import import_file
from db.sample import SAMPLE_DIR, SAMPLE_WINDOW
from model import parse_scenario, run_plan

TRUTH = json.loads((SAMPLE_DIR / "truth.json").read_text())


def _within(p_hat: float, p: float, n: float, z: float = 4.0) -> bool:
    return abs(p_hat - p) <= z * math.sqrt(p * (1 - p) / n) + 1e-9


def test_lead_outcomes_by_source_recover_the_truth(sample_con):
    s = metrics.stage_summary(sample_con, by="source")
    leads = s[s["stage"] == "lead"].set_index("source")
    assert set(leads.index) == set(TRUTH["sources"])
    for source, t in TRUTH["sources"].items():
        row = leads.loc[source]
        for col, key in (("conversion", "conversion"), ("disqualify", "disqualify"),
                         ("recycle", "recycle"), ("lost_share", "lost")):  # fmt: skip
            assert _within(row[col], t["lead"][key], row["resolved"]), (source, key, row[col])


def test_opportunity_outcomes_by_segment_recover_the_truth(sample_con):
    s = metrics.stage_summary(sample_con, by="segment")
    opp = s[s["stage"] == "opportunity"].set_index("segment")
    for seg, t in TRUTH["segments"].items():
        row = opp.loc[seg]
        for col, key in (("conversion", "conversion"), ("disqualify", "disqualify"),
                         ("recycle", "recycle")):  # fmt: skip
            assert _within(row[col], t["opportunity"][key], row["resolved"]), (seg, key)
        # mean lag in days: censoring at the data's end shortens it a little
        assert row["lag_mean_days"] == pytest.approx(t["lag_days"], rel=0.1)


def test_visitor_conversion_and_recycle_rates(sample_con):
    s = metrics.stage_summary(sample_con, by="source")
    vis = s[s["stage"] == "visitor"]
    assert len(vis) == 1  # visitors are aggregated counts: pooled over sources
    expected = sum(t["lead_share"] for t in TRUTH["sources"].values()) / sum(
        t["lead_share"] / t["visitor_conversion"] for t in TRUTH["sources"].values()
    )
    assert vis["conversion"].iloc[0] == pytest.approx(expected, rel=0.03)
    fit = metrics.fit_recycle_rates(metrics.recycle_ages(sample_con, "2026-03"))
    assert fit["reactivation"] == pytest.approx(TRUTH["reactivation"], abs=0.01)
    assert fit["expiry"] == pytest.approx(TRUTH["expiry"], abs=0.015)


def test_stock_is_arrivals_minus_resolutions(sample_con):
    st = metrics.stock(sample_con)
    lead = st[st["stage"] == "lead"]
    assert (lead["stock"] == (lead["arrivals"] - lead["resolved"]).cumsum()).all()
    (open_now,) = sample_con.execute(
        "SELECT count(*) FROM stage_history WHERE stage = 'lead' AND outcome = 'open'"
    ).fetchone()
    assert lead["stock"].iloc[-1] == open_now


def test_feedback_by_source_and_arrivals_by_segment(sample_con):
    fb = metrics.source_feedback(sample_con).set_index("source")
    assert (fb["win_rate"] > 0).all() and fb["won"].sum() > 1000
    # referral leads convert best, exhibition leads worst (the generator's quality ranking)
    assert fb["win_rate"].idxmax() == "referral" and fb["win_rate"].idxmin() == "exhibition"
    assert (fb["spend_per_win"] > 0).all()
    arr = metrics.arrivals(sample_con, "2025-04", "2025-04", by=("source", "segment"))
    lead = arr[arr["stage"] == "lead"]
    (n,) = sample_con.execute(
        "SELECT count(*) FROM stage_history WHERE stage = 'lead' AND entered_at >= ? "
        "AND entered_at < ?",
        [dt.datetime(2025, 4, 1), dt.datetime(2025, 5, 1)],
    ).fetchone()
    assert lead["arrivals"].sum() == n and lead["reentered"].sum() > 0


def test_baseline_backtest_reproduces_monthly_arrivals(sample_con):
    bt = backtest(sample_con)  # the last 12 months, run from their start with actual inflow
    assert len(bt) == 4 * 12
    for stage, g in bt.groupby("stage"):
        total = g["planned"].sum() / g["actual"].sum() - 1
        assert abs(total) < 0.01, (stage, total)
        # once the opening stock has run off (spread over ceil(lag) months, spec section 3)
        assert g["error"].iloc[3:].abs().mean() < 0.10, (stage, g["error"].abs().mean())
    # the opportunities' lag of 2.006 months spreads their opening stock over 3 months while the
    # window's first arrivals come 2 months later: wins in the third month are 79% over
    verdict = backtest_verdict(bt, "visitor")
    assert [k for k, v in verdict["stages"].items() if not v["trusted"]] == ["won"]
    assert [(r["code"], r["params"]["month"]) for r in verdict["stages"]["won"]["reasons"]] == [
        ("month_off", "2025-06")
    ]


def test_baseline_is_a_valid_scenario_from_any_window(sample_con):
    sc = build_baseline(sample_con, "2024-10", "2025-09", plan_start="2025-10", horizon=6)
    assert sc["start"] == "2025-10" and sc["months"] == 6
    plan = run_plan(parse_scenario(sc)).to_dict()
    assert len(plan["wins"]) == 6 and plan["totals"]["wins"] > 0
    with pytest.raises(Exception, match="before it starts"):
        build_baseline(sample_con, "2025-09", "2025-01")


# ----- the default window ------------------------------------------------------------------------
def test_default_window_is_the_last_twelve_months_of_the_sample(sample_con):
    assert default_window(sample_con) == (dt.date(2025, 4, 1), dt.date(2026, 3, 1))
    assert tuple(f"{d:%Y-%m}" for d in default_window(sample_con)) == SAMPLE_WINDOW
    assert default_window(sample_con, months=3) == (dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    # a longer window than the data is clipped at its first month
    assert default_window(sample_con, months=60)[0] == metrics.data_months(sample_con)[0]


def test_default_window_ends_with_the_last_arrivals_into_the_first_stage(con):
    # visitors (the first stage) in April and May, opportunities in June
    import_file(con, h.csv_bytes(h.COUNTS_JA), "monthly_counts", name="c.csv")
    assert metrics.data_months(con) == (dt.date(2024, 4, 1), dt.date(2024, 6, 1))
    assert default_window(con) == (dt.date(2024, 4, 1), dt.date(2024, 5, 1))


def test_default_window_of_data_without_the_first_stage_ends_with_the_data(con):
    rows = [["month", "stage", "count"], ["2024-04", "lead", "5"], ["2024-07", "lead", "6"]]
    import_file(con, h.csv_bytes(rows), "monthly_counts", name="c.csv")
    assert default_window(con, months=2) == (dt.date(2024, 6, 1), dt.date(2024, 7, 1))


def test_default_window_of_an_empty_database_says_so(con):
    with pytest.raises(DataLayerError, match="no funnel data"):
        default_window(con)


def test_a_backtest_the_model_refuses_is_a_data_layer_error_with_the_models_reason(
    sample_con, monkeypatch
):
    """The Data page catches data-layer errors only: a ScenarioError escaping the backtest
    crashed it. It now arrives as ``scenario_invalid`` with the model's error as its cause."""
    import db.baseline as b

    real = b.build_baseline

    def broken(*args, **kwargs):
        scenario = real(*args, **kwargs)
        scenario["stages"][0]["conversion"] = 1.5  # more than 100%
        return scenario

    monkeypatch.setattr(b, "build_baseline", broken)
    with pytest.raises(DataLayerError) as err:
        backtest(sample_con, *SAMPLE_WINDOW)
    assert err.value.code == "scenario_invalid"
    cause = err.value.__cause__
    assert err.value.params == {"field": cause.field, "reason": cause.reason}
    assert "conversion" in cause.field
