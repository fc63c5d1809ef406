"""Numbers that lie (issue 14): each check of ``db.lies`` fires on a synthetic export built to show
it, names the stage, month or owner it was built with, and stays silent on one built not to.

The exports (``_export``) are opportunities over 18 months, 300 a month, five owners, 30% won
after a gamma lag (mean 20 days; lost ones 15), seeded; one thing is changed for each check."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from db.lies import (
    LIES,
    benjamini_hochberg,
    binomial_two_sided,
    holm,
    normal_two_sided,
    two_proportion_z,
)
from db.quality import quality_report
from db.schema import set_stage_design

START = dt.datetime(2024, 1, 1)
MONTHS = 18
PER_MONTH = 300
OWNERS = ["Sato", "Suzuki", "Takahashi", "Tanaka", "*Ito*"]
END = dt.datetime(2025, 7, 1)


def _export(seed: int = 3, *, conversion=None, won_lag=None, instant=None, quick_loss=0.0,
            never=0.0) -> pd.DataFrame:  # fmt: skip
    """The stage history: an opportunity row per deal (won, lost, or open when it resolves after
    the data's end or never), a won row per win. ``conversion(month, owner)``,
    ``won_lag(month)`` (mean days) and ``instant(owner)`` (the share resolved within two hours)
    change the process; ``quick_loss`` is the share lost within an hour of entering (on the day)
    and ``never`` the share that never resolves."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(MONTHS):
        first = START.replace(year=2024 + m // 12, month=m % 12 + 1)
        for i in range(PER_MONTH):
            owner = OWNERS[i % len(OWNERS)]
            entered = first + dt.timedelta(days=int(rng.integers(0, 28)), hours=9)
            p = conversion(m, owner) if conversion else 0.30
            won = rng.random() < p
            mean = (won_lag(m) if won_lag else 20.0) if won else 15.0
            lag = dt.timedelta(days=float(rng.gamma(2.0, mean / 2.0)))
            if instant and rng.random() < instant(owner):
                lag = dt.timedelta(hours=2)
            if rng.random() < quick_loss:
                won, lag = False, dt.timedelta(hours=1)
            resolved = entered + lag
            if rng.random() < never or resolved >= END:
                rows.append((f"D{m}-{i}", "opportunity", entered, None, "open", owner))
                continue
            rows.append((f"D{m}-{i}", "opportunity", entered, resolved,
                         "converted" if won else "lost", owner))  # fmt: skip
            if won:
                rows.append((f"D{m}-{i}", "won", resolved, resolved, "converted", owner))
    return pd.DataFrame(
        rows, columns=["item_id", "stage", "entered_at", "resolved_at", "outcome", "owner"]
    )


def _report(con, history: pd.DataFrame) -> dict:
    set_stage_design(con, ["opportunity", "won"])
    con.register("h", history)
    con.execute(
        "INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome, owner) "
        "SELECT item_id, stage, entered_at, resolved_at, outcome, owner FROM h"
    )
    con.unregister("h")
    return {f.check: f for f in quality_report(con)}


def _fired(report: dict) -> set[str]:
    return {c for c in LIES if report[c].count}


# ----- the statistics, by hand --------------------------------------------------------------------
def test_small_statistics_against_hand_computed_values():
    assert normal_two_sided(1.959963984540054) == pytest.approx(0.05, abs=1e-12)
    # 30/100 against 45/100: pooled 0.375, se = sqrt(.375 * .625 * .02) = 0.0684653
    assert two_proportion_z(30, 100, 45, 100) == pytest.approx(0.15 / 0.0684653, rel=1e-6)
    # Binomial(10, 0.5): P(k <= 2) + P(k >= 8) = 2 * (1 + 10 + 45) / 1024
    assert binomial_two_sided(2, 10, 0.5) == pytest.approx(112 / 1024, rel=1e-12)
    # an asymmetric case summed by hand from math.comb
    pmf = [math.comb(20, i) * 0.1**i * 0.9 ** (20 - i) for i in range(21)]
    expect = sum(q for q in pmf if q <= pmf[5] * (1 + 1e-7))
    assert binomial_two_sided(5, 20, 0.1) == pytest.approx(expect, rel=1e-9)
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert benjamini_hochberg([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.04, 0.04])


# ----- silent on an honest export ---------------------------------------------------------------
@pytest.mark.parametrize("seed", [3, 4])
def test_an_honest_export_has_no_lies(con, seed):
    report = _report(con, _export(seed))
    assert _fired(report) == set()
    assert all(report[c].params == {"hits": []} for c in LIES)


# ----- each lie, found where it was put -----------------------------------------------------------
def test_a_conversion_that_changes_definition_is_found_at_its_month(con):
    history = _export(conversion=lambda m, owner: 0.30 if m < 9 else 0.50)
    report = _report(con, history)
    hits = report["stage_drift"].params["hits"]
    conv = [h for h in hits if h["metric"] == "conversion"]
    assert len(conv) == 1 and conv[0]["stage"] == "opportunity"
    assert conv[0]["month"] == "2024-10"  # month 9 counted from January 2024
    assert conv[0]["before"] < 0.30 < conv[0]["after"] - 0.1  # at the horizon: a few win later
    assert conv[0]["p_adjusted"] < 0.01 and conv[0]["items_before"] == 3 * PER_MONTH
    assert 0.30 < conv[0]["pooled_conversion"] < 0.50  # the baseline pools both definitions
    assert report["stage_drift"].count == len(hits)
    assert "owner_outlier" not in _fired(report)


def test_a_lag_that_doubles_is_found_at_its_month(con):
    report = _report(con, _export(won_lag=lambda m: 20.0 if m < 8 else 45.0))
    lag = [h for h in report["stage_drift"].params["hits"] if h["metric"] == "lag_days"]
    assert len(lag) == 1 and lag[0]["month"] == "2024-09"
    assert lag[0]["after"] > 1.25 * lag[0]["before"]


def test_an_owner_far_from_the_team_is_named(con):
    report = _report(con, _export(conversion=lambda m, owner: 0.55 if owner == "Tanaka" else 0.30))
    hits = report["owner_outlier"].params["hits"]
    assert [(h["stage"], h["owner"]) for h in hits] == [("opportunity", "Tanaka")]
    h = hits[0]
    assert h["rate"] > 0.45 and 0.25 < h["rest"] < 0.32 and h["p_adjusted"] < 0.01
    assert h["conversion_without"] < h["pooled_conversion"]  # the baseline is lifted by them
    assert h["months"] and all(m["items"] > 0 for m in h["months"])
    assert _fired(report) == {"owner_outlier"}


def test_an_owner_closing_within_a_day_is_named(con):
    report = _report(con, _export(instant=lambda owner: 0.4 if owner == "*Ito*" else 0.0))
    hits = report["instant_closes"].params["hits"]
    assert [h["owner"] for h in hits] == ["*Ito*"]
    assert hits[0]["rate"] > 0.3 and hits[0]["rest"] < 0.02 and hits[0]["count"] >= 5
    assert report["instant_closes"].count == 1
    assert "owner_outlier" not in _fired(report)


def test_items_lost_the_day_they_arrive_are_counted_with_their_months_and_owners(con):
    history = _export(quick_loss=0.10)
    report = _report(con, history)
    hits = report["quick_losses"].params["hits"]
    assert [h["stage"] for h in hits] == ["opportunity"]
    lost = history[history["outcome"] == "lost"]
    same_day = lost[lost["resolved_at"].dt.date == lost["entered_at"].dt.date]
    assert hits[0]["count"] == len(same_day)
    assert 0.08 < hits[0]["rate"] < 0.12
    assert {o["name"] for o in hits[0]["owners"]} == set(OWNERS)
    assert hits[0]["conversion_without"] > hits[0]["pooled_conversion"]
    assert (
        len(hits[0]["months"]) == 5
        and hits[0]["months"][0]["items"] >= hits[0]["months"][-1]["items"]
    )
    assert "owner_outlier" not in _fired(report) and "stage_drift" not in _fired(report)


def test_open_items_that_never_moved_are_found_and_old_ones_left_to_stale_open(con):
    report = _report(con, _export(never=0.10))
    hits = report["never_touched"].params["hits"]
    assert [h["stage"] for h in hits] == ["opportunity"]
    h = hits[0]
    assert 14 <= h["limit_days"] < 180 and h["count"] >= 5
    # between the limit and 180 days old: entered within the last six months, none in 2024's first
    assert all(m["name"] >= "2024-12" for m in h["months"])
    assert report["stale_open"].count > 0  # the older ones are stale_open's


def test_the_report_lists_the_lies_after_the_basic_checks(con):
    report = _report(con, _export())
    assert list(report)[-len(LIES) :] == list(LIES)
    assert all(report[c].message.startswith("no ") for c in LIES)
