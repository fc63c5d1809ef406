"""The AsIs baseline of spec v2 section 7: Aalen–Johansen shares and lags with open items
censored, stale open items set aside (or counted lost), undated resolved items out of the lag,
and what each figure rests on kept in the scenario's notes.

The estimator is checked three ways: on a synthetic CRM export with known true shares and lags
(``tests/db/synthetic.py``), against the v1 plain shares and mean age where nothing is open, and
against the spec's per-age loop written literally in plain Python over the raw rows."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from db import metrics, outcomes
from db.baseline import backtest, backtest_verdict, build_baseline
from db.errors import BASELINE_WARNINGS, BaselineWarning, DataLayerError
from db.schema import create_schema, set_stage_design
from model import parse_scenario, run_plan
from tests.db import synthetic as syn

TRUTH = syn.truth()
Z = 4.0  # sampling errors a recovered figure may be off by
SHARE_KEYS = {"converted": "conversion", "disqualified": "disqualify"}


def _synthetic(seed: int = 7, never_close: float = syn.NEVER_CLOSE) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_schema(con)
    syn.load(con, syn.export(seed, never_close=never_close))
    return con


@pytest.fixture(scope="module")
def synthetic():
    con = _synthetic()
    yield con
    con.close()


def _assert_recovers_the_truth(stage: dict, used: int) -> None:
    for outcome, field in SHARE_KEYS.items():
        p = TRUTH[outcome]
        assert abs(stage[field] - p) <= Z * math.sqrt(p * (1 - p) / used), (outcome, stage)
    assert abs(stage["lag"] - TRUTH["lag"]) <= Z * TRUTH["lag_sd"] / math.sqrt(used), stage


# ----- a synthetic export with known truth --------------------------------------------------------
@pytest.mark.parametrize("seed", [7, 8, 9])
def test_synthetic_export_without_stale_items_recovers_true_shares_and_lag(seed):
    """15% of the deals never close; the user sets stale_after past the window's oldest cohort, so
    every open deal is censored. v1 gave a 0.28 win rate and a 1.08-month lag (true 0.30, 1.19):
    the deals still open are the slow ones."""
    con = _synthetic(seed)
    sc = build_baseline(con, *syn.WINDOW, stale_after=syn.MONTHS, with_backtest=False)
    notes = sc["notes"]["baseline"]["stages"]["opportunity"]
    n_open = con.execute("SELECT count(*) FROM stage_history WHERE outcome = 'open' "
                         "AND stage = 'opportunity'").fetchone()[0]  # fmt: skip
    assert notes["stale"] == 0 and notes["censored"] == n_open > 1500
    assert notes["used"] == notes["entered"] == syn.MONTHS * syn.PER_MONTH
    _assert_recovers_the_truth(sc["stages"][0], notes["resolved"])
    assert sc["opening"]["opportunity"] == n_open


@pytest.mark.parametrize("seed", [7, 8])
def test_synthetic_export_with_no_never_closing_deals_recovers_the_truth_with_defaults(seed):
    con = _synthetic(seed, never_close=0.0)
    sc = build_baseline(con, *syn.WINDOW, with_backtest=False)
    notes = sc["notes"]["baseline"]["stages"]["opportunity"]
    assert notes["stale_after"] == 6  # twice the 95th percentile (3 months) of dated ages
    _assert_recovers_the_truth(sc["stages"][0], notes["resolved"])


@pytest.mark.xfail(
    strict=True,
    reason="spec v2 section 7 leaves stale open items out of the risk sets instead of censoring "
    "them: the young never-closing deals still in the risk sets dilute the early hazards only, so "
    "the default estimate leans to the slow outcome (won 0.345 vs 0.30, lag 1.58 vs 1.19 months)",
)
def test_synthetic_export_recovers_the_truth_with_the_default_stale_rule(synthetic):
    sc = build_baseline(synthetic, *syn.WINDOW, with_backtest=False)
    _assert_recovers_the_truth(
        sc["stages"][0], sc["notes"]["baseline"]["stages"]["opportunity"]["resolved"]
    )


def test_stale_deals_are_set_aside_reported_and_left_out_of_the_opening_stock(synthetic):
    sc = build_baseline(synthetic, *syn.WINDOW, with_backtest=False)
    notes = sc["notes"]["baseline"]["stages"]["opportunity"]
    end = outcomes.data_end(synthetic)
    ages = synthetic.execute(
        "SELECT datediff('month', entered_at, ?) FROM stage_history "
        "WHERE stage = 'opportunity' AND outcome = 'open'",
        [end],
    ).fetchall()
    stale = sum(1 for (a,) in ages if a > notes["stale_after"])
    assert notes["stale"] == stale > 500
    assert notes["censored"] == len(ages) - stale
    assert notes["used"] == notes["entered"] - stale
    assert sc["opening"]["opportunity"] == len(ages) - stale
    # counted as lost instead: a lower win rate and a longer lag, and in the stock until then
    lost = build_baseline(synthetic, *syn.WINDOW, stale_as_lost=True, with_backtest=False)
    assert lost["notes"]["baseline"]["stale_as_lost"] is True
    assert lost["notes"]["baseline"]["stages"]["opportunity"]["used"] == notes["entered"]
    assert lost["stages"][0]["conversion"] < sc["stages"][0]["conversion"]
    assert lost["stages"][0]["lag"] > sc["stages"][0]["lag"]
    assert lost["opening"] == sc["opening"]  # every stale deal is lost by the window's end


def test_stale_after_is_twice_the_nearest_rank_95th_percentile_and_at_least_3():
    assert outcomes.nearest_rank(pd.Series([1, 2, 3, 4]).to_numpy(), pd.Series([1, 1, 1, 1])
                                 .to_numpy(), 0.95) == 4  # fmt: skip
    # 20 ages 0..19 once each: rank ceil(0.95 * 20) = 19 -> the 19th smallest, 18
    ages = pd.Series(range(20)).to_numpy()
    ones = pd.Series([1] * 20).to_numpy()
    assert outcomes.nearest_rank(ages, ones, 0.95) == 18
    assert outcomes.default_stale_after(ages, ones) == 36
    assert outcomes.default_stale_after(pd.Series([0, 1]).to_numpy(),
                                        pd.Series([90, 10]).to_numpy()) == 3  # fmt: skip
    assert outcomes.default_stale_after(pd.Series([], dtype=int).to_numpy(),
                                        pd.Series([], dtype=int).to_numpy()) == 3  # fmt: skip


# ----- nothing open: exactly v1 -------------------------------------------------------------------
def test_with_no_open_items_the_estimate_is_the_plain_shares_and_mean_age():
    """The synthetic export without its open deals: the v1 shares and mean age, and the v1
    baseline's figures to the digit."""
    history = syn.export(8, never_close=0.0)
    con = duckdb.connect()
    create_schema(con)
    syn.load(con, history[history["outcome"] != "open"])
    est = outcomes.stage_estimates(con, *syn.WINDOW)["opportunity"]
    plain = metrics.stage_summary(con, *syn.WINDOW).set_index("stage").loc["opportunity"]
    assert plain["open"] == 0 and est.censored == est.stale == est.undated == 0
    assert est.used == est.resolved == plain["resolved"] > 8000
    for outcome, col in zip(outcomes.OUTCOMES, ("conversion", "disqualify", "recycle",
                            "lost_share"), strict=True):  # fmt: skip
        assert est.shares[outcome] == pytest.approx(plain[col], rel=1e-12, abs=1e-15)
    assert est.lag == pytest.approx(plain["lag_months"], rel=1e-12)
    sc = build_baseline(con, *syn.WINDOW, with_backtest=False)["stages"][0]
    assert (sc["conversion"], sc["disqualify"], sc["lag"]) == (
        round(plain["conversion"], 6),
        round(plain["disqualify"], 6),
        round(plain["lag_months"], 4),
    )


# ----- the spec's per-age loop, literally ---------------------------------------------------------
def _months(a: dt.datetime, b: dt.datetime) -> int:
    """Calendar-month boundaries crossed from a to b."""
    return (b.year - a.year) * 12 + b.month - a.month


def literal_estimate(rows, end, stale_after, stale_as_lost):
    """Spec section 7 read line by line over (entered_at, resolved_at, outcome) rows of one
    stage, with plain Python: returns shares by outcome, the lag, and the counts."""
    dated, undated, censored, stale = [], [], [], 0
    for entered, resolved, outcome in rows:
        if resolved is not None and resolved < entered:
            continue  # resolved before it entered: left out
        if outcome == "open":
            age = _months(entered, end)
            if age > stale_after:
                stale += 1
                if stale_as_lost:
                    dated.append((stale_after + 1, "lost"))
            else:
                censored.append(age)
        elif resolved is None:
            undated.append(outcome)
        else:
            dated.append((_months(entered, resolved), outcome))
    top = max([a for a, _ in dated] + censored + [0])
    surv_before = 1.0  # S(a - 1)
    F = dict.fromkeys(outcomes.OUTCOMES, 0.0)
    lag_sum = 0.0
    for a in range(top + 1):
        n = sum(1 for r, _ in dated if r >= a) + sum(1 for c in censored if c >= a)
        h = {k: (sum(1 for r, o in dated if r == a and o == k) / n if n else 0.0) for k in F}
        for k in F:
            F[k] += surv_before * h[k]
            lag_sum += a * surv_before * h[k]
        surv_before *= 1 - sum(h.values())
    N, U = len(dated), len(undated)
    total = sum(F.values())
    if N:
        shares = {k: (N * F[k] / total + undated.count(k)) / (N + U) for k in F}
        lag = lag_sum / total
    else:
        shares = {k: undated.count(k) / U for k in F}
        lag = 0.0
    return shares, lag, {"censored": len(censored), "stale": stale, "undated": U}


def _compare_with_the_literal_loop(con, start, end, stale_after, stale_as_lost, stage):
    got = outcomes.stage_estimates(con, start, end, stale_after=stale_after,
                                   stale_as_lost=stale_as_lost)[stage]  # fmt: skip
    rows = con.execute(
        "SELECT entered_at, resolved_at, outcome FROM stage_history WHERE stage = ? "
        "AND entered_at >= ? AND entered_at < ?",
        [stage, start, (pd.Timestamp(end) + pd.DateOffset(months=1)).to_pydatetime()],
    ).fetchall()
    shares, lag, counts = literal_estimate(rows, outcomes.data_end(con), got.stale_after,
                                           stale_as_lost)  # fmt: skip
    for k in outcomes.OUTCOMES:
        assert got.shares[k] == pytest.approx(shares[k], rel=1e-9, abs=1e-12), k
    assert got.lag == pytest.approx(lag, rel=1e-9, abs=1e-12)
    assert (got.censored, got.stale, got.undated) == (counts["censored"], counts["stale"],
                                                       counts["undated"])  # fmt: skip


@pytest.mark.parametrize("stale_as_lost", [False, True])
def test_the_estimator_is_the_literal_per_age_loop_on_the_synthetic_export(
    synthetic, stale_as_lost
):
    _compare_with_the_literal_loop(synthetic, *syn.WINDOW, None, stale_as_lost, "opportunity")


OUTCOME = st.sampled_from(["converted", "disqualified", "recycled", "lost", "open"])
ITEM = st.tuples(
    st.integers(0, 400),  # entered, days after 2024-01-01
    st.one_of(st.none(), st.integers(-5, 300)),  # resolved, days after entering (None: undated)
    OUTCOME,
)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(items=st.lists(ITEM, min_size=1, max_size=40), stale_after=st.integers(0, 8),
       stale_as_lost=st.booleans())  # fmt: skip
@example(items=[(0, 10, "lost"), (0, None, "open"), (370, None, "open")], stale_after=3,
         stale_as_lost=True)  # fmt: skip
@example(items=[(5, None, "lost"), (40, None, "converted")], stale_after=3, stale_as_lost=False)
def test_the_estimator_is_the_literal_per_age_loop_on_any_history(items, stale_after,
                                                                  stale_as_lost):  # fmt: skip
    con = duckdb.connect()
    create_schema(con)
    set_stage_design(con, ["lead", "won"])
    day0 = dt.datetime(2024, 1, 1, 9)
    rows = []
    for i, (entered, resolved, outcome) in enumerate(items):
        e = day0 + dt.timedelta(days=entered)
        r = None if outcome == "open" or resolved is None else e + dt.timedelta(days=resolved)
        rows.append((f"i{i}", "lead", e, r, outcome))
    rows.append(("end", "won", day0 + dt.timedelta(days=420), None, "open"))  # the data's end
    con.executemany("INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome)"
                    " VALUES (?, ?, ?, ?, ?)", rows)  # fmt: skip
    start, end = dt.date(2024, 1, 1), dt.date(2025, 2, 1)
    est = outcomes.stage_estimates(con, start, end, stale_after=stale_after,
                                   stale_as_lost=stale_as_lost).get("lead")  # fmt: skip
    if est is None or not est.shares:  # nothing resolved: the literal loop has no estimate
        return
    _compare_with_the_literal_loop(con, start, end, stale_after, stale_as_lost, "lead")


# ----- undated resolved items ---------------------------------------------------------------------
def _leads(rows) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_schema(con)
    set_stage_design(con, ["lead", "won"])
    con.executemany("INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome)"
                    " VALUES (?, ?, ?, ?, ?)", rows)  # fmt: skip
    return con


def test_undated_resolved_items_join_the_shares_by_count_and_stay_out_of_the_lag():
    d = dt.datetime
    rows = [("a", "lead", d(2024, 1, 5), d(2024, 3, 2), "converted"),
            ("a", "won", d(2024, 3, 2), None, "open"),
            ("b", "lead", d(2024, 1, 7), d(2024, 2, 1), "lost"),
            ("c", "lead", d(2024, 1, 9), None, "lost"),
            ("d", "lead", d(2024, 2, 9), None, "lost")]  # fmt: skip
    sc = build_baseline(_leads(rows), "2024-01", "2024-02", with_backtest=False)
    lead = sc["stages"][0]
    # N = 2 dated (one converted at age 2, one lost at age 1), U = 2 undated lost
    assert lead["conversion"] == pytest.approx(1 / 4) and lead["lag"] == pytest.approx(1.5)
    notes = sc["notes"]["baseline"]
    assert notes["stages"]["lead"]["undated"] == 2 and notes["stages"]["lead"]["resolved"] == 2
    assert [w["code"] for w in notes["warnings"]] == ["lag_from_dated"]
    assert notes["warnings"][0]["params"] == {"stage": "lead", "undated": 2}


def test_a_stage_whose_resolved_items_are_all_undated_has_count_shares_lag_0_and_a_warning():
    d = dt.datetime
    rows = [("a", "lead", d(2024, 1, 5), None, "converted"), ("a", "won", d(2024, 3, 2), None,
            "open"), ("b", "lead", d(2024, 1, 7), None, "lost"),
            ("c", "lead", d(2024, 1, 9), None, "open")]  # fmt: skip
    sc = build_baseline(_leads(rows), "2024-01", "2024-01", with_backtest=False)
    assert sc["stages"][0]["conversion"] == 0.5 and sc["stages"][0]["lag"] == 0
    (w,) = sc["notes"]["baseline"]["warnings"]
    assert w["code"] == "lag_unknown"
    assert w["text"] == str(BaselineWarning("lag_unknown", {"stage": "lead", "undated": 2}))
    assert "lag (0) is unknown" in w["text"]


def test_a_stage_with_no_resolved_item_is_refused_naming_the_stage_and_window():
    d = dt.datetime
    rows = [("a", "lead", d(2024, 1, 5), None, "open"), ("b", "lead", d(2024, 2, 7), None, "open")]
    with pytest.raises(DataLayerError) as err:
        build_baseline(_leads(rows), "2024-01", "2024-02")
    assert err.value.code == "no_resolved_items"
    assert err.value.params == {"stage": "lead", "start": "2024-01", "end": "2024-02"}


def test_every_baseline_warning_code_has_an_english_sentence():
    assert set(BASELINE_WARNINGS) == {"lag_unknown", "lag_from_dated"}
    for code in BASELINE_WARNINGS:
        text = str(BaselineWarning(code, {"stage": "lead", "undated": 3}))
        assert "{" not in text and "lead" in text


# ----- the real data ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def olist(olist_dir):
    from db.imports import import_files, read_file

    con = duckdb.connect()
    create_schema(con)
    import_files(con, {
        "leads": read_file(olist_dir / "olist_marketing_qualified_leads_dataset.csv"),
        "deals": read_file(olist_dir / "olist_closed_deals_dataset.csv")}, "olist")  # fmt: skip
    yield con
    con.close()


@pytest.mark.shared
def test_olist_lost_leads_are_undated_and_stay_out_of_the_lag(olist):
    """v1 gave a lag of 0.16 months: the lost leads, undated in the export, were resolved on the
    day they arrived. The won deals took 1.55 months on average."""
    (won_lag,) = olist.execute(
        "SELECT avg(datediff('month', entered_at, resolved_at)) FROM stage_history "
        "WHERE stage = 'mql' AND outcome = 'converted' AND resolved_at >= entered_at"
    ).fetchone()
    assert won_lag == pytest.approx(1.553, abs=1e-3)
    assert olist.execute("SELECT count(*) FROM stage_history WHERE outcome = 'lost' "
                         "AND resolved_at IS NOT NULL").fetchone()[0] == 0  # fmt: skip
    sc = build_baseline(olist, "2017-06", "2018-05")
    mql = sc["stages"][0]
    assert mql["lag"] == pytest.approx(won_lag, abs=1e-4)
    # the deal won before its lead came in is left out (the quality report lists it)
    assert mql["conversion"] == pytest.approx(841 / 7999, abs=1e-6)
    notes = sc["notes"]["baseline"]
    assert notes["stages"]["mql"] == {"entered": 8000, "used": 7999, "resolved": 841,
                                      "undated": 7158, "censored": 0, "stale": 0, "left_out": 1,
                                      "stale_after": 14}  # fmt: skip
    assert [w["code"] for w in notes["warnings"]] == ["lag_from_dated"]
    # the stock: the leads won after the window (an undated lost lead left when it came)
    (later,) = olist.execute(
        "SELECT count(*) FROM stage_history WHERE stage = 'mql' AND "
        "entered_at < '2018-06-01' AND resolved_at >= '2018-06-01'"
    ).fetchone()
    assert sc["opening"] == {"mql": later} and later > 100
    won = notes["backtest"]["stages"]["won"]
    assert notes["backtest"]["verdict"] == "not_trusted" and not won["trusted"]
    assert [r["code"] for r in won["reasons"]] == ["month_off"]


# ----- the backtest's verdict ---------------------------------------------------------------------
def test_backtest_verdict_trusts_a_stage_within_sampling_error_only():
    months = [f"2025-{m:02d}" for m in range(1, 5)]

    def bt(stage, actual, planned):
        return pd.DataFrame({"month": months, "stage": stage, "actual": actual,
                             "planned": planned})  # fmt: skip

    frame = pd.concat([
        bt("lead", [400.0] * 4, [400.0] * 4),
        bt("opportunity", [100.0] * 4, [110.0, 95.0, 105.0, 100.0]),  # within sqrt(100) * 4
        bt("won", [25.0] * 4, [25.0, 25.0, 25.0, 50.0]),  # 25 over: more than 4 * 5
    ])  # fmt: skip
    v = backtest_verdict(frame, "lead")
    assert v["verdict"] == "not_trusted"
    assert v["stages"]["lead"] == {"actual": 1600.0, "planned": 1600.0, "total_error": 0.0,
                                   "worst_month": "2025-01", "worst_error": 0.0, "input": True,
                                   "trusted": True, "reasons": []}  # fmt: skip
    opp = v["stages"]["opportunity"]
    assert opp["trusted"] and opp["worst_month"] == "2025-01" and opp["worst_error"] == 0.1
    won = v["stages"]["won"]
    assert won["total_error"] == 0.25 and won["worst_month"] == "2025-04"
    assert not won["trusted"]
    # the total (25 over 100) is within 3 * sqrt(100); its last month not within 4 * sqrt(25)
    assert won["reasons"] == [
        {"code": "month_off", "params": {"month": "2025-04", "error": 1.0, "actual": 25.0,
                                         "planned": 50.0, "bound": 0.8}},
    ]  # fmt: skip
    off = backtest_verdict(bt("won", [100.0] * 4, [120.0] * 4))["stages"]["won"]
    assert off["reasons"] == [{"code": "total_off", "params": {"error": 0.2, "bound": 0.15}}]
    assert backtest_verdict(frame[frame["stage"] != "won"], "lead")["verdict"] == "trusted"


def test_the_sample_baselines_notes_hold_its_provenance_and_backtest(sample_con):
    sc = build_baseline(sample_con, "2025-04", "2026-03")
    notes = sc["notes"]["baseline"]
    assert notes["window"] == ["2025-04", "2026-03"] and notes["data_end"] == "2026-03-31"
    for k in ("lead", "opportunity"):
        s = notes["stages"][k]
        assert s["used"] == s["resolved"] + s["undated"] + s["censored"] > 0
        assert s["entered"] == s["used"] + s["stale"] + s["left_out"]
    assert notes["stages"]["visitor"]["stale_after"] is None
    bt = backtest(sample_con, "2025-04", "2026-03")
    assert notes["backtest"] == backtest_verdict(bt, "visitor")
    assert json.loads(json.dumps(sc, allow_nan=False)) == sc
    run_plan(parse_scenario(sc))  # the model ignores the notes


def test_cli_baseline_takes_stale_after_and_stale_as_lost():
    def baseline(*args):
        out = subprocess.run([sys.executable, "-m", "db", "baseline", *args],
                             capture_output=True, text=True, check=False)  # fmt: skip
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    default = baseline()
    set_all = baseline("--stale-after", "2")
    per_stage = baseline("--stale-after", "opportunity=2", "--stale-as-lost")
    stages = lambda sc: sc["notes"]["baseline"]["stages"]  # noqa: E731
    assert stages(default)["opportunity"]["stale_after"] == 8
    assert stages(set_all)["lead"]["stale_after"] == stages(set_all)["opportunity"][
        "stale_after"] == 2  # fmt: skip
    assert stages(per_stage)["lead"]["stale_after"] == stages(default)["lead"]["stale_after"]
    assert stages(per_stage)["opportunity"]["stale"] > stages(default)["opportunity"]["stale"]
    assert per_stage["notes"]["baseline"]["stale_as_lost"] is True
    assert per_stage["stages"][2]["conversion"] < default["stages"][2]["conversion"]
    bad = subprocess.run([sys.executable, "-m", "db", "baseline", "--stale-after", "-1"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert bad.returncode == 64 and "stale-after" in bad.stderr
    typo = subprocess.run(
        [sys.executable, "-m", "db", "baseline", "--stale-after", "oportunity=2"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert typo.returncode == 1 and typo.stderr == (
        "error: stale_after for 'oportunity' must be a whole number of months, 0 or more, for a "
        "stage with outcomes (visitor, lead, opportunity); got 2\n"
    )
