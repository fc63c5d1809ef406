"""Server-side rerun time of the dashboard after a widget change (AppTest, no browser).

    python bench/bench_app.py [--runs 15]

Measures ``at.run()`` after moving the win-rate slider on Plan, and after changing a division's
committed low end on Divisions (a new scenario each time, so the plan, the bands and the
2,000-draw Monte Carlo are recomputed, not served from the cache). Prints a table: median,
P90 and peak memory, and the ratio to a bare rerun of the same page (nothing changed,
everything cached) measured in the same process. Goal: median under 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

_init = PagesManager.__init__


def _v2_only(self, *args, **kwargs):  # see tests/app/conftest.py: AppTest and pages/
    _init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


PagesManager.__init__ = _v2_only


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.context = {"locale": "en-US"}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _time(fn, runs: int) -> tuple[list[float], float]:
    """Wall times (ms) of ``runs`` calls, then the peak traced memory (MiB) of one more call
    (tracemalloc slows Python down, so it is kept out of the timed calls)."""
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t0) * 1000)
    tracemalloc.start()
    fn(runs)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return times, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    rows = []

    at = _open("pages/plan.py")
    slider = "plan.stage.opportunity.conversion"
    base_s, _ = _time(lambda i: at.run(), args.runs)
    values = [20.0 + 0.5 * i for i in range(args.runs + 1)]  # all different: no cache hits
    plan_s, plan_mem = _time(lambda i: at.slider(key=slider).set_value(values[i]).run(), args.runs)
    assert not at.exception and not at.error
    rows.append(("Plan: win-rate slider moved", plan_s, plan_mem, statistics.median(base_s)))

    at = _open("pages/divisions.py")
    key = "div.field_sales.stages[opportunity].conversion.low"
    base_d, _ = _time(lambda i: at.run(), args.runs)
    lows = [18.0 + 0.25 * i for i in range(args.runs + 1)]
    div_s, div_mem = _time(lambda i: at.number_input(key=key).set_value(lows[i]).run(), args.runs)
    assert not at.exception and not at.error
    rows.append(
        ("Divisions: low end changed (MC 2,000)", div_s, div_mem, statistics.median(base_d))
    )

    print(f"{'measured (AppTest at.run())':44} {'median ms':>10} {'p90 ms':>8} {'peak MiB':>9} "
          f"{'cached rerun ms':>16} {'ratio':>6}")  # fmt: skip
    for name, times, mem, cached in rows:
        med = statistics.median(times)
        p90 = sorted(times)[int(0.9 * (len(times) - 1))]
        print(f"{name:44} {med:10.1f} {p90:8.1f} {mem:9.1f} {cached:16.1f} {med / cached:6.2f}")
    print(f"runs per row: {args.runs}; goal: median < 200 ms")


if __name__ == "__main__":
    main()
