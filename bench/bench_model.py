"""Benchmark of the model engine (issue 2). Run by hand: ``python bench/bench_model.py``.

Prints, for a 120-month, 8-stage scenario with recycling, ranges and a bookings target:

* one plan (reverse solve + forward projection), median of many runs;
* a 10,000-draw Monte Carlo of that plan (planned-inflow projection and required-inflow solve for
  every draw);
* a 2,000-draw Monte Carlo with four teams whose per_head is a range (spec section 8 in the
  draws: each draw's workloads and joiners) beside the same without teams;

each beside the same computation done by the spec's literal per-month pure-Python loop
(``model.reference``), as a speed ratio. The loop's Monte Carlo is timed on a sample of draws and
scaled to 10,000 (it says so).

Like the app, it first raises glibc's malloc thresholds (``model.runtime.keep_freed_memory``) so
freed arrays are reused instead of page-faulted in again; ``--default-malloc`` measures without.
The minor page faults per Monte Carlo run are printed beside its time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import parse_scenario, reference, run_plan  # noqa: E402
from model.capacity import capacity_plan  # noqa: E402
from model.runtime import keep_freed_memory  # noqa: E402
from model.uncertainty import draw_levers, monte_carlo  # noqa: E402

STAGES = [
    ("visitor", "marketing", 0.03, 0.00, 0.00, 0.0),
    ("lead", "marketing", 0.45, 0.15, 0.20, 0.5),
    ("mql", "marketing", 0.50, 0.10, 0.15, 1.0),
    ("sql", "inside_sales", 0.60, 0.05, 0.20, 0.5),
    ("opportunity", "inside_sales", 0.55, 0.05, 0.25, 1.5),
    ("proposal", "field_sales", 0.60, 0.00, 0.20, 1.0),
    ("negotiation", "field_sales", 0.70, 0.00, 0.10, 0.5),
    ("won", "field_sales", None, None, None, None),
]


def big_scenario(months: int = 120) -> dict:
    stages = []
    for i, (key, owner, c, d, r, lag) in enumerate(STAGES):
        st = {"key": key, "owner": owner}
        if c is not None:
            conv = {"low": c * 0.85, "base": c, "high": c + (1 - c - d - r) * 0.5} if i else c
            st.update({"conversion": conv, "disqualify": d, "recycle": r})
            st["lag"] = {"low": lag * 0.8, "base": lag, "high": lag * 1.3} if lag else lag
        stages.append(st)
    return {
        "schema": 1,
        "name": "bench: 120 months x 8 stages",
        "start": "2027-04",
        "months": months,
        "stages": stages,
        "opening": {"lead": 800, "mql": 300, "opportunity": 120, "proposal": 40},
        "recycle": {"reentry": "lead", "reactivation": 0.08, "expiry": 0.02, "opening": 2000},
        "deal": {
            "size": {"low": 900_000, "base": 1_200_000, "high": 1_400_000},
            "revenue": "subscription",
            "onboarding_months": 1,
        },
        "customers": {
            "opening_count": 300,
            "opening_mrr": 3e7,
            "renewal_rate": {"low": 0.85, "base": 0.9, "high": 0.95},
            "expansion_rate": 0.1,
        },
        "target": {"metric": "bookings", "total": 3.0e9},
    }


CAPACITY = {  # spec section 8: every division, each kind of workload
    "marketing": {"works": "lead", "per_head": 400, "heads": 6, "ramp_months": 1,
                  "hiring_months": 1, "attrition": 0.1, "cost_per_head": 700_000},
    "inside_sales": {"works": "sql", "per_head": 60, "heads": 8, "ramp_months": 2,
                     "hiring_months": 2, "attrition": 0.15, "cost_per_head": 800_000},
    "field_sales": {"works": "proposal", "basis": "stock",
                    "per_head": {"low": 20, "base": 25, "high": 30}, "heads": 10,
                    "ramp_months": 3, "hiring_months": 3, "attrition": 0.12,
                    "cost_per_head": 1_200_000},
    "customer_success": {"works": "customers", "per_head": 150, "heads": 4,
                         "cost_per_head": 600_000},
}  # fmt: skip
COSTS = {"per_inflow": 40, "per_arrival": {"lead": 6000, "opportunity": 20_000},
         "fixed_monthly": 5e6}  # fmt: skip


def ranged_per_head(per_head: float | dict) -> dict:
    """A division's per_head as a range (−20% … +20% around its base), if not one already."""
    if isinstance(per_head, dict):
        return per_head
    return {"low": per_head * 0.8, "base": per_head, "high": per_head * 1.2}


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--loop-draws", type=int, default=40, help="draws timed for the loop")
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument(
        "--default-malloc", action="store_true", help="leave glibc's malloc thresholds alone"
    )
    args = ap.parse_args()
    tuned = False if args.default_malloc else keep_freed_memory()

    s = parse_scenario(big_scenario())
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    print(f"scenario: {s.months} months x {len(s.stages)} stages, target bookings 3.0e9")
    print(f"malloc: {'thresholds raised (model.runtime)' if tuned else 'glibc defaults'}\n")

    plan = run_plan(s)
    ref_inflow = reference.reverse_total(s)
    assert abs(ref_inflow - plan.required_inflow_per_month) <= 1e-6 * ref_inflow

    def loop_plan() -> None:
        i = reference.reverse_total(s)
        reference.forward(s, [i] * s.months)

    engine = median_ms(lambda: run_plan(s), args.repeat)
    loop = median_ms(loop_plan, 5)
    print("one plan (reverse + forward)")
    print(f"  engine   median {engine:8.2f} ms   (goal < 5 ms)")
    print(f"  loop     median {loop:8.2f} ms   ratio x{loop / engine:,.0f}\n")

    # spec section 8: the same plan with capacity for four divisions and acquisition costs
    c = big_scenario()
    c["capacity"], c["costs"] = CAPACITY, COSTS
    sc = parse_scenario(c)
    plan_c = run_plan(sc)
    section = capacity_plan(plan_c)
    without = median_ms(lambda: run_plan(s).to_dict(), args.repeat)
    with_capacity = median_ms(lambda: run_plan(sc).to_dict(), args.repeat)
    alone = median_ms(lambda: capacity_plan(plan_c), args.repeat)
    inflow = list(plan_c.inflow)
    loop_c = median_ms(lambda: reference.capacity(sc, inflow), 3)
    ceiling = section.ceiling
    assert ceiling is not None
    print("capacity, hiring and cost (spec section 8): 4 divisions")
    print(f"  plan + to_dict without  median {without:8.2f} ms")
    print(
        f"  plan + to_dict with     median {with_capacity:8.2f} ms   "
        f"(+{with_capacity - without:.2f} ms; goal < +5 ms)"
    )
    print(f"  section 8 alone         median {alone:8.2f} ms")
    print(
        f"  loop (section 8 alone)  median {loop_c:8.0f} ms   ratio x{loop_c / alone:,.0f}   "
        f"(ceiling {ceiling.inflow:,.0f} a month, bound by {ceiling.division} in month "
        f"{ceiling.month})\n"
    )

    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    mc_ms = median_ms(lambda: monte_carlo(s, draws=args.draws, seed=1, plan=plan), 5)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0) / 6
    mc = monte_carlo(s, draws=args.draws, seed=1, plan=plan)
    _, values = draw_levers(s, args.loop_draws, seed=1)
    t0 = time.perf_counter()
    for k in range(args.loop_draws):
        v = {p: float(x[k]) for p, x in values.items()}
        reference.forward(s, list(plan.inflow), v)
        reference.reverse_total(s, v)
    per_draw = (time.perf_counter() - t0) / args.loop_draws
    loop_mc = per_draw * args.draws * 1000
    print(f"Monte Carlo, {args.draws:,} draws ({len(mc.ranged)} ranged parameters)")
    print(f"  engine   median {mc_ms:8.1f} ms   (goal < 300 ms), {faults:,.0f} page faults a run")
    print(
        f"  loop     {loop_mc:10.0f} ms   ratio x{loop_mc / mc_ms:,.0f}"
        f"   (timed on {args.loop_draws} draws, {per_draw * 1000:.1f} ms each, scaled)"
    )
    print(
        f"  plan's confidence {mc.confidence:.3f}; bookings P10/P50/P90 "
        + " / ".join(f"{mc.percentile('bookings', p) / 1e9:.2f}e9" for p in (10, 50, 90))
    )

    # issue 10: the Monte Carlo with every division's per_head a range (spec sections 6 and 8)
    ranged = big_scenario()
    ranged["capacity"] = {d: {**c, "per_head": ranged_per_head(c["per_head"])}
                          for d, c in CAPACITY.items()}  # fmt: skip
    sr = parse_scenario(ranged)
    plan_r = run_plan(sr)
    draws = 2000
    mc_plain = median_ms(lambda: monte_carlo(s, draws=draws, seed=1, plan=plan), 5)
    mc_teams = median_ms(lambda: monte_carlo(sr, draws=draws, seed=1, plan=plan_r), 5)
    teams = monte_carlo(sr, draws=draws, seed=1, plan=plan_r)
    print(f"\nMonte Carlo, {draws:,} draws, with and without teams (4 divisions, per_head ranged)")
    print(f"  without teams  median {mc_plain:8.1f} ms")
    print(
        f"  with teams     median {mc_teams:8.1f} ms   (+{mc_teams - mc_plain:.1f} ms; "
        "goal < 1,000 ms)"
    )
    print(
        "  "
        + "; ".join(
            f"{d} hires P50 {o.percentile(50):,.0f}, team enough {o.team_enough:.0%}"
            for d, o in teams.capacity.items()
        )
    )

    # rate mode, monthly target (spec v2 section 4): one regularised nonnegative least squares
    m = big_scenario()
    m["target"] = {"metric": "bookings", "monthly": 2.5e7}
    sm = parse_scenario(m)
    plan_m = run_plan(sm)
    one_m = median_ms(lambda: run_plan(sm), 20)
    t0 = time.perf_counter()
    ref_m = reference.reverse_monthly(sm)
    loop_m = (time.perf_counter() - t0) * 1000
    gap = max(abs(a - b) for a, b in zip(plan_m.inflow, ref_m, strict=True)) / max(ref_m)
    print("\nrate mode, monthly bookings target (2.5e7 a month), spec v2's least squares")
    print(f"  one plan  engine median {one_m:8.1f} ms   (goal < 20 ms)")
    print(
        f"  loop      {loop_m:10.0f} ms   ratio x{loop_m / one_m:,.0f}   (H + 1 literal forward "
        f"loops and projected Gauss-Seidel; largest difference {gap:.1e} of the peak inflow)"
    )
    mc_m = median_ms(lambda: monte_carlo(sm, draws=2000, seed=1, plan=plan_m), 3)
    print(
        f"  Monte Carlo, 2,000 draws (every draw solved) median {mc_m:8.1f} ms   (goal < 1,500 ms)"
    )

    # volume mode: the recycle pool reactivates a capped number a month, and a monthly target
    # makes the reverse solve piecewise linear month by month (no closed form)
    v = big_scenario()
    v["recycle"] = {"reentry": "lead", "volume": 150, "expiry": 0.02, "opening": 2000}
    st = parse_scenario(v)
    plan_t = run_plan(st)
    mc_t = median_ms(lambda: monte_carlo(st, draws=args.draws, seed=1, plan=plan_t), 3)
    print("\nvolume mode (150 reactivations a month), total bookings target")
    print(f"  one plan                  median {median_ms(lambda: run_plan(st), 20):8.1f} ms")
    print(f"  Monte Carlo, {args.draws:,} draws median {mc_t:8.1f} ms")
    v["target"] = {"metric": "bookings", "monthly": 2.5e7}
    sv = parse_scenario(v)
    plan_v = run_plan(sv)
    print("volume mode, monthly bookings target (2.5e7 a month)")
    print(f"  one plan                  median {median_ms(lambda: run_plan(sv), 20):8.1f} ms")
    mc_v = median_ms(lambda: monte_carlo(sv, draws=2000, seed=1, plan=plan_v), 3)
    print(f"  Monte Carlo, 2,000 draws  median {mc_v:8.1f} ms")

    # spec section 9: the variance bridge, 8 stages = 10 factors = 1,024 forward runs
    from model.bridge import actual_scenario, bridge
    from model.scenario import base
    from model.seek import goal_seek

    plan_s = parse_scenario(big_scenario())
    rates = {st.key: {p: float(base(getattr(st, p))) * 0.95 for p in
                      ("conversion", "disqualify", "recycle", "lag")}
             for st in plan_s.stages[:-1]}  # fmt: skip
    actual = actual_scenario(plan_s, [900.0] * 120, rates, 1.1e6)
    print("\nvariance bridge (spec section 9), 8 stages: 10 factors, 1,024 subsets")
    for k in (12, 120):
        ms = median_ms(lambda k=k: bridge(plan_s, actual, k), 5)
        print(f"  {k:3d} months  engine median {ms:8.1f} ms   (goal < 1 s)")
    t0 = time.perf_counter()
    reference.bridge(plan_s, actual, 12)
    print(f"   12 months  reference loop {1000 * (time.perf_counter() - t0):8.0f} ms (once)")
    today = big_scenario()
    today["inflow"] = 0.9 * run_plan(plan_s).required_inflow_per_month  # 10% short today
    sk = parse_scenario(today)
    seek_ms = median_ms(lambda: goal_seek(sk, "stages.opportunity.conversion"), 5)
    print(f"goal seek (spec section 10), a conversion  median {seek_ms:8.1f} ms")


if __name__ == "__main__":
    main()
