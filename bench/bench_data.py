"""Benchmark of the data layer: import + all AsIs metrics for 1M and 10M leads, DuckDB vs pandas.

    python bench/bench_data.py [--sizes 1000000 10000000] [--runs 1]

For each size, the sample generator writes a stage history of that many leads as Parquet (not
timed). Then, each in a fresh process (so peak memory is its own): the data layer imports the
file through a history mapping (``db.imports``) and computes every AsIs table
(``db.metrics.all_metrics``); the baseline does the same import (normalising text columns) and
the same tables with pandas alone. Printed: wall time (median of runs), peak RSS, and the
pandas/DuckDB ratio. Goals: 10M leads under 60 s and under 3 GB. Run by hand, not in tests.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAPPING = {
    "kind": "history",
    "columns": {
        "item_id": "item_id",
        "stage": "stage",
        "entered_at": "entered_at",
        "resolved_at": "resolved_at",
        "outcome": "outcome",
        "source": "source",
        "segment": "segment",
        "owner": "owner",
        "amount": "amount",
    },  # fmt: skip
}


def generate(n_leads: int, folder: Path) -> Path:
    import duckdb

    from data.generate_sample import generate as gen

    path = folder / f"history_{n_leads}.parquet"
    if path.exists():
        return path
    chunks = max(1, n_leads // 2_000_000)
    con = duckdb.connect()
    parts = []
    for c in range(chunks):
        s = gen(n_leads // chunks, seed=1000 + c, with_subscriptions=False)
        h = s.stage_history  # noqa: F841 (read by DuckDB's replacement scan)
        part = folder / f"part_{n_leads}_{c}.parquet"
        con.execute(
            f"COPY (SELECT printf('C{c}L%08d', item_no) AS item_id, stage, entered_at, "
            "resolved_at, outcome, source, segment, owner, amount FROM h) "
            f"TO '{part}' (FORMAT parquet, COMPRESSION zstd)"
        )
        parts.append(str(part))
        del s, h
    con.execute(
        f"COPY (SELECT * FROM read_parquet({parts!r})) TO '{path}' "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)"
    )
    for p in parts:
        Path(p).unlink()
    return path


def run_duckdb(path: str) -> dict:
    import duckdb

    from db import metrics
    from db.imports import import_file
    from db.schema import create_schema

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    create_schema(con)
    res = import_file(con, Path(path), MAPPING)
    t1 = time.perf_counter()
    tables = metrics.all_metrics(con)
    t2 = time.perf_counter()
    return {"rows": res.rows_written, "import": t1 - t0, "metrics": t2 - t1,
            "tables": {k: len(v) for k, v in tables.items()}}  # fmt: skip


def run_pandas(path: str) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    h = pd.read_parquet(path)
    for c in ("item_id", "stage", "outcome", "source", "segment", "owner"):
        h[c] = h[c].astype("string").str.strip()
    h["entered_at"] = pd.to_datetime(h["entered_at"])
    h["resolved_at"] = pd.to_datetime(h["resolved_at"])
    h["amount"] = pd.to_numeric(h["amount"])
    t1 = time.perf_counter()
    order = {"visitor": 0, "lead": 1, "opportunity": 2, "won": 3}
    h["position"] = h["stage"].map(order)
    h["cohort"] = h["entered_at"].dt.to_period("M")
    h["lag_days"] = (h["resolved_at"] - h["entered_at"]).dt.total_seconds() / 86400
    h["resolved_m"] = h["resolved_at"].dt.to_period("M")
    nt = h[h["stage"] != "won"]
    out = {}
    for name, keys in (("stage_cohorts", ["stage", "cohort"]), ("stage_summary", ["stage"]),
                       ("by_source", ["stage", "source"])):  # fmt: skip
        counts = pd.crosstab([nt[k] for k in keys], nt["outcome"])
        res = nt[nt["outcome"] != "open"].groupby(keys)["lag_days"].agg(["mean", "median"])
        shares = counts.drop(columns="open", errors="ignore")
        shares = shares.div(shares.sum(axis=1), axis=0)
        out[name] = shares.join(res)
    ins = nt.groupby(["stage", "cohort"]).size()
    outs = nt.dropna(subset=["resolved_at"]).groupby(["stage", "resolved_m"]).size()
    outs.index = outs.index.set_names(["stage", "cohort"])
    flow = pd.concat([ins.rename("in"), outs.rename("out")], axis=1).fillna(0)
    out["stock"] = (flow["in"] - flow["out"]).groupby(level=0).cumsum()
    h = h.sort_values(["item_id", "entered_at", "position"])
    h["prev_outcome"] = h.groupby("item_id")["outcome"].shift()
    h["reentered"] = h["prev_outcome"].eq("recycled")
    out["arrivals"] = h.groupby(["stage", "cohort", "source", "segment"], observed=True).agg(
        arrivals=("item_id", "size"), reentered=("reentered", "sum"))  # fmt: skip
    rec = h[h["outcome"] == "recycled"].groupby("resolved_m").size()
    back = h[h["reentered"]].groupby("cohort").size()
    out["recycle_pool"] = pd.concat([rec, back], axis=1).fillna(0).cumsum()
    first = h.groupby("item_id").agg(first_at=("entered_at", "min"), source=("source", "first"),
                                     segment=("segment", "first"))  # fmt: skip
    won = h[h["stage"] == "won"].groupby("item_id").agg(won_at=("entered_at", "min"),
                                                        bookings=("amount", "sum"))  # fmt: skip
    items = first.join(won)
    items["days"] = (items["won_at"] - items["first_at"]).dt.total_seconds() / 86400
    for dim in ("source", "segment"):
        out[f"feedback_by_{dim}"] = items.groupby(dim).agg(
            items=("first_at", "size"), won=("won_at", "count"), days_mean=("days", "mean"),
            days_median=("days", "median"), bookings=("bookings", "sum"))  # fmt: skip
    t2 = time.perf_counter()
    return {"rows": len(h), "import": t1 - t0, "metrics": t2 - t1,
            "tables": {k: len(v) for k, v in out.items()}}  # fmt: skip


def _child(fn_name: str, path: str, q) -> None:
    fn = {"duckdb": run_duckdb, "pandas": run_pandas}[fn_name]
    r = fn(path)
    r["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    q.put(r)


def measure(fn_name: str, path: Path) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    t = time.perf_counter()
    p = ctx.Process(target=_child, args=(fn_name, str(path), q))
    p.start()
    r = q.get()
    p.join()
    r["wall"] = time.perf_counter() - t
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--dir", default=None, help="keep generated files here")
    args = ap.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="bench_data_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'leads':>11} {'rows':>11} {'engine':>7} {'import s':>9} {'metrics s':>10} "
          f"{'wall s':>8} {'peak MB':>8} {'ratio':>6}")  # fmt: skip
    for n in args.sizes:
        t = time.perf_counter()
        path = generate(n, folder)
        print(f"# generated {n:,} leads in {time.perf_counter() - t:.0f} s "
              f"({path.stat().st_size / 1e6:.0f} MB Parquet)", flush=True)  # fmt: skip
        results = {}
        for engine in ("duckdb", "pandas"):
            runs = [measure(engine, path) for _ in range(args.runs)]
            results[engine] = {
                "rows": runs[0]["rows"],
                "import": statistics.median(r["import"] for r in runs),
                "metrics": statistics.median(r["metrics"] for r in runs),
                "wall": statistics.median(r["wall"] for r in runs),
                "peak_mb": max(r["peak_mb"] for r in runs),
            }
        base = results["duckdb"]["wall"]
        for engine, r in results.items():
            print(f"{n:>11,} {r['rows']:>11,} {engine:>7} {r['import']:>9.1f} "
                  f"{r['metrics']:>10.1f} {r['wall']:>8.1f} {r['peak_mb']:>8.0f} "
                  f"{r['wall'] / base:>6.2f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
