"""How fair the embedded scenario store's lock is under many writers: N writer processes each
save M versions of one scenario at the same time; prints the wait per save (max, p99, p50),
the refusals (``DatabaseLockedError`` after the lock timeout) and whether the version sequence
came out whole (no number lost or given twice).

    python bench/bench_store.py                       # 30 writers x 20 saves, this checkout
    python bench/bench_store.py --writers 10 --saves 5
    python bench/bench_store.py --repo /path/to/other/checkout   # e.g. the code before a change

"Wait" is the time a save() call took (waiting for the lock, then its own work); "lock wait"
is the part spent waiting for the lock (``ScenarioStore.last_wait``, where the code has it).
The first save of each writer also waits for the other writers' start (30 processes importing
at once on a small machine), so the figures past it are printed too. The figures depend on the
machine's load: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "bench"


def _worker(repo: str, store: str, saves: int, timeout: float) -> None:
    sys.path.insert(0, repo)
    from db.errors import DatabaseLockedError
    from db.sample import sample_scenario
    from db.scenarios import ScenarioStore

    scenario = sample_scenario()
    s = ScenarioStore(store, lock_timeout=timeout)
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()  # "go": every writer starts at the same moment
    for i in range(saves):
        t0 = time.perf_counter()
        try:
            version = s.save(NAME, scenario, author=f"w{os.getpid()}", note=str(i))
            refused = False
        except DatabaseLockedError:
            version, refused = None, True
        took = time.perf_counter() - t0
        lock_wait = getattr(s, "last_wait", None)
        print(json.dumps({"took": took, "lock_wait": lock_wait, "refused": refused,
                          "version": version, "i": i}), flush=True)  # fmt: skip


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--writers", type=int, default=30)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=30.0, help="the store's lock timeout (s)")
    ap.add_argument("--repo", default=str(ROOT), help="the checkout whose db/ is measured")
    ap.add_argument("--worker", metavar="STORE", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker(args.repo, args.worker, args.saves, args.timeout)
        return 0

    folder = tempfile.mkdtemp(prefix="bench_store_")
    store = os.path.join(folder, "scenarios.duckdb")
    procs = []
    for _ in range(args.writers):
        cmd = [sys.executable, __file__, "--repo", args.repo, "--saves", str(args.saves),
               "--timeout", str(args.timeout), "--worker", store]  # fmt: skip
        procs.append(subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True, cwd=folder))  # fmt: skip
    for p in procs:  # every writer imports first
        assert json.loads(p.stdout.readline())["ready"]
    t0 = time.perf_counter()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.close()
    results = []
    for p in procs:
        for line in p.stdout:
            results.append(json.loads(line))
        p.wait()
    wall = time.perf_counter() - t0

    took = [r["took"] for r in results]
    waits = [r["lock_wait"] for r in results if r["lock_wait"] is not None]
    refused = sum(r["refused"] for r in results)
    versions = sorted(r["version"] for r in results if r["version"] is not None)
    sys.path.insert(0, args.repo)
    from db.scenarios import ScenarioStore

    stored = [v["version"] for v in ScenarioStore(store).versions(NAME)]
    print(f"repo: {args.repo}")
    print(f"{args.writers} writers x {args.saves} saves, lock timeout {args.timeout:g} s, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(f"saves: {len(results)}, refused: {refused}, wall time {wall:.1f} s "
          f"({len(results) / wall:.1f} saves/s)")  # fmt: skip
    print(f"wait per save (s): max {max(took):.2f}, p99 {_pct(took, 99):.2f}, "
          f"p50 {_pct(took, 50):.2f}, mean {statistics.fmean(took):.2f}")  # fmt: skip
    if waits:
        print(f"lock wait (s):     max {max(waits):.2f}, p99 {_pct(waits, 99):.2f}, "
              f"p50 {_pct(waits, 50):.2f}")  # fmt: skip
    later = [r["took"] for r in results if r["i"] > 0]  # past the start, when all 30 import
    if later:
        print(f"after each writer's first save: max {max(later):.2f}, "
              f"p99 {_pct(later, 99):.2f}, p50 {_pct(later, 50):.2f}")  # fmt: skip
    whole = stored == list(range(1, len(stored) + 1)) and versions == stored
    print(
        f"versions stored: {len(stored)}, acknowledged: {len(versions)}, "
        f"sequence whole (1..n, none twice, every acknowledged one stored): {whole}"
    )
    return 0 if whole and not refused else 1


if __name__ == "__main__":
    sys.exit(main())
